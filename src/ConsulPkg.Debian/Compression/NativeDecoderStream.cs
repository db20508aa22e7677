using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// The loop the native decoders (gzip, xz/lzma, zstd) share: keep an input buffer, refill it
/// from the compressed stream when the decoder has used it up, pin both buffers, and call the
/// library until it produces output or says the stream ended. A subclass makes one library call
/// in <see cref="Decode"/>; every call either consumes input, produces output, reports the end,
/// or throws (each library answers "no progress possible" with an error once the input has
/// ended), so <see cref="Read(Span{byte})"/> always terminates. Disposing leaves the input open.
/// </summary>
internal abstract unsafe class NativeDecoderStream : ReadOnlyForwardStream
{
    private readonly Stream _input;
    private readonly byte[] _inBuffer;
    private int _inStart;
    private int _inEnd;
    private bool _finished;
    private bool _disposed;

    protected NativeDecoderStream(Stream input, int inBufferSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        // Not zeroed: only what a read filled is ever used, and a small package touches little of it.
        _inBuffer = GC.AllocateUninitializedArray<byte>(inBufferSize);
    }

    /// <summary>True once a read of the compressed stream returned nothing: no more input will come.</summary>
    protected bool InputEnded { get; private set; }

    /// <summary>
    /// One library call: decode from <paramref name="input"/> (<paramref name="available"/>
    /// bytes) into <paramref name="output"/>, reporting what it consumed and produced. Returns
    /// true when the compressed stream is complete (nothing is decoded after it). Throws
    /// <see cref="InvalidDataException"/> on corrupt or truncated data.
    /// </summary>
    protected abstract bool Decode(byte* input, int available, byte* output, int outputLength, out int consumed, out int produced);

    /// <summary>Called before each <see cref="Decode"/>; false ends the stream there (gzip: no further member).</summary>
    protected virtual bool BeforeDecode() => true;

    public sealed override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _finished)
        {
            return 0;
        }

        while (true)
        {
            if (!BeforeDecode())
            {
                _finished = true;
                return 0;
            }

            if (_inStart == _inEnd && !InputEnded)
            {
                _inStart = 0;
                _inEnd = _input.Read(_inBuffer, 0, _inBuffer.Length);
                InputEnded = _inEnd == 0;
            }

            bool ended;
            int consumed;
            int produced;
            fixed (byte* inPtr = _inBuffer)
            fixed (byte* outPtr = buffer)
            {
                ended = Decode(inPtr + _inStart, _inEnd - _inStart, outPtr, buffer.Length, out consumed, out produced);
            }

            _inStart += consumed;
            if (ended)
            {
                _finished = true;
                return produced;
            }

            if (produced > 0)
            {
                return produced;
            }
        }
    }

    /// <summary>The unconsumed input after reading until it holds at least <paramref name="count"/> bytes or the input ends.</summary>
    protected ReadOnlySpan<byte> PeekInput(int count)
    {
        if (_inEnd - _inStart < count && !InputEnded)
        {
            // Keep what is left and read more after it.
            Buffer.BlockCopy(_inBuffer, _inStart, _inBuffer, 0, _inEnd - _inStart);
            _inEnd -= _inStart;
            _inStart = 0;
            while (_inEnd < count && !InputEnded)
            {
                int n = _input.Read(_inBuffer, _inEnd, _inBuffer.Length - _inEnd);
                _inEnd += n;
                InputEnded = n == 0;
            }
        }

        return _inBuffer.AsSpan(_inStart, _inEnd - _inStart);
    }

    /// <summary>Frees the subclass's native state (its SafeHandle).</summary>
    protected abstract void ReleaseNative();

    protected sealed override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            ReleaseNative();
        }

        base.Dispose(disposing);
    }
}
