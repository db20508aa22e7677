using ConsulPkg.Debian.Interop;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Reads zstd frames (several in a row are accepted, as the zstd tool accepts them) through
/// libzstd. The window is capped at 2^<see cref="WindowLogMax"/> bytes, so a frame header that
/// claims a huge window is refused instead of allocated. Truncated or corrupt input raises
/// <see cref="InvalidDataException"/>; disposing leaves the input open.
/// </summary>
internal sealed unsafe class ZstdDecoderStream : NativeDecoderStream
{
    /// <summary>128 MiB, libzstd's own default limit: every level up to 19 (and --long=27) fits.</summary>
    internal const int WindowLogMax = 27;

    private const int InBufferSize = 128 * 1024;

    private readonly ZstdDecompressionContext _dctx;

    /// <summary>The last hint from ZSTD_decompressStream: 0 means a frame was completely decoded.</summary>
    private nuint _lastHint = 1;

    private readonly bool _firstFrameOnly;

    /// <param name="input">The compressed stream.</param>
    /// <param name="firstFrameOnly">
    /// As dpkg reads zstd: the first frame only, what follows ignored, and input that ends inside
    /// the frame simply ends the data. Otherwise frames are read one after the other and a
    /// truncated one is an error, as the zstd tool does.
    /// </param>
    public ZstdDecoderStream(Stream input, bool firstFrameOnly = false)
        : base(input, InBufferSize)
    {
        _firstFrameOnly = firstFrameOnly;
        _dctx = LibZstd.CreateDCtx();
        if (_dctx.IsInvalid)
        {
            throw new CodecException("zstd: cannot create a decompression context");
        }

        nuint ret = LibZstd.DCtxSetParameter(_dctx, LibZstd.DecompressWindowLogMax, WindowLogMax);
        if (LibZstd.Failed(ret))
        {
            _dctx.Dispose();
            throw new CodecException($"zstd: cannot limit the window: {LibZstd.ErrorName(ret)}");
        }
    }

    protected override bool Decode(byte* input, int available, byte* output, int outputLength, out int consumed, out int produced)
    {
        var inBuffer = new LibZstd.InBuffer { Src = input, Size = (nuint)available };
        var outBuffer = new LibZstd.OutBuffer { Dst = output, Size = (nuint)outputLength };
        nuint ret = LibZstd.DecompressStream(_dctx, &outBuffer, &inBuffer);
        if (LibZstd.Failed(ret))
        {
            throw new InvalidDataException($"zstd: {LibZstd.ErrorName(ret)}");
        }

        consumed = (int)inBuffer.Pos;
        produced = (int)outBuffer.Pos;
        if (_firstFrameOnly && (ret == 0 || (produced == 0 && consumed == 0 && InputEnded)))
        {
            // dpkg's filter_zstd stops when a frame is complete or when its input has run out.
            return true;
        }
        if (produced == 0 && consumed == 0 && InputEnded)
        {
            // Nothing left to read and no progress: either the last frame ended cleanly (the
            // hint before this empty call was 0) or the input stopped inside a frame, or held
            // no frame at all. libzstd itself errors after a few calls without progress, so no
            // input can keep the read loop going.
            return _lastHint == 0 ? true : throw new InvalidDataException("zstd: compressed data is truncated");
        }

        _lastHint = ret;
        return false;
    }

    protected override void ReleaseNative() => _dctx.Dispose();
}
