using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 9: <c>--deb-init</c>, <c>--deb-default</c> and <c>--deb-upstart</c> from <c>consul-pkg fpm</c>,
/// installed with the real dpkg: the files, their conffile status, and the update-rc.d/invoke-rc.d
/// calls dh_installinit would generate.
/// </summary>
[Category(TestCategories.Install)]
public sealed class FpmInitScriptTests
{
    private static readonly string[] ServiceFlags =
        ["--deb-init", "INIT", "--deb-default", "DEFAULT", "--deb-upstart", "UPSTART"];

    [Test]
    public void InitDefaultAndUpstartFilesAreInstalledAsConffilesAndTheInitScriptIsEnabled()
    {
        using var work = new TempDirectory("consul-pkg-fpm-init-");
        var package = new FpmServicePackage
        {
            WithUnit = false,
            Scripts = ["--after-install"],
            Flags = [.. Files(work.Path), "--deb-systemd-enable", "--deb-systemd-auto-start"],
        };
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var deb = root.CopyIn(package.Build(work.Path, 1));
        RecordInvokeRcD(root);

        var install = root.Dpkg("-i", deb);
        TestContext.Out.WriteLine(install);
        var installOrder = FpmServicePackage.Order(root);
        FpmServicePackage.ClearOrder(root);
        var conffiles = root.Run("dpkg-query", "-W", "-f=${Conffiles}", FpmServicePackage.Name).StdOut;
        var startLinks = RcLinks(root, "S");
        var remove = root.Dpkg("-r", FpmServicePackage.Name);
        TestContext.Out.WriteLine(remove);
        var modeAfterRemove = Mode(root, "/etc/init.d/hello");
        var removeOrder = FpmServicePackage.Order(root);
        var purge = root.Dpkg("-P", FpmServicePackage.Name);
        TestContext.Out.WriteLine(purge);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(conffiles, Does.Contain(" /etc/init.d/hello ").And.Contain(" /etc/default/hello ").And.Contain(" /etc/init/hello.conf "));
            Assert.That(startLinks, Is.EqualTo(new[] { "rc2.d", "rc3.d", "rc4.d", "rc5.d" }), "update-rc.d hello defaults");
            // invoke-rc.d puts the action in parentheses when no runlevel is known (as in any chroot).
            Assert.That(installOrder.Select(l => l.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)),
                Is.EqualTo(new[] { "after-install configure", "policy-rc.d hello start" }),
                "--deb-systemd-auto-start: invoke-rc.d hello start, after the package's own script");
            Assert.That(removeOrder.Select(l => l.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)),
                Is.EqualTo(new[] { "policy-rc.d hello stop" }), "remove stops it through invoke-rc.d");
            Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
            Assert.That(modeAfterRemove, Is.EqualTo("644"), "remove leaves the conffile init script but not executable, as dh_installinit does");
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(RcLinks(root, "S").Concat(RcLinks(root, "K")), Is.Empty, "purge ran update-rc.d hello remove");
            Assert.That(Path.Exists(root.HostPath("/etc/init.d/hello")), Is.False);
        });
    }

    [Test]
    public void WithoutEnableTheInitScriptIsInstalledDisabledAndNoAutoConfigFilesLeavesThemPlainFiles()
    {
        using var work = new TempDirectory("consul-pkg-fpm-init-");
        var package = new FpmServicePackage
        {
            WithUnit = false,
            Scripts = [],
            Flags = [.. Files(work.Path), "--deb-no-default-config-files", "--no-deb-auto-config-files"],
        };
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var deb = root.CopyIn(package.Build(work.Path, 1));
        RecordInvokeRcD(root);

        var install = root.Dpkg("-i", deb);
        TestContext.Out.WriteLine(install);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(root.Run("dpkg-query", "-W", "-f=${Conffiles}", FpmServicePackage.Name).StdOut, Is.Empty);
            Assert.That(Mode(root, "/etc/init.d/hello"), Is.EqualTo("755"));
            Assert.That(RcLinks(root, "S"), Is.Empty, "update-rc.d hello defaults-disabled makes no start link");
            Assert.That(FpmServicePackage.Order(root), Is.Empty, "without --deb-systemd-auto-start, invoke-rc.d is not asked to start it");
        });
    }

    /// <summary>
    /// invoke-rc.d asks policy-rc.d before acting: this one records the request and denies it
    /// (nothing may start in a test root), proving the scripts asked for exactly that action.
    /// </summary>
    private static void RecordInvokeRcD(DebianRoot root)
    {
        var policy = root.HostPath("/usr/sbin/policy-rc.d");
        File.WriteAllText(policy, $"#!/bin/sh\necho \"policy-rc.d $*\" >> {FpmServicePackage.OrderLog}\nexit 101\n");
        File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);
    }

    private static string[] Files(string directory) =>
        ServiceFlags.Select(f => f switch
        {
            "INIT" => Path.Combine(directory, "hello.init"),
            "DEFAULT" => Path.Combine(directory, "hello.default"),
            "UPSTART" => Path.Combine(directory, "hello.upstart"),
            _ => f,
        }).ToArray();

    /// <summary>The /etc/rcN.d directories holding a PREFIX??hello link.</summary>
    private static string[] RcLinks(DebianRoot root, string prefix) =>
        Directory.GetDirectories(root.HostPath("/etc"), "rc?.d")
            .Where(d => Directory.GetFileSystemEntries(d, prefix + "??hello").Length > 0)
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static string Mode(DebianRoot root, string path) => root.Run("stat", "-c", "%a", path).StdOut.Trim();
}
