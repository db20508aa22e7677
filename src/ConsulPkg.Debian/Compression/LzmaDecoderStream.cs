using ConsulPkg.Debian.Interop;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Reads an .xz stream (concatenated streams accepted, as xz accepts them, or only the first, as dpkg reads them) or a legacy
/// .lzma ("LZMA alone") stream through liblzma. Memory is capped by <see cref="MemoryLimit"/>,
/// so a header that claims a huge dictionary is refused instead of allocated. Truncated or
/// corrupt input raises <see cref="InvalidDataException"/>; disposing leaves the input open.
/// </summary>
internal sealed unsafe class LzmaDecoderStream : NativeDecoderStream
{
    /// <summary>
    /// 128 MiB: twice what the largest xz preset (-9, 64 MiB dictionary) needs to decode, and far
    /// below anything that would hurt the machine.
    /// </summary>
    internal const ulong MemoryLimit = 128UL << 20;

    private const int InBufferSize = 64 * 1024;

    private readonly string _formatName;
    private readonly LzmaStreamHandle _strm = new();

    /// <param name="input">The compressed stream.</param>
    /// <param name="alone">The legacy .lzma format rather than .xz.</param>
    /// <param name="concatenated">Read .xz streams one after the other (as the xz tool does); false: the first only, ignoring what follows (as dpkg does).</param>
    public LzmaDecoderStream(Stream input, bool alone, bool concatenated = true)
        : base(input, InBufferSize)
    {
        _formatName = alone ? "lzma" : "xz";
        int ret = alone
            ? LibLzma.AloneDecoder(_strm, MemoryLimit)
            : StartXzDecoder(concatenated ? LibLzma.Concatenated : 0);
        if (ret != LibLzma.Ok)
        {
            _strm.Dispose();
            throw new CodecException($"{_formatName}: cannot start the decoder: {LibLzma.Describe(ret)}");
        }
    }

    /// <summary>
    /// The multi-threaded decoder where liblzma has one (5.4 and later), as dpkg-deb reads .xz:
    /// blocks whose sizes are in their headers (dpkg-deb's and our packages are written in such
    /// blocks) are decoded on every core, the others as by the one-thread decoder. Threads are
    /// started only while their buffers fit in <see cref="ThreadingMemory"/>; past
    /// <see cref="MemoryLimit"/> for one thread, the stream is refused as before.
    /// </summary>
    private int StartXzDecoder(uint flags)
    {
        var options = new LibLzma.LzmaMt
        {
            Flags = flags,
            Threads = (uint)Math.Clamp(Environment.ProcessorCount, 1, MaxThreads),
            MemlimitThreading = ThreadingMemory,
            MemlimitStop = MemoryLimit,
        };
        if (!s_noThreadedDecoder)
        {
            try
            {
                return LibLzma.StreamDecoderMt(_strm, &options);
            }
            catch (EntryPointNotFoundException)
            {
                // liblzma before 5.4: asked once per process, not at every package.
                s_noThreadedDecoder = true;
            }
        }
        return LibLzma.StreamDecoder(_strm, MemoryLimit, flags);
    }

    /// <summary>
    /// 256 MiB for the threads' buffers (each holds a whole block in and out: about 40 MiB for a
    /// block of dpkg-deb's default xz -6), so reading stays bounded on a machine of many cores.
    /// </summary>
    internal const ulong ThreadingMemory = 256UL << 20;

    private const int MaxThreads = 16;

    private static bool s_noThreadedDecoder;

    protected override bool Decode(byte* input, int available, byte* output, int outputLength, out int consumed, out int produced)
    {
        LibLzma.LzmaStream* strm = _strm.Stream;
        strm->NextIn = input;
        strm->AvailIn = (nuint)available;
        strm->NextOut = output;
        strm->AvailOut = (nuint)outputLength;
        int ret = LibLzma.Code(_strm, InputEnded ? LibLzma.Finish : LibLzma.Run);
        consumed = available - (int)strm->AvailIn;
        produced = outputLength - (int)strm->AvailOut;
        strm->NextIn = null;
        strm->NextOut = null;

        if (ret == LibLzma.StreamEnd)
        {
            return true;
        }

        if (ret != LibLzma.Ok)
        {
            // With LZMA_FINISH and no progress possible, liblzma answers BUF_ERROR: the input
            // ended inside the stream. So a call without output always leads somewhere.
            throw new InvalidDataException(ret == LibLzma.MemlimitError
                ? $"{_formatName}: decoding would need more than {MemoryLimit >> 20} MiB of memory (corrupt header or an oversized dictionary)"
                : $"{_formatName}: {LibLzma.Describe(ret)}");
        }

        return false;
    }

    protected override void ReleaseNative() => _strm.Dispose();
}
