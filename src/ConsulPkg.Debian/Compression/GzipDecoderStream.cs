using ConsulPkg.Debian.Interop;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Reads gzip through zlib's inflate: one or more members in a row, each verified against its
/// CRC32 and length trailer. Like gzip and zlib's gzread, bytes after a complete member that
/// do not start another member are ignored; a member cut short raises
/// <see cref="InvalidDataException"/>, as does input that holds no member at all. Memory is
/// zlib's fixed 32 KiB window plus the buffers here. Disposing leaves the input open.
/// </summary>
internal sealed unsafe class GzipDecoderStream : NativeDecoderStream
{
    private const int InBufferSize = 64 * 1024;

    private readonly ZStreamHandle _strm = new();

    /// <summary>True between members: after a member's trailer, before deciding whether another follows.</summary>
    private bool _betweenMembers;

    /// <summary>zlib's gzread mode: input that does not start with a gzip member is passed through as it is (an empty input is empty).</summary>
    private readonly bool _transparent;

    /// <summary>Whether the input turned out not to be gzip and is being copied (transparent mode only).</summary>
    private bool _copying;

    private bool _started;

    /// <param name="input">The compressed stream.</param>
    /// <param name="transparent">
    /// Read as zlib's gzread reads (and so dpkg): input that is not gzip at all is returned
    /// unchanged, and empty input is empty. Otherwise both are errors, as for gzip -d.
    /// </param>
    public GzipDecoderStream(Stream input, bool transparent = false)
        : base(input, InBufferSize)
    {
        _transparent = transparent;
        int ret = LibZ.InflateInit2(_strm, LibZ.GzipWindowBits, LibZ.ZlibVersion(), sizeof(LibZ.ZStream));
        if (ret != LibZ.Ok)
        {
            _strm.Dispose();
            throw new CodecException($"gzip: cannot start zlib's inflate (error {ret})");
        }
    }

    protected override bool BeforeDecode()
    {
        if (_transparent && !_started)
        {
            _started = true;
            ReadOnlySpan<byte> first = PeekInput(2);
            if (first.IsEmpty)
            {
                return false;
            }
            _copying = first.Length < 2 || first[0] != 0x1F || first[1] != 0x8B;
        }
        return !_betweenMembers || StartNextMember();
    }

    protected override bool Decode(byte* input, int available, byte* output, int outputLength, out int consumed, out int produced)
    {
        if (_copying)
        {
            int n = Math.Min(available, outputLength);
            Buffer.MemoryCopy(input, output, outputLength, n);
            consumed = produced = n;
            return n == 0 && InputEnded;
        }

        LibZ.ZStream* strm = _strm.Stream;
        strm->NextIn = input;
        strm->AvailIn = (uint)available;
        strm->NextOut = output;
        strm->AvailOut = (uint)outputLength;
        int ret = LibZ.Inflate(_strm, LibZ.NoFlush);
        consumed = available - (int)strm->AvailIn;
        produced = outputLength - (int)strm->AvailOut;
        strm->NextIn = null;
        strm->NextOut = null;

        if (ret == LibZ.StreamEnd)
        {
            _betweenMembers = true;
        }
        else if (ret == LibZ.BufError && InputEnded)
        {
            throw new InvalidDataException("gzip: compressed data is truncated");
        }
        else if (ret != LibZ.Ok && ret != LibZ.BufError)
        {
            throw new InvalidDataException($"gzip: {LibZ.Describe(_strm, ret)}");
        }

        // No output means zlib needs more input, or a member just ended; once the input has
        // ended, inflate answers BUF_ERROR, so the read loop terminates.
        return false;
    }

    /// <summary>
    /// After a member: true (and zlib reset) when the next bytes are a gzip magic, false at the
    /// end of the input or before trailing bytes that are not a member.
    /// </summary>
    private bool StartNextMember()
    {
        ReadOnlySpan<byte> next = PeekInput(2);
        if (next.Length < 2 || next[0] != 0x1F || next[1] != 0x8B)
        {
            return false;
        }

        if (LibZ.InflateReset(_strm) != LibZ.Ok)
        {
            throw new CodecException("gzip: zlib refused to start the next member");
        }

        _betweenMembers = false;
        return true;
    }

    protected override void ReleaseNative() => _strm.Dispose();
}
