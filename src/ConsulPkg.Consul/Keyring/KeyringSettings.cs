namespace ConsulPkg.Consul.Keyring;

/// <summary>The settings of a key rotation that a <see cref="Debian.PackageException.Setting"/> can name.</summary>
public static class KeyringSettings
{
    /// <summary>Where the Consul agent's HTTP API is.</summary>
    public const string HttpAddress = "Consul HTTP address";

    /// <summary>The ACL token sent with every request.</summary>
    public const string Token = "ACL token";

    /// <summary>The file holding the new key (a generated one is written to a new file).</summary>
    public const string NewKey = "new key file";

    /// <summary>How long one step may wait for every member.</summary>
    public const string Timeout = "rotation timeout";
}
