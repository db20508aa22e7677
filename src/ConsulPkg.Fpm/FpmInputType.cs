using ConsulPkg.Debian;

namespace ConsulPkg.Fpm;

/// <summary>fpm's <c>-s</c> input types: the ones consul-pkg reads, and a way out for the rest.</summary>
public enum FpmInputKind
{
    /// <summary>Files and directories on the build host.</summary>
    Directory,

    /// <summary>A tarball (.tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .tar.zst) as the tree.</summary>
    Tarball,

    /// <summary>No files: a metapackage of dependencies and scripts.</summary>
    Empty,

    /// <summary>An existing .deb, repackaged: its fields, scripts, conffiles and data, under the flags given.</summary>
    Deb,
}

public static class FpmInputType
{
    /// <summary>
    /// What to say for each fpm input type that needs a language toolchain or another package
    /// manager: consul-pkg builds from files, so the way out is to let that toolchain install into
    /// a directory and package the directory.
    /// </summary>
    private static readonly Dictionary<string, string> ToolchainInstead = new(StringComparer.Ordinal)
    {
        ["gem"] = "run 'gem install --install-dir DIR --no-document GEM' and package DIR with -s dir",
        ["python"] = "run 'pip install --root DIR --prefix /usr PACKAGE' and package DIR with -s dir",
        ["virtualenv"] = "create the virtualenv at its install path inside a staging directory and package that with -s dir",
        ["npm"] = "run 'npm install --global --prefix DIR/usr PACKAGE' and package DIR with -s dir",
        ["cpan"] = "run 'cpanm --local-lib DIR MODULE' and package DIR with -s dir",
        ["pear"] = "run 'pear install --installroot DIR PACKAGE' and package DIR with -s dir",
        ["pleaserun"] = "write the systemd unit yourself and give it with --deb-systemd",
        ["rpm"] = "unpack it with 'rpm2cpio FILE | cpio -idm' in a directory and package that with -s dir",
        ["zip"] = "unzip it into a directory and package that with -s dir (or repack it as a tarball for -s tar)",
        ["apk"] = "unpack it into a directory and package that with -s dir",
        ["freebsd"] = "unpack it into a directory and package that with -s dir",
        ["pacman"] = "unpack it into a directory and package that with -s dir",
        ["osxpkg"] = "unpack it into a directory and package that with -s dir",
        ["p5p"] = "unpack it into a directory and package that with -s dir",
        ["snap"] = "unpack it with 'unsquashfs' into a directory and package that with -s dir",
        ["solaris"] = "unpack it into a directory and package that with -s dir",
        ["sh"] = "run the installer into a directory and package that with -s dir",
    };

    /// <summary>The kind of input <paramref name="inputType"/> names; anything else is refused in one line.</summary>
    public static FpmInputKind Parse(string? inputType) => inputType switch
    {
        null => throw new PackageException("missing -s/--input-type: consul-pkg fpm builds from '-s dir', '-s tar', '-s empty' or '-s deb'"),
        "dir" => FpmInputKind.Directory,
        "tar" => FpmInputKind.Tarball,
        "empty" => FpmInputKind.Empty,
        "deb" => FpmInputKind.Deb,
        _ when ToolchainInstead.TryGetValue(inputType, out string? instead) =>
            throw new PackageException($"input type '-s {inputType}' is not supported by consul-pkg fpm: {instead}"),
        _ => throw new PackageException($"unknown input type '-s {inputType}': use dir, tar, empty or deb"),
    };
}
