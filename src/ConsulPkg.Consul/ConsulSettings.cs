namespace ConsulPkg.Consul;

/// <summary>The settings of a Consul build that a <see cref="Debian.PackageException.Setting"/> can name.</summary>
public static class ConsulSettings
{
    /// <summary>The mirror the release is downloaded from.</summary>
    public const string ReleaseUrl = "release URL";

    /// <summary>The most one download may take.</summary>
    public const string DownloadDeadline = "download deadline";

    /// <summary>The explicit choice not to check the signature on SHA256SUMS.</summary>
    public const string SkipSignature = "skip signature";

    /// <summary>The directory of templates overriding the shipped ones.</summary>
    public const string Templates = "templates";

    /// <summary>The Consul release asked for.</summary>
    public const string ConsulVersion = "Consul version";

    /// <summary>The Debian architecture asked for.</summary>
    public const string Architecture = "architecture";

    /// <summary>Consul's own names for the agent settings.</summary>
    public const string BindAddr = "bind_addr";

    public const string ClientAddr = "client_addr";

    public const string Datacenter = "datacenter";

    public const string Join = "retry_join";
}
