using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>Maps Debian architecture names to the names HashiCorp uses in release file names.</summary>
public static class ConsulArchitecture
{
    private static readonly Dictionary<string, string> DebianToHashiCorp = new(StringComparer.Ordinal)
    {
        ["amd64"] = "amd64",
        ["i386"] = "386",
        ["armhf"] = "arm",
        ["arm64"] = "arm64",
    };

    /// <summary>The Debian architectures a Consul package can be built for.</summary>
    public static IReadOnlyCollection<string> SupportedDebianArchitectures => DebianToHashiCorp.Keys;

    /// <summary>HashiCorp's name for a Debian architecture ("i386" → "386").</summary>
    public static string ToHashiCorp(string debianArchitecture)
    {
        ArgumentNullException.ThrowIfNull(debianArchitecture);
        return DebianToHashiCorp.TryGetValue(debianArchitecture, out string? name)
            ? name
            : throw new PackageException(
                $"unsupported architecture '{debianArchitecture}': use one of {string.Join(", ", DebianToHashiCorp.Keys)} (Debian names)");
    }
}
