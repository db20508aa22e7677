namespace ConsulPkg.Debian.OpenPgp;

/// <summary>The settings of signing and verifying that a <see cref="PackageException.Setting"/> can name.</summary>
public static class OpenPgpSettings
{
    /// <summary>The OpenPGP public keys trusted to have made a signature.</summary>
    public const string TrustedKeys = "trusted keys";

    /// <summary>The signing key's passphrase.</summary>
    public const string Passphrase = "passphrase";
}
