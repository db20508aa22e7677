using ConsulPkg.Debian;

namespace ConsulPkg.Fpm.Scripts;

/// <summary>
/// The package's own scripts, one per fpm flag, in the order fpm's templates embed them (an
/// upgrade script before its install script).
/// </summary>
public enum FpmScript
{
    BeforeUpgrade,
    BeforeInstall,
    AfterUpgrade,
    AfterInstall,
    BeforeRemove,
    AfterRemove,
    AfterPurge,
}

public static class FpmScripts
{
    /// <summary>The flag that gives the script, as fpm spells it (for messages).</summary>
    public static string Flag(this FpmScript script) => script switch
    {
        FpmScript.BeforeInstall => "--before-install",
        FpmScript.AfterInstall => "--after-install",
        FpmScript.BeforeRemove => "--before-remove",
        FpmScript.AfterRemove => "--after-remove",
        FpmScript.BeforeUpgrade => "--before-upgrade",
        FpmScript.AfterUpgrade => "--after-upgrade",
        FpmScript.AfterPurge => "--deb-after-purge",
        _ => throw new ArgumentOutOfRangeException(nameof(script), script, null),
    };

    /// <summary>The maintainer script the user's script runs in.</summary>
    public static MaintainerScript Target(this FpmScript script) => script switch
    {
        FpmScript.BeforeInstall or FpmScript.BeforeUpgrade => MaintainerScript.Preinst,
        FpmScript.AfterInstall or FpmScript.AfterUpgrade => MaintainerScript.Postinst,
        FpmScript.BeforeRemove => MaintainerScript.Prerm,
        FpmScript.AfterRemove or FpmScript.AfterPurge => MaintainerScript.Postrm,
        _ => throw new ArgumentOutOfRangeException(nameof(script), script, null),
    };
}
