using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Tests.Support;

/// <summary>
/// A stream that can only be read forward, like a pipe, and hands out at most 1000 bytes a read
/// to exercise every partial-read path. Disposing disposes the inner stream.
/// </summary>
internal sealed class ForwardOnlyStream(Stream inner) : ReadOnlyForwardStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, 1000)]);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
