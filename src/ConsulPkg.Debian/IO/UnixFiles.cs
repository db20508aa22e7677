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
}
