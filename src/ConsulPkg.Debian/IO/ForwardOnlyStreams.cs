namespace ConsulPkg.Debian.IO;

/// <summary>
/// Base of the read-only streams that cannot seek (decoders, bounded and counting views): it
/// answers the capability questions once and routes the array overload of
/// <see cref="Stream.Read(byte[], int, int)"/> to the span one, which a subclass implements.
/// </summary>
internal abstract class ReadOnlyForwardStream : Stream
{
    public sealed override bool CanRead => true;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => false;
    public sealed override long Length => throw new NotSupportedException();
    public sealed override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public abstract override int Read(Span<byte> buffer);

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Nothing is buffered for writing, so there is nothing to flush.</summary>
    public override void Flush() { }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public sealed override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException();
}

/// <summary>
/// Base of the write-only streams that cannot seek (the encoders): capability answers once, and
/// both array overloads routed to the span <see cref="Stream.Write(ReadOnlySpan{byte})"/> a
/// subclass implements.
/// </summary>
internal abstract class WriteOnlyForwardStream : Stream
{
    public sealed override bool CanRead => false;
    public sealed override bool CanSeek => false;
    public override bool CanWrite => true;
    public sealed override long Length => throw new NotSupportedException();
    public sealed override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public sealed override void WriteByte(byte value) => Write([value]);

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public sealed override int Read(Span<byte> buffer) => throw new NotSupportedException();
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
