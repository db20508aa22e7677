using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Interop;

/// <summary>
/// The slice of liblzma (xz-utils' library, <c>liblzma.so.5</c>, present on every Debian system
/// because dpkg links it) that the xz and lzma streams need. Layouts follow
/// <c>/usr/include/lzma/base.h</c> and <c>container.h</c> of liblzma 5.x, whose ABI is stable.
/// </summary>
internal static partial class LibLzma
{
    private const string Library = "liblzma.so.5";

    /// <summary>lzma_ret values the streams act on.</summary>
    internal const int Ok = 0;
    internal const int StreamEnd = 1;
    internal const int NoCheck = 2;
    internal const int UnsupportedCheck = 3;
    internal const int GetCheck = 4;
    internal const int MemError = 5;
    internal const int MemlimitError = 6;
    internal const int FormatError = 7;
    internal const int OptionsError = 8;
    internal const int DataError = 9;
    internal const int BufError = 10;
    internal const int ProgError = 11;

    /// <summary>lzma_action.</summary>
    internal const int Run = 0;
    internal const int Finish = 3;

    /// <summary>lzma_check: CRC64 is what the xz tool writes by default.</summary>
    internal const int CheckCrc64 = 4;

    /// <summary>Decoder flag: keep decoding concatenated .xz streams, as xz and dpkg do.</summary>
    internal const uint Concatenated = 0x08;

    /// <summary>lzma_stream. Allocated in native memory (<see cref="LzmaStreamHandle"/>) so liblzma sees a fixed address.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public void* Allocator;
        public void* Internal;
        public void* ReservedPtr1;
        public void* ReservedPtr2;
        public void* ReservedPtr3;
        public void* ReservedPtr4;
        public ulong SeekPos;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    /// <summary>lzma_mt: options of the multi-threaded .xz encoder and decoder.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct LzmaMt
    {
        public uint Flags;
        public uint Threads;
        public ulong BlockSize;
        public uint Timeout;
        public uint Preset;
        public void* Filters;
        public int Check;
        public int ReservedEnum1;
        public int ReservedEnum2;
        public int ReservedEnum3;
        public uint ReservedInt1;
        public uint ReservedInt2;
        public uint ReservedInt3;
        public uint ReservedInt4;
        public ulong MemlimitThreading;
        public ulong MemlimitStop;
        public ulong ReservedInt7;
        public ulong ReservedInt8;
        public void* ReservedPtr1;
        public void* ReservedPtr2;
        public void* ReservedPtr3;
        public void* ReservedPtr4;
    }

    /// <summary>LZMA_FILTER_LZMA2.</summary>
    internal const ulong FilterLzma2 = 0x21;

    /// <summary>LZMA_VLI_UNKNOWN: ends a filter chain.</summary>
    internal const ulong VliUnknown = ulong.MaxValue;

    /// <summary>
    /// Room for an lzma_options_lzma (112 bytes on 64-bit systems), filled by <see cref="LzmaPreset"/>;
    /// its first member is dict_size, a uint32_t, the only one changed here.
    /// </summary>
    internal const int OptionsLzmaRoom = 256;

    /// <summary>lzma_filter: one step of a filter chain.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct Filter
    {
        public ulong Id;
        public void* Options;
    }

    /// <summary>lzma_lzma_preset: fills the LZMA2 options of a preset; true (non-zero) when the preset is unsupported.</summary>
    [LibraryImport(Library, EntryPoint = "lzma_lzma_preset")]
    internal static unsafe partial byte LzmaPreset(void* options, uint preset);

    [LibraryImport(Library, EntryPoint = "lzma_stream_encoder_mt")]
    internal static unsafe partial int StreamEncoderMt(LzmaStreamHandle strm, LzmaMt* options);

    [LibraryImport(Library, EntryPoint = "lzma_stream_encoder_mt_memusage")]
    internal static unsafe partial ulong StreamEncoderMtMemusage(LzmaMt* options);

    /// <summary>The multi-threaded .xz decoder (liblzma 5.4 and later; absent before).</summary>
    [LibraryImport(Library, EntryPoint = "lzma_stream_decoder_mt")]
    internal static unsafe partial int StreamDecoderMt(LzmaStreamHandle strm, LzmaMt* options);

    [LibraryImport(Library, EntryPoint = "lzma_stream_decoder")]
    internal static partial int StreamDecoder(LzmaStreamHandle strm, ulong memlimit, uint flags);

    [LibraryImport(Library, EntryPoint = "lzma_alone_decoder")]
    internal static partial int AloneDecoder(LzmaStreamHandle strm, ulong memlimit);

    [LibraryImport(Library, EntryPoint = "lzma_code")]
    internal static partial int Code(LzmaStreamHandle strm, int action);

    /// <summary>Frees what the coder allocated; only <see cref="LzmaStreamHandle"/> calls it.</summary>
    [LibraryImport(Library, EntryPoint = "lzma_end")]
    internal static unsafe partial void End(LzmaStream* strm);

    /// <summary>A short description of an lzma_ret for error messages.</summary>
    internal static string Describe(int ret) => ret switch
    {
        MemError => "out of memory",
        MemlimitError => "memory limit exceeded",
        FormatError => "not in the expected format",
        OptionsError => "unsupported options",
        DataError => "compressed data is corrupt",
        BufError => "compressed data is truncated",
        UnsupportedCheck => "unsupported integrity check",
        ProgError => "internal error",
        _ => $"liblzma error {ret}",
    };
}
