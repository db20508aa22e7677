using ConsulPkg.Debian;

namespace ConsulPkg.Fpm.Staging;

/// <summary>
/// The build host's user and group names by id, and ids by name, from /etc/passwd and
/// /etc/group, for fpm's <c>--deb-use-file-permissions</c> and dpkg-deb's -b (tar records the
/// names the files have on the build host) and, as root, -x (tar gives files to those names).
/// An id without a name keeps its number as the name, as GNU tar would leave the name empty and
/// dpkg would then use the number.
/// </summary>
public sealed class HostAccounts
{
    private readonly Dictionary<uint, string> _users;
    private readonly Dictionary<uint, string> _groups;
    private readonly Dictionary<string, uint> _userIds;
    private readonly Dictionary<string, uint> _groupIds;

    private HostAccounts((Dictionary<uint, string> Names, Dictionary<string, uint> Ids) users, (Dictionary<uint, string> Names, Dictionary<string, uint> Ids) groups)
    {
        (_users, _userIds) = users;
        (_groups, _groupIds) = groups;
    }

    public static HostAccounts Load(string passwd = "/etc/passwd", string group = "/etc/group") =>
        new(ReadIds(passwd), ReadIds(group));

    public string UserName(uint uid) => _users.GetValueOrDefault(uid) ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string GroupName(uint gid) => _groups.GetValueOrDefault(gid) ?? gid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The name of a user id, or null when the host has none (GNU tar then records an empty name).</summary>
    public string? FindUserName(uint uid) => _users.GetValueOrDefault(uid);

    /// <summary>The name of a group id, or null when the host has none.</summary>
    public string? FindGroupName(uint gid) => _groups.GetValueOrDefault(gid);

    /// <summary>The id of a user name, or null when the host has no such user (GNU tar then keeps the archive's number).</summary>
    public long? FindUserId(string name) => _userIds.TryGetValue(name, out uint id) ? id : null;

    /// <summary>The id of a group name, or null when the host has no such group.</summary>
    public long? FindGroupId(string name) => _groupIds.TryGetValue(name, out uint id) ? id : null;

    /// <summary>name:password:id:... lines; the first name for an id and the first id for a name win, as getpwuid and getpwnam return them.</summary>
    private static (Dictionary<uint, string>, Dictionary<string, uint>) ReadIds(string path)
    {
        var ids = new Dictionary<uint, string>();
        var names = new Dictionary<string, uint>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read '{path}' to name file owners: {Debian.IO.IoErrorText.Reason(exception)}", exception);
        }

        foreach (string line in lines)
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && uint.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint id))
            {
                ids.TryAdd(id, fields[0]);
                names.TryAdd(fields[0], id);
            }
        }

        return (ids, names);
    }
}
