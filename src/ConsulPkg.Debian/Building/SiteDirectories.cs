namespace ConsulPkg.Debian.Building;

/// <summary>
/// The directories every Debian system has that no package owns: base-files' postinst creates
/// them (<c>install_directory</c> and <c>install_local_dir</c> in Debian 12's base-files 12.4)
/// for the administrator, and policy 9.1.2 keeps packages out of /usr/local.
/// </summary>
/// <remarks>
/// A package whose data lists one of them becomes its only owner, so dpkg removes it when that
/// package is purged and leaves it empty: purging a package with <c>/usr/local/bin/tool</c> takes
/// <c>/usr/local/bin</c> off the machine (piuparts: "After purging files have disappeared").
/// dpkg-deb and fpm list every directory of the tree they are given; debhelper never ships
/// these. The data therefore never lists them (given or implied); dpkg unpacks into them because
/// they exist, and refuses the package ("error creating directory") on a system where an
/// administrator removed one.
/// </remarks>
public static class SiteDirectories
{
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal)
    {
        // install_directory, on base-files' first configure
        "/mnt", "/srv", "/opt", "/etc/opt", "/var/opt", "/media", "/var/mail", "/run/lock",

        // install_local_dir, and the /usr/local/man -> share/man link beside them
        "/usr/local", "/usr/local/share", "/usr/local/share/man", "/usr/local/bin", "/usr/local/games",
        "/usr/local/lib", "/usr/local/include", "/usr/local/sbin", "/usr/local/src", "/usr/local/etc",
        "/usr/local/man",
    };

    /// <summary>Whether <paramref name="path"/> is one of them: the data may put things below it, never list it.</summary>
    public static bool Contains(PackagePath path) => Paths.Contains(path.Absolute);
}
