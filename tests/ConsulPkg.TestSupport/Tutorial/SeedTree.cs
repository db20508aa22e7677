namespace ConsulPkg.Testing.Tutorial;

/// <summary>The seed tutorial's ~/pkg directory: the tree and the three scripts side by side in ".".</summary>
public static class SeedTree
{
    /// <summary>The seed's exact fpm arguments.</summary>
    public static readonly string[] FpmArguments =
    [
        "fpm", "--name", "consul", "--input-type", "dir", "--output-type", "deb", "--version", "0.7.2", "--vendor", "haf",
        "--pre-install", "./pre-install", "--post-install", "./post-install", "--pre-uninstall", "./pre-uninstall",
        "--iteration", "1", ".",
    ];

    public const string PackageFile = "consul_0.7.2-1_amd64.deb";

    /// <summary>The build timestamp the tests use (SOURCE_DATE_EPOCH).</summary>
    public const long Epoch = 1_480_956_780;

    public static void Create(TempDirectory dir)
    {
        const UnixFileMode Exec = (UnixFileMode)0b111_101_101;
        dir.WriteFile("usr/local/bin/consul", "#!/bin/sh\necho consul stand-in\n", Exec);
        dir.WriteFile("usr/lib/systemd/system/consul.service", "[Unit]\nDescription=consul agent\n");
        dir.WriteFile("etc/consul.d/bootstrap/consul.conf", "{}\n");
        dir.WriteFile("etc/consul.d/server/consul.conf", "{}\n");
        dir.WriteFile("etc/consul.d/client/consul.conf", "{}\n");
        dir.WriteFile("pre-install", "#!/bin/sh\nset -e\ngetent passwd consul >/dev/null || useradd --system consul\n", Exec);
        dir.WriteFile("post-install", "#!/bin/sh\nset -e\nchown -R consul /etc/consul.d\n", Exec);
        dir.WriteFile("pre-uninstall", "#!/bin/sh\nset -e\nsystemctl stop consul || true\n", Exec);
    }
}
