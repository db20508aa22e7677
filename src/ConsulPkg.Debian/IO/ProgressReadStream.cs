namespace ConsulPkg.Debian.IO;

/// <summary>
/// Passes reads (and seeks) through to the stream it wraps and reports how far into it they
/// have come, plus <paramref name="before"/>: the bytes of earlier files of the same work. Of a
/// seekable stream its position counts, so skipping a member is progress too.
/// </summary>
public sealed class ProgressReadStream(Stream inner, IByteProgress progress, long before = 0, bool leaveOpen = false) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        progress.Report(before + (inner.CanSeek ? inner.Position : _read));
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
