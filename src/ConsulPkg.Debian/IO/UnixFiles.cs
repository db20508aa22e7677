using System.Runtime.InteropServices;
using ConsulPkg.Debian.Interop;
using Microsoft.Win32.SafeHandles;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// The two file operations on string paths that .NET has no API for, for the libraries above
/// this one (the C library calls themselves stay in <see cref="LibC"/>). Failures are
/// <see cref="IOException"/>s with the system's reason.
/// </summary>
public static class UnixFiles
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading with O_NONBLOCK, so that a FIFO without a writer
    /// (a path swapped for one after the caller checked it) cannot make the open wait.
    /// </summary>
    public static unsafe SafeFileHandle OpenForReadingNonBlocking(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd;
        fixed (byte* p = LibC.Terminated(path))
        {
            fd = LibC.Open(p, LibC.ORdOnly | LibC.ONonBlock | LibC.OCloExec, 0);
        }

        return fd >= 0
            ? new SafeFileHandle(fd, ownsHandle: true)
            : throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
    }

    /// <summary>Gives <paramref name="path"/> to group <paramref name="gid"/>, keeping its owner (chown with uid -1).</summary>
    public static unsafe void SetGroup(string path, int gid)
    {
        ArgumentNullException.ThrowIfNull(path);
        int result;
        fixed (byte* p = LibC.Terminated(path))
        {
            result = LibC.ChOwn(p, -1, gid);
        }

        if (result != 0)
        {
            throw new IOException($"could not give {path} to group {gid}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }
}
