using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Interop;

/// <summary>
/// The streaming slice of libzstd (<c>libzstd.so.1</c>, on every Debian system because dpkg
/// and apt link it). Parameter numbers are those of zstd.h's stable API (zstd >= 1.4).
/// </summary>
internal static partial class LibZstd
{
    private const string Library = "libzstd.so.1";

    internal const int CompressionLevel = 100;
    internal const int ChecksumFlag = 201;
    internal const int NbWorkers = 400;
    internal const int JobSize = 401;

    internal const int DecompressWindowLogMax = 100;

    /// <summary>ZSTD_EndDirective.</summary>
    internal const int Continue = 0;
    internal const int End = 2;

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    /// <summary>A new compression context; an invalid handle when libzstd is out of memory.</summary>
    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    internal static partial ZstdCompressionContext CreateCCtx();

    /// <summary>Only <see cref="ZstdCompressionContext"/> calls it.</summary>
    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    internal static partial nuint FreeCCtx(nint cctx);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_setParameter")]
    internal static partial nuint CCtxSetParameter(ZstdCompressionContext cctx, int param, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressStream2")]
    internal static unsafe partial nuint CompressStream2(ZstdCompressionContext cctx, OutBuffer* output, InBuffer* input, int endOp);

    /// <summary>A new decompression context; an invalid handle when libzstd is out of memory.</summary>
    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    internal static partial ZstdDecompressionContext CreateDCtx();

    /// <summary>Only <see cref="ZstdDecompressionContext"/> calls it.</summary>
    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    internal static partial nuint FreeDCtx(nint dctx);

    [LibraryImport(Library, EntryPoint = "ZSTD_DCtx_setParameter")]
    internal static partial nuint DCtxSetParameter(ZstdDecompressionContext dctx, int param, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    internal static unsafe partial nuint DecompressStream(ZstdDecompressionContext dctx, OutBuffer* output, InBuffer* input);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    internal static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    private static partial nint GetErrorNamePtr(nint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_maxCLevel")]
    internal static partial int MaxCLevel();

    internal static bool Failed(nuint code) => IsError(code) != 0;

    internal static string ErrorName(nuint code) =>
        Marshal.PtrToStringUTF8(GetErrorNamePtr((nint)code)) ?? $"zstd error {code}";
}
