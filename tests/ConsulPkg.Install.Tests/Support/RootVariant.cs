namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// One flavour of the clean Debian root. A variant either comes straight from debootstrap
/// (<see cref="Include"/> extra packages) or is derived from a parent variant by purging packages
/// (<see cref="Purge"/>): debootstrap cannot leave out a package that a required one depends on
/// (bookworm's apt depends on adduser, so <c>--exclude=adduser</c> is silently ignored).
/// </summary>
public sealed record RootVariant(string Name, IReadOnlyList<string> Include, RootVariant? Parent, IReadOnlyList<string> Purge)
{
    /// <summary><c>debootstrap --variant=minbase</c>; on bookworm this includes adduser (pulled in by apt).</summary>
    public static readonly RootVariant Minbase = new("minbase", [], null, []);

    /// <summary>Minbase with adduser purged (forcing past apt's dependency): a root lacking a Pre-Depends.</summary>
    public static readonly RootVariant WithoutAdduser = new("minbase-no-adduser", [], Minbase, ["adduser"]);

    /// <summary>
    /// Minbase plus systemd installed but not running (nothing boots in a chroot): for
    /// <c>systemd-analyze verify</c> against the installed layout and offline <c>systemctl enable/disable</c>.
    /// </summary>
    public static readonly RootVariant WithSystemd = new("minbase-systemd", ["systemd"], null, []);

    /// <summary>Minbase plus apt-file, whose apt configuration makes <c>apt-get update</c> fetch the Contents indices.</summary>
    public static readonly RootVariant WithAptFile = new("minbase-apt-file", ["apt-file"], null, []);

    /// <summary>What identifies the variant's content, for the cache key.</summary>
    public string Describe() =>
        Parent is null
            ? $"{Name}: debootstrap --variant=minbase --include={string.Join(',', Include)}"
            : $"{Name}: {Parent.Describe()} then dpkg --purge --force-depends {string.Join(' ', Purge)}";
}
