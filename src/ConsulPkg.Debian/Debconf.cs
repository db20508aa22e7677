namespace ConsulPkg.Debian;

/// <summary>What a package that asks debconf questions needs from the format.</summary>
public static class Debconf
{
    /// <summary>
    /// The dependency of a package with debconf templates or a config script, as dh_installdebconf
    /// puts it in ${misc:Depends} (lintian: missing-debconf-dependency).
    /// </summary>
    public const string Dependency = "debconf (>= 0.5) | debconf-2.0";

    /// <summary>The control member holding the config script (run as a program: 0755).</summary>
    public const string ConfigMember = "config";

    /// <summary>The control member holding the questions.</summary>
    public const string TemplatesMember = "templates";
}
