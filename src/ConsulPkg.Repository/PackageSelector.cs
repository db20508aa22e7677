using ConsulPkg.Debian;

namespace ConsulPkg.Repository;

/// <summary>
/// NAME[=VERSION][:ARCH], as <c>repo remove</c> and <c>repo copy</c> name packages: every
/// version and architecture of NAME unless narrowed. A version's epoch has a ':' too; an
/// architecture is told apart by starting with a letter (a version after an epoch starts with a digit).
/// </summary>
public sealed record PackageSelector(string Name, string? Version, string? Architecture)
{
    /// <summary>The setting a refused selector names.</summary>
    public const string Setting = "package";

    public static PackageSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string rest = text;
        string? architecture = null;
        int colon = rest.LastIndexOf(':');
        if (colon >= 0 && colon + 1 < rest.Length && char.IsAsciiLetterLower(rest[colon + 1]))
        {
            architecture = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        string? version = null;
        int equals = rest.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            version = rest[(equals + 1)..];
            rest = rest[..equals];
        }

        if (ControlField.Package.CheckText(rest) is not null || (architecture is not null && ControlField.Architecture.CheckText(architecture) is not null) || version is { Length: 0 })
        {
            throw new PackageException($"package '{MessageText.OneLine(text)}' is not NAME[=VERSION][:ARCH]: e.g. consul, consul=0.7.2-1 or consul=0.7.2-1:amd64") { Setting = Setting };
        }

        if (version is not null)
        {
            try
            {
                _ = DebianVersion.Parse(version);
            }
            catch (InvalidSpecException e)
            {
                throw new PackageException($"package '{MessageText.OneLine(text)}': {e.Message}", e) { Setting = Setting };
            }
        }

        return new PackageSelector(rest, version, architecture);
    }

    internal bool Matches(IndexEntry entry) =>
        entry.Package == Name && (Version is null || entry.Version == Version) && (Architecture is null || entry.Architecture == Architecture);

    public override string ToString() => Name + (Version is null ? "" : "=" + Version) + (Architecture is null ? "" : ":" + Architecture);
}
