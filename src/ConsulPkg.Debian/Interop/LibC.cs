using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Interop;

/// <summary>
/// The C library calls the tool makes itself: file operations on byte-string paths (a Unix name
/// need not be UTF-8, and .NET's string paths would turn such bytes into U+FFFD), <c>statx</c>,
/// <c>O_TMPFILE</c> opens, heap trimming, and writes to the standard descriptors. Every call that sets errno declares
/// <c>SetLastError</c>; read it with <see cref="Marshal.GetLastPInvokeError"/>. Paths are
/// NUL-terminated bytes (<see cref="Terminated"/>).
/// </summary>
internal static unsafe partial class LibC
{
    /// <summary>
    /// glibc's soname, as the other libraries are named by theirs. Plain "libc" ends there too,
    /// but only after the runtime has tried some forty other paths (libc.so, a linker script
    /// that does not load, then liblibc.so in every library directory): a fifth of a millisecond
    /// at the first call, which every command now makes when it first writes.
    /// </summary>
    private const string Library = "libc.so.6";

    /// <summary>dirfd meaning "relative to the working directory".</summary>
    internal const int AtFdCwd = -100;
    internal const int AtSymlinkNoFollow = 0x100;

    /// <summary>statx on the dirfd itself (an open handle) when the path is empty.</summary>
    internal const int AtEmptyPath = 0x1000;

    /// <summary>open(2) flags (asm-generic values, shared by x86-64, arm64 and armhf except O_DIRECTORY).</summary>
    internal const int ORdOnly = 0x0, OWrOnly = 0x1, ORdWr = 0x2, OCreat = 0x40, OExcl = 0x80, ONoCtty = 0x100, ONonBlock = 0x800, OCloExec = 0x80000;

    /// <summary>O_TMPFILE without its O_DIRECTORY part (<see cref="ODirectory"/>).</summary>
    internal const int OTmpFileBase = 0x400000;

    /// <summary>utimensat's "set this time to now" nanosecond value.</summary>
    internal const long UtimeNow = (1L << 30) - 1;

    /// <summary>errno values the callers act on.</summary>
    internal const int ENoEnt = 2, EIntr = 4, EAgain = 11, EExist = 17, ENotDir = 20, EIsDir = 21, EInval = 22, EPipe = 32, EOpNotSupp = 95;

    /// <summary>ioctl(2) request for a terminal's size (asm-generic value, shared by x86-64, arm64 and armhf).</summary>
    internal const nuint TiocGWinSz = 0x5413;

    /// <summary>poll(2)'s "writable" event.</summary>
    internal const short PollOut = 0x4;

    /// <summary>O_DIRECTORY, whose value differs by architecture (arm: 0x4000, elsewhere 0x10000).</summary>
    internal static int ODirectory => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    private static volatile bool s_noMallocTrim;

    /// <summary>The path with its terminating NUL, as the C library wants it.</summary>
    internal static byte[] Terminated(ReadOnlySpan<byte> path)
    {
        byte[] z = new byte[path.Length + 1];
        path.CopyTo(z);
        return z;
    }

    /// <summary>A .NET string path as NUL-terminated UTF-8, what the runtime itself passes to the C library.</summary>
    internal static byte[] Terminated(string path) => Terminated(System.Text.Encoding.UTF8.GetBytes(path));

    /// <summary>
    /// Gives the C heap's free pages back to the system (<c>malloc_trim(0)</c>). Each deflate
    /// block allocates and frees zlib-ng's state (hundreds of KiB) on a worker thread; glibc
    /// keeps such freed memory, fragmented, so peak RSS crept up with the input size (gzip of
    /// 42 MB: 55 MB; of 420 MB: 72 MB). A C library without malloc_trim (musl) is left alone.
    /// </summary>
    internal static void TrimHeap()
    {
        if (s_noMallocTrim)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_noMallocTrim = true;
        }
    }

    [LibraryImport(Library, EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(int directoryFd, byte* path, int flags, uint mask, StatxBuffer* buffer);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    internal static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "mkdir", SetLastError = true)]
    internal static partial int MkDir(byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "symlink", SetLastError = true)]
    internal static partial int SymLink(byte* target, byte* path);

    [LibraryImport(Library, EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int SyncFs(int fd);

    [LibraryImport(Library, EntryPoint = "link", SetLastError = true)]
    internal static partial int Link(byte* existing, byte* path);

    /// <summary><paramref name="device"/> as glibc's makedev encodes it (<see cref="MakeDevice"/>).</summary>
    [LibraryImport(Library, EntryPoint = "mknod", SetLastError = true)]
    internal static partial int MkNod(byte* path, uint mode, ulong device);

    /// <summary>glibc's makedev: a device number from its major and minor parts.</summary>
    internal static ulong MakeDevice(ulong major, ulong minor) =>
        ((major & 0xfffff000) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00) << 12) | (minor & 0xff);

    [LibraryImport(Library, EntryPoint = "mkfifo", SetLastError = true)]
    internal static partial int MkFifo(byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "chmod", SetLastError = true)]
    internal static partial int ChMod(byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "chown", SetLastError = true)]
    internal static partial int ChOwn(byte* path, int owner, int group);

    [LibraryImport(Library, EntryPoint = "lchown", SetLastError = true)]
    internal static partial int LChOwn(byte* path, int owner, int group);

    /// <summary><paramref name="times"/>: atime then mtime, each seconds and nanoseconds.</summary>
    [LibraryImport(Library, EntryPoint = "utimensat", SetLastError = true)]
    internal static partial int UtimensAt(int directoryFd, byte* path, long* times, int flags);

    [LibraryImport(Library, EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);

    [LibraryImport(Library, EntryPoint = "rmdir", SetLastError = true)]
    internal static partial int RmDir(byte* path);

    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true)]
    internal static partial int Unlink(byte* path);

    [LibraryImport(Library, EntryPoint = "opendir", SetLastError = true)]
    internal static partial nint OpenDir(byte* path);

    [LibraryImport(Library, EntryPoint = "readdir", SetLastError = true)]
    internal static partial nint ReadDir(nint dir);

    [LibraryImport(Library, EntryPoint = "closedir")]
    internal static partial int CloseDir(nint dir);

    [LibraryImport(Library, EntryPoint = "readlink", SetLastError = true)]
    internal static partial nint ReadLink(byte* path, byte* buffer, nint size);

    /// <summary>realpath(3) into a caller's buffer of PATH_MAX (4096) bytes; null when the path cannot be resolved.</summary>
    [LibraryImport(Library, EntryPoint = "realpath", SetLastError = true)]
    internal static partial byte* RealPath(byte* path, byte* resolved);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint ReadFile(Microsoft.Win32.SafeHandles.SafeFileHandle fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint WriteFile(int fd, byte* buffer, nint count);

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>struct winsize.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort Width;
        public ushort Height;
    }

    /// <summary>
    /// ioctl(2) with TIOCGWINSZ: the terminal's size, or -1 when the descriptor is not a terminal.
    /// ioctl is variadic; its one pointer argument is passed as a fixed one is, in a register.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int GetWindowSize(int fd, nuint request, WindowSize* size);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
