namespace ConsulPkg.Debian.Reading;

/// <summary>
/// What an extraction restores beyond names and contents, as GNU tar under dpkg-deb decides it:
/// the target directory is made with one mkdir(2) (its parent must exist), modes are kept
/// exactly with <c>tar -p</c> (dpkg-deb -x) or when running as root, and otherwise lose the
/// umask's bits; as root, owners are restored by the names in the archive, falling back to its
/// numbers, as tar's --same-owner does.
/// </summary>
public sealed record ExtractOptions
{
    /// <summary>dpkg-deb -x as an unprivileged user: modes kept, owners not restored.</summary>
    public static ExtractOptions Default { get; } = new();

    /// <summary>Whether modes are set exactly as archived; false: without the <see cref="Umask"/> bits (and setuid, setgid, sticky).</summary>
    public bool PreservePermissions { get; init; } = true;

    /// <summary>The process umask, used when <see cref="PreservePermissions"/> is false.</summary>
    public int Umask { get; init; }

    /// <summary>
    /// Non-null: owners are restored, each entry given to the local user named in the archive
    /// (this function's answer for the name) or else the archive's number. Null: files stay the
    /// extracting user's.
    /// </summary>
    public Func<string, long?>? LocalUserId { get; init; }

    /// <summary>The same for groups; owners are restored only when both are set.</summary>
    public Func<string, long?>? LocalGroupId { get; init; }

    /// <summary>Whether the target directory must not exist yet (dpkg-deb -R puts the control area in a new DEBIAN/).</summary>
    public bool RequireNewDirectory { get; init; }

    /// <summary>Called with each entry before it is extracted, as <c>tar -xv</c> names it (dpkg-deb -X).</summary>
    public Action<TarEntry>? Listing { get; init; }

    internal bool RestoresOwners => LocalUserId is not null && LocalGroupId is not null;
}
