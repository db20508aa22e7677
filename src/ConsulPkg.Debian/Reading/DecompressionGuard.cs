namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Turns a decompressor's own failure (InvalidDataException, or whatever a codec throws on
/// garbage) into a one-line <see cref="PackageException"/> naming the member.
/// </summary>
internal sealed class DecompressionGuard(Stream inner, string where) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (PackageException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or FormatException or ArgumentException or NotSupportedException)
        {
            throw new PackageException($"{where}: corrupt compressed data ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
