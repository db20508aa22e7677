using System.Runtime.InteropServices;
using ConsulPkg.Debian.Interop;
using Microsoft.Win32.SafeHandles;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// File operations on paths given as bytes. A Unix file name is a byte string; .NET's path APIs
/// take UTF-16 strings and turn bytes that are not UTF-8 into U+FFFD, so two different names
/// (<c>caf\xe9</c>, <c>caf\xe8</c>) would become one. These call the C library with the bytes as
/// they are. Failures are <see cref="IOException"/>s naming the path and the system's reason.
/// </summary>
internal static unsafe class ByteNamedFiles
{
    /// <summary>The file's status without following a final symlink; null when nothing is there.</summary>
    public static FileStatus? TryGetStatus(ReadOnlySpan<byte> path, Func<string> shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        FileStatus? status = FileStatus.TryGet(path, followSymlink: false, out int errno);
        return status is not null || errno is LibC.ENoEnt ? status : throw Failure("cannot inspect", shown(), errno);
    }

    /// <summary>Creates a directory (mode 0777 less the umask; the final mode is set later).</summary>
    public static void CreateDirectory(ReadOnlySpan<byte> path, Func<string> shown)
    {
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.MkDir(p, 0x1ff), "cannot create directory", shown);
        }
    }

    /// <summary>
    /// mkdir(2) with mode 0777 less the umask; false when something already has that name (which
    /// may be anything: the caller decides whether that is fine).
    /// </summary>
    public static bool TryCreateDirectory(ReadOnlySpan<byte> path, Func<string> shown)
    {
        int result;
        fixed (byte* p = LibC.Terminated(path))
        {
            result = LibC.MkDir(p, 0x1ff);
        }
        if (result == 0)
        {
            return true;
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno == LibC.EExist ? false : throw Failure("cannot create directory", shown(), errno);
    }

    /// <summary>Gives the file to <paramref name="uid"/>:<paramref name="gid"/>, a symlink itself rather than what it points to.</summary>
    public static void SetOwner(ReadOnlySpan<byte> path, long uid, long gid, Func<string> shown)
    {
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.LChOwn(p, (int)uid, (int)gid), "cannot set the owner of", shown);
        }
    }

    /// <summary>Creates a new file for writing (never an existing one, never through a symlink), mode 0600.</summary>
    public static FileStream CreateNew(ReadOnlySpan<byte> path, Func<string> shown)
    {
        int fd;
        fixed (byte* p = LibC.Terminated(path))
        {
            fd = LibC.Open(p, LibC.OWrOnly | LibC.OCreat | LibC.OExcl | LibC.OCloExec, 0x180);
        }
        Check(fd, "cannot create", shown);
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1 << 16);
    }

    public static void CreateSymbolicLink(ReadOnlySpan<byte> path, ReadOnlySpan<byte> target, Func<string> shown)
    {
        fixed (byte* t = LibC.Terminated(target))
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.SymLink(t, p), "cannot create symlink", shown);
        }
    }

    public static void CreateHardLink(ReadOnlySpan<byte> path, ReadOnlySpan<byte> existing, Func<string> shown)
    {
        fixed (byte* e = LibC.Terminated(existing))
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.Link(e, p), "cannot create hard link", shown);
        }
    }

    public static void CreateFifo(ReadOnlySpan<byte> path, Func<string> shown)
    {
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.MkFifo(p, 0x180), "cannot create fifo", shown);
        }
    }

    /// <summary>Creates a character or block device node (root only, as mknod(2) insists), mode 0600 until set.</summary>
    public static void CreateDevice(ReadOnlySpan<byte> path, bool block, long major, long minor, Func<string> shown)
    {
        const uint CharacterDevice = 0x2000, BlockDevice = 0x6000;
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.MkNod(p, (block ? BlockDevice : CharacterDevice) | 0x180, LibC.MakeDevice((ulong)major, (ulong)minor)), "cannot create device", shown);
        }
    }

    /// <summary>Sets permission bits (and setuid/setgid/sticky). Follows a symlink: call it on what was just created.</summary>
    public static void SetMode(ReadOnlySpan<byte> path, int mode, Func<string> shown)
    {
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.ChMod(p, (uint)(mode & 0xFFF)), "cannot set the mode of", shown);
        }
    }

    /// <summary>
    /// Sets the mtime (atime: now) without following a symlink. Any 64-bit time is accepted: the
    /// kernel clamps it to what the file system can store, as it does for GNU tar.
    /// </summary>
    public static void SetModificationTime(ReadOnlySpan<byte> path, long seconds, Func<string> shown, int nanoseconds = 0)
    {
        long* times = stackalloc long[4] { 0, LibC.UtimeNow, seconds, nanoseconds };
        fixed (byte* p = LibC.Terminated(path))
        {
            Check(LibC.UtimensAt(LibC.AtFdCwd, p, times, LibC.AtSymlinkNoFollow), "cannot set the time of", shown);
        }
    }

    /// <summary>
    /// Removes a non-directory if one is there, or an empty directory (GNU tar makes way for a
    /// file so); refuses a directory with something in it; nothing there is fine.
    /// </summary>
    public static void RemoveNonDirectory(ReadOnlySpan<byte> path, Func<string> shown)
    {
        int result;
        fixed (byte* p = LibC.Terminated(path))
        {
            result = LibC.Unlink(p);
        }
        if (result == 0)
        {
            return;
        }
        int errno = Marshal.GetLastPInvokeError();
        if (errno == LibC.ENoEnt)
        {
            return;
        }
        if (errno == LibC.EIsDir)
        {
            fixed (byte* p = LibC.Terminated(path))
            {
                if (LibC.RmDir(p) == 0)
                {
                    return;
                }
            }
            throw new IOException($"'{shown()}' exists as a directory that is not empty");
        }
        throw Failure("cannot remove", shown(), errno);
    }

    private static void Check(int result, string what, Func<string> shown)
    {
        if (result < 0)
        {
            throw Failure(what, shown(), Marshal.GetLastPInvokeError());
        }
    }

    private static IOException Failure(string what, string shown, int errno) =>
        new($"{what} '{shown}': {Marshal.GetPInvokeErrorMessage(errno)}");
}
