using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Interop;

/// <summary>
/// Inflate from the system zlib (<c>libz.so.1</c>, package zlib1g, priority required on
/// Debian). Used for reading gzip because, unlike the BCL's GZipStream, it reports where a
/// member ends and whether the input stopped before it did: GZipStream returns a truncated
/// member as if it were complete. Layout from zlib.h (LP64: uLong is 64-bit).
/// </summary>
internal static partial class LibZ
{
    private const string Library = "libz.so.1";

    internal const int NoFlush = 0;
    internal const int Ok = 0;
    internal const int StreamEnd = 1;
    internal const int NeedDict = 2;
    internal const int StreamError = -2;
    internal const int DataError = -3;
    internal const int MemError = -4;
    internal const int BufError = -5;

    /// <summary>windowBits for inflateInit2: 15 (32 KiB window) + 16 = gzip wrapper only.</summary>
    internal const int GzipWindowBits = 15 + 16;

    /// <summary>z_stream. Allocated in native memory (<see cref="ZStreamHandle"/>): zlib keeps a pointer back to it in its state.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public byte* Msg;
        public void* State;
        public void* ZAlloc;
        public void* ZFree;
        public void* Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    [LibraryImport(Library, EntryPoint = "zlibVersion")]
    internal static partial nint ZlibVersion();

    [LibraryImport(Library, EntryPoint = "inflateInit2_")]
    internal static partial int InflateInit2(ZStreamHandle strm, int windowBits, nint version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    internal static partial int Inflate(ZStreamHandle strm, int flush);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    internal static partial int InflateReset(ZStreamHandle strm);

    /// <summary>Frees inflate's state; only <see cref="ZStreamHandle"/> calls it.</summary>
    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    internal static unsafe partial int InflateEnd(ZStream* strm);

    /// <summary>zlib's own message for the last error, or a description of the code.</summary>
    internal static unsafe string Describe(ZStreamHandle strm, int ret)
    {
        string? message = strm.Stream->Msg == null ? null : Marshal.PtrToStringUTF8((nint)strm.Stream->Msg);
        return message ?? ret switch
        {
            DataError => "compressed data is corrupt",
            MemError => "out of memory",
            BufError => "compressed data is truncated",
            NeedDict => "needs a preset dictionary, which gzip never uses",
            _ => $"zlib error {ret}",
        };
    }
}
