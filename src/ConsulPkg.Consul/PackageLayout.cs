namespace ConsulPkg.Consul;

/// <summary>Where the package puts things.</summary>
public enum PackageLayout
{
    /// <summary>The tutorial's paths: /usr/local/bin/consul and /usr/lib/systemd/system (lintian overrides shipped).</summary>
    Seed,

    /// <summary>Policy-clean: /usr/bin/consul and /lib/systemd/system, as Debian 12's debhelper installs units.</summary>
    Debian,
}

/// <summary>The target paths of one layout. Configs, data and role file are the same in both.</summary>
internal sealed record LayoutPaths(string BinaryPath, string UnitPath)
{
    public const string ConfigRoot = "/etc/consul.d";

    /// <summary>
    /// The administrator's settings for one node (bind_addr, node_name, ...): the unit reads it
    /// after the role's directory. The package ships it empty and never writes into it, so
    /// upgrades keep what is there; purge removes it.
    /// </summary>
    public const string NodeConfigDir = ConfigRoot + "/node";

    /// <summary>
    /// The gossip key given at install (<c>{"encrypt": "..."}</c>, root:consul 0640): in the node
    /// directory, so the agent reads it after the role's config; written by postinst, never a
    /// conffile, kept on upgrade, removed on purge with the directory.
    /// </summary>
    public const string EncryptFile = NodeConfigDir + "/encrypt.json";
    public const string DataDir = "/var/lib/consul";
    public const string DefaultsFile = "/etc/default/consul";
    public const string UnitName = "consul.service";

    public static LayoutPaths For(PackageLayout layout) => layout switch
    {
        PackageLayout.Seed => new LayoutPaths("/usr/local/bin/consul", "/usr/lib/systemd/system/" + UnitName),
        PackageLayout.Debian => new LayoutPaths("/usr/bin/consul", "/lib/systemd/system/" + UnitName),
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown layout"),
    };

    /// <summary>Where a role's configuration goes: <c>/etc/consul.d/&lt;role&gt;/consul.json</c> (0.7 reads only *.json), or <c>consul.hcl</c>.</summary>
    public static string ConfigPath(AgentRole role, string fileName = "consul.json") => $"{ConfigRoot}/{role.ToName()}/{fileName}";
}

/// <summary>The three agent roles of the seed's cluster.</summary>
public enum AgentRole
{
    Bootstrap,
    Server,
    Client,
}

public static class AgentRoleExtensions
{
    public static IReadOnlyList<AgentRole> All { get; } = [AgentRole.Bootstrap, AgentRole.Server, AgentRole.Client];

    public static string ToName(this AgentRole role) => role switch
    {
        AgentRole.Bootstrap => "bootstrap",
        AgentRole.Server => "server",
        AgentRole.Client => "client",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    public static string TemplateName(this AgentRole role) => role.ToName() + ".json";
}
