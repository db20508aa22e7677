using System.Runtime.InteropServices;
using ConsulPkg.Debian.Interop;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// A file operation on string paths that .NET has no API for, for the libraries above
/// this one (the C library calls themselves stay in <see cref="LibC"/>). Failures are
/// <see cref="IOException"/>s with the system's reason.
/// </summary>
public static class UnixFiles
{
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

    /// <summary>
    /// Makes everything written to the file system holding <paramref name="directory"/> durable
    /// (<c>syncfs</c>): one flush for many files, where an fsync each costs a journal commit each.
    /// </summary>
    public static unsafe void SyncFileSystem(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        int fd;
        fixed (byte* p = LibC.Terminated(directory))
        {
            fd = LibC.Open(p, LibC.ORdOnly | LibC.ODirectory | LibC.OCloExec, 0);
        }

        if (fd < 0)
        {
            throw new IOException($"could not open {directory}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        if (LibC.SyncFs(fd) != 0)
        {
            throw new IOException($"could not write {directory}'s file system to disk: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>A second name <paramref name="path"/> for the file <paramref name="existing"/> (link(2)).</summary>
    public static unsafe void HardLink(string existing, string path)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(path);
        int result;
        fixed (byte* e = LibC.Terminated(existing))
        fixed (byte* p = LibC.Terminated(path))
        {
            result = LibC.Link(e, p);
        }

        if (result != 0)
        {
            throw new IOException($"could not link {path} to {existing}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }
}
