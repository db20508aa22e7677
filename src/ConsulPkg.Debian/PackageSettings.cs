namespace ConsulPkg.Debian;

/// <summary>The settings of a package build that a <see cref="PackageException.Setting"/> can name.</summary>
public static class PackageSettings
{
    /// <summary>Whether an existing output file may be replaced.</summary>
    public const string Overwrite = "overwrite";

    /// <summary>Where the package is written.</summary>
    public const string Output = "output";

    /// <summary>Whether Depends is computed from the shared libraries the package's ELF files need.</summary>
    public const string AutoDepends = "automatic dependencies";
}
