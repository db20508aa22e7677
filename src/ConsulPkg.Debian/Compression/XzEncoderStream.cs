using ConsulPkg.Debian.Interop;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Writes an .xz stream through liblzma's multi-threaded encoder, with a CRC64 check as the xz
/// tool writes. The input is cut into blocks of a fixed size (<see cref="DefaultBlockSize"/>),
/// each compressed independently; the thread count only decides how many blocks are in work at
/// once, so the bytes written are the same on every machine. Disposing finishes the stream and
/// leaves the output open.
/// </summary>
internal sealed unsafe class XzEncoderStream : NativeEncoderStream
{
    /// <summary>
    /// Uncompressed bytes per .xz block at presets up to 6. Measured on a 42 MB Go binary
    /// (/usr/local/bin/docker) at preset 6 against single-threaded <c>xz -6</c> (17,080,372
    /// bytes): 8 MiB blocks give 17,177,784 (+0.57%), 12 MiB 17,110,996 (+0.18%). 8 MiB keeps
    /// liblzma's per-thread buffers (3 x block) small and still balances two cores on a 40 MB
    /// input; liblzma's default (3 x dictionary, 24 MiB) would add 48 MiB of buffers per thread.
    /// </summary>
    internal const ulong DefaultBlockSize = 8 << 20;

    /// <summary>
    /// The encoder's memory budget: threads beyond what fits are not started (the output does
    /// not change, only the speed). Preset 6 needs about 117 MiB per thread with 8 MiB blocks,
    /// so this allows 4 threads: most of the speed on a build machine, a peak RSS that stays
    /// near half a gigabyte on any number of cores. See Compression/README.md for the numbers.
    /// </summary>
    internal const ulong MemoryBudget = 512UL << 20;

    private const int OutBufferSize = 256 * 1024;

    /// <summary>LZMA_PRESET_EXTREME, or'ed into the preset.</summary>
    private const uint PresetExtreme = 0x80000000;

    private readonly LzmaStreamHandle _strm = new();

    /// <param name="extreme">liblzma's LZMA_PRESET_EXTREME (xz -e): slower, slightly smaller.</param>
    public XzEncoderStream(Stream output, int preset, int threads, bool extreme = false)
        : this(output, preset, threads, BlockSizeFor(preset), extreme)
    {
    }

    internal XzEncoderStream(Stream output, int preset, int threads, ulong blockSize, bool extreme = false)
        : base(output, OutBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preset, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        threads = ThreadsWithinBudget(preset, threads, blockSize);
        byte* lzma = stackalloc byte[LibLzma.OptionsLzmaRoom];
        LibLzma.Filter* filters = stackalloc LibLzma.Filter[2];
        LibLzma.LzmaMt mt = Options(preset, extreme, threads, blockSize, lzma, filters);
        int ret = LibLzma.StreamEncoderMt(_strm, &mt);
        if (ret != LibLzma.Ok)
        {
            _strm.Dispose();
            throw new CodecException($"xz: cannot start the encoder at level {preset} with {threads} threads: {LibLzma.Describe(ret)}");
        }
    }

    /// <summary>
    /// The block size for a preset: <see cref="DefaultBlockSize"/>, or the dictionary size of
    /// presets 7-9 when larger (a block shorter than the dictionary wastes it). A function of
    /// the preset alone, so the output never depends on the machine.
    /// </summary>
    internal static ulong BlockSizeFor(int preset)
    {
        ulong dictionary = preset switch
        {
            7 => 16UL << 20,
            8 => 32UL << 20,
            9 => 64UL << 20,
            _ => 0,
        };
        return Math.Max(DefaultBlockSize, dictionary);
    }

    /// <summary>The most threads, up to <paramref name="wanted"/>, whose encoder fits <see cref="MemoryBudget"/>; at least one.</summary>
    internal static int ThreadsWithinBudget(int preset, int wanted, ulong blockSize)
    {
        int threads = wanted;
        while (threads > 1 && MemoryUsage(preset, threads, blockSize) > MemoryBudget)
        {
            threads--;
        }

        return threads;
    }

    /// <summary>The memory liblzma says the encoder needs with these options (-e changes the effort, not the memory).</summary>
    internal static ulong MemoryUsage(int preset, int threads, ulong blockSize)
    {
        byte* lzma = stackalloc byte[LibLzma.OptionsLzmaRoom];
        LibLzma.Filter* filters = stackalloc LibLzma.Filter[2];
        LibLzma.LzmaMt mt = Options(preset, extreme: false, threads, blockSize, lzma, filters);
        return LibLzma.StreamEncoderMtMemusage(&mt);
    }

    /// <summary>
    /// The encoder's options: the preset, except that a dictionary larger than a block is cut to
    /// the block (no match can reach outside its block, so the rest would be memory spent for
    /// nothing: a 1 MiB block at preset 6 needs a fifth of the 8 MiB dictionary's memory). The
    /// chain (<paramref name="lzma"/>, <paramref name="filters"/>) must outlive the call that uses it; liblzma copies it.
    /// </summary>
    private static LibLzma.LzmaMt Options(int preset, bool extreme, int threads, ulong blockSize, byte* lzma, LibLzma.Filter* filters)
    {
        uint flags = (uint)preset | (extreme ? PresetExtreme : 0);
        var mt = new LibLzma.LzmaMt { Threads = (uint)threads, BlockSize = blockSize, Preset = flags, Check = LibLzma.CheckCrc64 };
        if (LibLzma.LzmaPreset(lzma, flags) != 0)
        {
            throw new CodecException($"xz: liblzma has no preset {preset}");
        }

        if (*(uint*)lzma > blockSize)
        {
            *(uint*)lzma = (uint)blockSize;
            filters[0] = new LibLzma.Filter { Id = LibLzma.FilterLzma2, Options = lzma };
            filters[1] = new LibLzma.Filter { Id = LibLzma.VliUnknown, Options = null };
            mt.Filters = filters;
        }

        return mt;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_strm.IsClosed, this);
        if (buffer.IsEmpty)
        {
            return;
        }

        LibLzma.LzmaStream* strm = _strm.Stream;
        fixed (byte* input = buffer)
        {
            strm->NextIn = input;
            strm->AvailIn = (nuint)buffer.Length;
            while (strm->AvailIn > 0)
            {
                Code(LibLzma.Run);
            }

            strm->NextIn = null;
        }
    }

    /// <summary>One lzma_code call into the output buffer, draining it to the output; returns the lzma_ret.</summary>
    private int Code(int action)
    {
        int ret;
        LibLzma.LzmaStream* strm = _strm.Stream;
        fixed (byte* output = OutBuffer)
        {
            strm->NextOut = output;
            strm->AvailOut = OutBufferSize;
            ret = LibLzma.Code(_strm, action);
            strm->NextOut = null;
        }

        if (ret != LibLzma.Ok && ret != LibLzma.StreamEnd)
        {
            throw Failure($"xz: compression failed: {LibLzma.Describe(ret)}");
        }

        int produced = OutBufferSize - (int)strm->AvailOut;
        Drain(produced);

        return ret;
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_strm.IsClosed && !Failed)
            {
                _strm.Stream->AvailIn = 0;
                while (Code(LibLzma.Finish) != LibLzma.StreamEnd)
                {
                }
            }
        }
        finally
        {
            if (disposing)
            {
                _strm.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
