using ConsulPkg.Debian.Compression.Native;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Reads zstd frames (several in a row are accepted, as the zstd tool accepts them) through
/// libzstd. The window is capped at 2^<see cref="WindowLogMax"/> bytes, so a frame header that
/// claims a huge window is refused instead of allocated. Truncated or corrupt input raises
/// <see cref="InvalidDataException"/>; disposing leaves the input open.
/// </summary>
internal sealed unsafe class ZstdDecoderStream : ReadOnlyForwardStream
{
    /// <summary>128 MiB, libzstd's own default limit: every level up to 19 (and --long=27) fits.</summary>
    internal const int WindowLogMax = 27;

    private const int InBufferSize = 128 * 1024;

    private readonly Stream _input;
    private readonly byte[] _inBuffer = new byte[InBufferSize];
    private int _inStart;
    private int _inEnd;
    private bool _inputEnded;

    /// <summary>The last hint from ZSTD_decompressStream: 0 means a frame was completely decoded.</summary>
    private nuint _lastHint = 1;
    private nint _dctx;

    public ZstdDecoderStream(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _dctx = LibZstd.CreateDCtx();
        if (_dctx == 0)
        {
            throw new CodecException("zstd: cannot create a decompression context");
        }

        nuint ret = LibZstd.DCtxSetParameter(_dctx, LibZstd.DecompressWindowLogMax, WindowLogMax);
        if (LibZstd.Failed(ret))
        {
            LibZstd.FreeDCtx(_dctx);
            _dctx = 0;
            throw new CodecException($"zstd: cannot limit the window: {LibZstd.ErrorName(ret)}");
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_dctx == 0, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_inStart == _inEnd && !_inputEnded)
            {
                _inStart = 0;
                _inEnd = _input.Read(_inBuffer, 0, InBufferSize);
                _inputEnded = _inEnd == 0;
            }

            nuint ret;
            int consumed;
            int produced;
            fixed (byte* src = _inBuffer)
            fixed (byte* dst = buffer)
            {
                var input = new LibZstd.InBuffer { Src = src + _inStart, Size = (nuint)(_inEnd - _inStart) };
                var output = new LibZstd.OutBuffer { Dst = dst, Size = (nuint)buffer.Length };
                ret = LibZstd.DecompressStream(_dctx, &output, &input);
                consumed = (int)input.Pos;
                produced = (int)output.Pos;
            }

            if (LibZstd.Failed(ret))
            {
                throw new InvalidDataException($"zstd: {LibZstd.ErrorName(ret)}");
            }

            _inStart += consumed;
            if (produced > 0)
            {
                _lastHint = ret;
                return produced;
            }

            if (_inputEnded && consumed == 0)
            {
                // Nothing left to read and no progress: either the last frame ended cleanly
                // (the hint before this empty call was 0) or the input stopped inside a frame,
                // or held no frame at all. libzstd itself errors after a few calls without
                // progress, so no input can keep this loop going.
                if (_lastHint != 0)
                {
                    throw new InvalidDataException("zstd: compressed data is truncated");
                }

                return 0;
            }

            _lastHint = ret;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_dctx != 0)
        {
            LibZstd.FreeDCtx(_dctx);
            _dctx = 0;
        }

        base.Dispose(disposing);
    }

    ~ZstdDecoderStream() => Dispose(false);
}
