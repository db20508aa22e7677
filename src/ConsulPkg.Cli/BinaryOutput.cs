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
        if (context.OpenStandardOutput is { } open && ReferenceEquals(writer, Console.Out))
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
