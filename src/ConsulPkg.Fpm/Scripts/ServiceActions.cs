namespace ConsulPkg.Fpm.Scripts;

/// <summary>
/// What the generated maintainer scripts do for the package's services, from fpm's
/// <c>--deb-systemd*</c> and <c>--deb-init</c> flags (fpm's defaults: enable off, auto-start off,
/// restart-after-upgrade on).
/// </summary>
public sealed record ServiceActions
{
    public static ServiceActions None { get; } = new();

    /// <summary>Unit names as installed ("consul.service"), already checked to be shell-safe.</summary>
    public IReadOnlyList<string> SystemdUnits { get; init; } = [];

    /// <summary>Names of the <c>/etc/init.d</c> scripts, already checked to be shell-safe.</summary>
    public IReadOnlyList<string> InitScripts { get; init; } = [];

    /// <summary>Enable on first install (and keep it across upgrades unless the administrator disabled it).</summary>
    public bool Enable { get; init; }

    /// <summary>Start after install (an upgrade restarts instead when <see cref="RestartAfterUpgrade"/>).</summary>
    public bool AutoStart { get; init; }

    /// <summary>Restart after an upgrade when the service was running.</summary>
    public bool RestartAfterUpgrade { get; init; } = true;

    /// <summary>System users preinst makes before unpacking (<c>--deb-sysuser</c>, an extension).</summary>
    public IReadOnlyList<FpmSystemUser> SystemUsers { get; init; } = [];

    public bool IsEmpty => SystemdUnits.Count == 0 && InitScripts.Count == 0 && SystemUsers.Count == 0;
}

/// <summary>
/// <c>--deb-sysuser NAME[:HOME]</c>: a system user and group NAME, no login shell, HOME created
/// (owned by the user) only when given; made in preinst, before the files are unpacked.
/// </summary>
public sealed record FpmSystemUser(string Name, string? Home);
