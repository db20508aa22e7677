namespace ConsulPkg.Debian.IO;

/// <summary>
/// A write-through view of a stream that stops at the next write once cancellation is
/// requested, so a long synchronous write (a package's data member) ends promptly on SIGINT or
/// SIGTERM and its owners' cleanup runs. Does not dispose the inner stream.
/// </summary>
internal sealed class CancellingStream(Stream inner, CancellationToken cancellationToken) : WriteOnlyForwardStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        cancellationToken.ThrowIfCancellationRequested();
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();
}
