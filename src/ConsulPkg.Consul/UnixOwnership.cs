using System.Globalization;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Consul;

/// <summary>
/// Which gid a group name has, so that root can give the configs it writes to the consul group
/// (the agent) with <see cref="UnixFiles.SetGroup"/>.
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
}
