using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>Counts the bytes read through it, so an unseekable package's size is known once drained.</summary>
internal sealed class CountingReadStream(Stream inner, bool leaveOpen) : ReadOnlyForwardStream
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        BytesRead += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
