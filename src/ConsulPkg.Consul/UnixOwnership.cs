using System.Globalization;
using System.Runtime.InteropServices;

namespace ConsulPkg.Consul;

/// <summary>
/// The one ownership change .NET has no API for: giving a file to a group (chown(2) with uid -1).
/// Used when root writes configs, so the consul group (the agent) can read them.
/// </summary>
internal static class UnixOwnership
{
    /// <summary>The gid of <paramref name="group"/> from /etc/group, or null when it does not exist.</summary>
    public static int? GroupId(string group, string groupFile = "/etc/group")
    {
        if (!File.Exists(groupFile))
        {
            return null;
        }

        foreach (string line in File.ReadLines(groupFile))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int gid))
            {
                return gid;
            }
        }

        return null;
    }

    /// <summary>Sets the group of <paramref name="path"/>, keeping its owner.</summary>
    public static void SetGroup(string path, int gid)
    {
        if (Chown(path, -1, gid) != 0)
        {
            throw new IOException($"could not give {path} to group {gid}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for one call.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "chown", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Chown(string path, int owner, int group);
#pragma warning restore SYSLIB1054
}
