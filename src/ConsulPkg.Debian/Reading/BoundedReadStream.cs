using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// A read-only window of exactly <c>length</c> bytes of another stream. Reading past the window
/// returns end of stream; the inner stream ending early is reported as a truncated
/// <see cref="PackageException"/>, so a short file can never pass for a shorter member.
/// </summary>
internal sealed class BoundedReadStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly string _truncatedMessage;
    private long _remaining;

    public BoundedReadStream(Stream inner, long length, string truncatedMessage)
    {
        _inner = inner;
        _remaining = length;
        _truncatedMessage = truncatedMessage;
    }

    public long Remaining => _remaining;

    public override int Read(Span<byte> buffer)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }
        if (buffer.Length > _remaining)
        {
            buffer = buffer[..(int)_remaining];
        }
        int n = _inner.Read(buffer);
        if (n == 0)
        {
            throw new InvalidPackageException(_truncatedMessage);
        }
        _remaining -= n;
        return n;
    }

    /// <summary>Consumes the rest of the window, seeking when the inner stream allows it.</summary>
    public void SkipToEnd()
    {
        if (_remaining == 0)
        {
            return;
        }
        if (_inner.CanSeek)
        {
            long available = _inner.Length - _inner.Position;
            if (available < _remaining)
            {
                throw new InvalidPackageException(_truncatedMessage);
            }
            _inner.Seek(_remaining, SeekOrigin.Current);
            _remaining = 0;
            return;
        }
        StreamSkipper.Skip(this, _remaining);
    }

}

/// <summary>Discards bytes from a stream through one pooled buffer.</summary>
internal static class StreamSkipper
{
    /// <summary>Reads and drops <paramref name="count"/> bytes; returns how many were actually there.</summary>
    public static long Skip(Stream stream, long count)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long done = 0;
            while (done < count)
            {
                int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count - done));
                if (n == 0)
                {
                    break;
                }
                done += n;
            }
            return done;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes or returns how many were read before end.</summary>
    public static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }
}
