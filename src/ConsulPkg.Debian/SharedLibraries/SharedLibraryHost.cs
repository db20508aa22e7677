namespace ConsulPkg.Debian.SharedLibraries;

/// <summary>
/// Where the build host keeps what dpkg-shlibdeps reads: dpkg's database (which package owns
/// which file, and each package's <c>shlibs</c> and <c>symbols</c> files), dpkg's configuration
/// (<c>shlibs.override</c>, <c>shlibs.default</c>, <c>symbols/</c>) and the dynamic loader's
/// configuration (<c>ld.so.conf</c>), and which architecture the host is.
/// </summary>
public sealed record SharedLibraryHost
{
    /// <summary>dpkg's database; its <c>info/</c> holds each package's file list and control files.</summary>
    public string AdminDirectory { get; init; } = "/var/lib/dpkg";

    /// <summary>dpkg's configuration directory.</summary>
    public string ConfigDirectory { get; init; } = "/etc/dpkg";

    /// <summary>The dynamic loader's configuration, whose directories (and includes) are searched after /lib and /usr/lib.</summary>
    public string LoaderConfiguration { get; init; } = "/etc/ld.so.conf";

    /// <summary>
    /// The Debian architecture of the build host: a package for another one is a cross build,
    /// whose libraries dpkg-shlibdeps looks for in that architecture's multiarch directories first.
    /// </summary>
    public required string BuildArchitecture { get; init; }
}
