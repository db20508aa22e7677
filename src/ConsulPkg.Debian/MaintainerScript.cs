namespace ConsulPkg.Debian;

/// <summary>The four maintainer scripts dpkg runs; the enum name lowercased is the control member name.</summary>
public enum MaintainerScript
{
    Preinst,
    Postinst,
    Prerm,
    Postrm,
}
