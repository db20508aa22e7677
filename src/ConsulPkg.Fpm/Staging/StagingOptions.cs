using ConsulPkg.Debian;

namespace ConsulPkg.Fpm.Staging;

/// <summary>How <see cref="StagingTree"/> turns host files into package entries.</summary>
public sealed record StagingOptions
{
    public static StagingOptions Default { get; } = new();

    /// <summary>Owner name of every entry (dpkg maps it to a local id at unpack if the user exists).</summary>
    public string Owner { get; init; } = "root";

    public string Group { get; init; } = "root";

    /// <summary>When set, each entry keeps the owner and group it has on disk (named through these accounts) instead of <see cref="Owner"/>/<see cref="Group"/>.</summary>
    public HostAccounts? DiskOwners { get; init; }

    /// <summary>Target paths ("/usr/bin/x") to leave out; an excluded directory is not descended into.</summary>
    public Func<string, bool> Excludes { get; init; } = static _ => false;

    /// <summary>Host paths (absolute) found while walking a directory that are to be left out.</summary>
    public Func<string, bool> SkipSource { get; init; } = static _ => false;

    /// <summary>fpm's owners (fixed, or as on disk with --deb-use-file-permissions) and excludes, the same for every input type.</summary>
    internal static StagingOptions For(FpmOptions options, string prefix)
    {
        FpmGlob[] excludes = options.Excludes.Select(p => new FpmGlob(p)).ToArray();
        return new StagingOptions
        {
            Owner = options.User ?? "root",
            Group = options.Group ?? "root",
            DiskOwners = options.UseFilePermissions ? HostAccounts.Load() : null,
            Excludes = target => IsExcluded(target, prefix, excludes),
        };
    }

    private static bool IsExcluded(string target, string prefix, FpmGlob[] excludes)
    {
        if (excludes.Length == 0)
        {
            return false;
        }

        string relative = prefix != "/" && target.StartsWith(prefix + "/", StringComparison.Ordinal)
            ? target[(prefix.Length + 1)..]
            : PackagePath.Parse(target).Relative;
        return excludes.Any(glob => glob.IsMatch(relative));
    }
}
