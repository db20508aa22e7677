using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Compression.Native;

/// <summary>glibc's heap trimming, to keep the C heap flat while native compressors come and go.</summary>
internal static partial class LibC
{
    private static volatile bool s_unavailable;

    /// <summary>
    /// Gives the C heap's free pages back to the system (<c>malloc_trim(0)</c>). Each deflate
    /// block allocates and frees zlib-ng's state (hundreds of KiB) on a worker thread; glibc
    /// keeps such freed memory, fragmented, so peak RSS crept up with the input size (gzip of
    /// 42 MB: 55 MB; of 420 MB: 72 MB). A C library without malloc_trim (musl) is left alone.
    /// </summary>
    internal static void TrimHeap()
    {
        if (s_unavailable)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
