using System.CommandLine;
using System.Text;

namespace ConsulPkg.Cli;

/// <summary>
/// Lets a command write raw bytes (as dpkg-deb does) while still honouring the invocation's
/// writer: straight to the process's stdout when there is one, else decoded into the writer.
/// </summary>
internal static class BinaryOutput
{
    public static void Write(ParseResult parseResult, CliContext context, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        TextWriter writer = parseResult.InvocationConfiguration.Output;
        if (context.OpenStandardOutput is { } open)
        {
            writer.Flush();
            using Stream stdout = open();
            write(stdout);
            stdout.Flush();
            return;
        }

        using var buffer = new MemoryStream();
        write(buffer);
        writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}

/// <summary>Bytes written to a text writer, read as UTF-8: for output captured as text (tests), where no byte stream exists.</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        char[] chars = new char[_decoder.GetCharCount(buffer, flush: false)];
        int n = _decoder.GetChars(buffer, chars, flush: false);
        writer.Write(chars, 0, n);
    }

    public override void Flush() => writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
