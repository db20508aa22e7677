namespace ConsulPkg.Repository;

/// <summary>The settings of a publication that a <see cref="Debian.PackageException.Setting"/> can name.</summary>
public static class RepositorySettings
{
    public const string Repository = "repository";

    public const string Suite = "suite";

    public const string Component = "component";

    /// <summary>The suites <c>repo copy</c> reads and writes.</summary>
    public const string From = "from";

    public const string To = "to";

    /// <summary>How many versions of each name and architecture a publish keeps.</summary>
    public const string KeepVersions = "keep-versions";

    public const string Codename = "codename";

    public const string Origin = "origin";

    public const string Label = "label";

    /// <summary>How long the signed Release stays valid.</summary>
    public const string ValidFor = "validity";

    /// <summary>Whether packages carrying a secret are published (0600) rather than refused.</summary>
    public const string AllowSecrets = "allow secrets";
}
