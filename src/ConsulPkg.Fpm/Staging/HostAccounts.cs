using ConsulPkg.Debian;

namespace ConsulPkg.Fpm.Staging;

/// <summary>
/// The build host's user and group names by id, from /etc/passwd and /etc/group, for fpm's
/// <c>--deb-use-file-permissions</c> (tar records the names the files have on the build host).
/// An id without a name keeps its number as the name, as GNU tar would leave the name empty and
/// dpkg would then use the number.
/// </summary>
public sealed class HostAccounts
{
    private readonly Dictionary<uint, string> _users;
    private readonly Dictionary<uint, string> _groups;

    private HostAccounts(Dictionary<uint, string> users, Dictionary<uint, string> groups)
    {
        _users = users;
        _groups = groups;
    }

    public static HostAccounts Load(string passwd = "/etc/passwd", string group = "/etc/group") =>
        new(ReadIds(passwd), ReadIds(group));

    public string UserName(uint uid) => _users.GetValueOrDefault(uid) ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string GroupName(uint gid) => _groups.GetValueOrDefault(gid) ?? gid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>name:password:id:... lines; the first name for an id wins, as getpwuid returns it.</summary>
    private static Dictionary<uint, string> ReadIds(string path)
    {
        var ids = new Dictionary<uint, string>();
        string[] lines;
        try
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read '{path}' for --deb-use-file-permissions: {Debian.IO.IoErrorText.Reason(exception)}", exception);
        }

        foreach (string line in lines)
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && uint.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint id))
            {
                ids.TryAdd(id, fields[0]);
            }
        }

        return ids;
    }
}
