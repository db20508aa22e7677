using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 9: the maintainer scripts <c>consul-pkg fpm</c> generates for <c>--deb-systemd</c> and
/// the upgrade-aware script flags, driven by the real dpkg in a Debian root with systemd
/// installed (not running: deb-systemd-helper works offline, so its links are real).
/// Every user script ends in <c>exit 0</c>; the links prove the service part still ran.
/// </summary>
[Category("Install")]
public sealed class FpmServiceLifecycleTests
{
    private const string Wants = "/etc/systemd/system/multi-user.target.wants/hello.service";
    private const string Mask = "/etc/systemd/system/hello.service";
    private const string State = "/var/lib/systemd/deb-systemd-helper-enabled/hello.service.dsh-also";

    [Test]
    public void EnabledServiceLivesThroughInstallUpgradeRemoveReinstallPurgeAndReinstall()
    {
        using var work = new TempDirectory("consul-pkg-fpm-service-");
        var package = new FpmServicePackage { Flags = ["--deb-systemd-enable"] };
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var v1 = root.CopyIn(package.Build(Dir(work, "1"), 1));
        var v2 = root.CopyIn(package.Build(Dir(work, "2"), 2));

        var install = Step(root, "-i", v1);
        var installLinked = IsLinkedToUnit(root);
        var installOrder = FpmServicePackage.Order(root);

        FpmServicePackage.ClearOrder(root);
        var upgrade = Step(root, "-i", v2);
        var upgradeLinked = IsLinkedToUnit(root);
        var upgradeOrder = FpmServicePackage.Order(root);

        FpmServicePackage.ClearOrder(root);
        var remove = Step(root, "-r", FpmServicePackage.Name);
        var removeMasked = Path.Exists(root.HostPath(Mask));
        var removeUnit = File.Exists(root.HostPath(FpmServicePackage.UnitPath));
        var removeOrder = FpmServicePackage.Order(root);

        FpmServicePackage.ClearOrder(root);
        var reinstall = Step(root, "-i", v2);
        var reinstallMasked = Path.Exists(root.HostPath(Mask));
        var reinstallLinked = IsLinkedToUnit(root);
        var reinstallOrder = FpmServicePackage.Order(root);

        FpmServicePackage.ClearOrder(root);
        var purge = Step(root, "-P", FpmServicePackage.Name);
        var purgeOrder = FpmServicePackage.Order(root);
        var purgeLeft = new[] { Wants, Mask, State }.Where(p => Path.Exists(root.HostPath(p))).ToList();

        FpmServicePackage.ClearOrder(root);
        var fresh = Step(root, "-i", v1);
        var freshLinked = IsLinkedToUnit(root);
        var freshOrder = FpmServicePackage.Order(root);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(installOrder, Is.EqualTo(new[] { "before-install install", "after-install configure" }));
            Assert.That(installLinked, Is.True, "enabled on first install although --after-install ended in 'exit 0'");

            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(upgradeOrder, Is.EqualTo(new[] { "before-upgrade 1.0-1", "after-upgrade 1.0-1" }),
                "an upgrade runs the upgrade scripts with the old version, not the install or remove ones");
            Assert.That(upgradeLinked, Is.True, "still enabled after the upgrade");

            Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
            Assert.That(removeOrder, Is.EqualTo(new[] { "before-remove remove", "after-remove remove" }));
            Assert.That(removeUnit, Is.False, "the unit went with the package: nothing can start it");
            Assert.That(removeMasked, Is.False, "remove masks nothing (debhelper 13.10 on): a mask would hide another package's unit of that name");

            Assert.That(reinstall.ExitCode, Is.Zero, reinstall.ToString());
            Assert.That(reinstallOrder, Is.EqualTo(new[] { "before-upgrade 1.0-2", "after-upgrade 1.0-2" }),
                "installing over kept configuration is an upgrade from that version, as in fpm");
            Assert.That(reinstallMasked, Is.False, "nor does reinstall");
            Assert.That(reinstallLinked, Is.True, "and the unit is enabled again");

            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(purgeOrder, Is.EqualTo(new[] { "before-remove remove", "after-remove remove", "after-purge purge" }),
                "--deb-after-purge runs on purge only, after the remove scripts");
            Assert.That(purgeLeft, Is.Empty, "purge removes every link and deb-systemd-helper's record");

            Assert.That(fresh.ExitCode, Is.Zero, fresh.ToString());
            Assert.That(freshOrder, Is.EqualTo(new[] { "before-install install", "after-install configure" }), "after purge an install is fresh");
            Assert.That(freshLinked, Is.True, "and enables the unit again");
        });
    }

    [Test]
    public void NotEnabledServiceKeepsTheAdministratorsChoiceThroughUpgradeRemoveAndReinstall()
    {
        using var work = new TempDirectory("consul-pkg-fpm-service-");
        var package = new FpmServicePackage();
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var v1 = root.CopyIn(package.Build(Dir(work, "1"), 1));
        var v2 = root.CopyIn(package.Build(Dir(work, "2"), 2));

        var install = Step(root, "-i", v1);
        var installEnabled = IsEnabled(root);
        root.Run("systemctl", "enable", FpmServicePackage.Unit).EnsureSuccess();
        var upgrade = Step(root, "-i", v2);
        var upgradeLinked = IsLinkedToUnit(root);
        var remove = Step(root, "-r", FpmServicePackage.Name);
        var removeMasked = Path.Exists(root.HostPath(Mask));
        var reinstall = Step(root, "-i", v2);
        var reinstallLinked = IsLinkedToUnit(root);
        root.Run("systemctl", "disable", FpmServicePackage.Unit).EnsureSuccess();
        var upgradeAgain = Step(root, "-i", v1);
        var afterDisableLinked = Path.Exists(root.HostPath(Wants));
        var purge = Step(root, "-P", FpmServicePackage.Name);
        var purgeLeft = new[] { Wants, Mask, State }.Where(p => Path.Exists(root.HostPath(p))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(installEnabled, Is.EqualTo("disabled"), "fpm's default: not enabled by the package");
            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(upgradeLinked, Is.True, "the administrator's enable survives an upgrade");
            Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
            Assert.That(removeMasked, Is.False, "remove masks nothing");
            Assert.That(reinstall.ExitCode, Is.Zero, reinstall.ToString());
            Assert.That(reinstallLinked, Is.True, "and comes back after remove and reinstall");
            Assert.That(upgradeAgain.ExitCode, Is.Zero, upgradeAgain.ToString());
            Assert.That(afterDisableLinked, Is.False, "a later disable is never undone by the package");
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(purgeLeft, Is.Empty);
        });
    }

    [Test]
    public void EnabledServiceStaysDisabledAfterUpgradeWhenTheAdministratorDisabledIt()
    {
        using var work = new TempDirectory("consul-pkg-fpm-service-");
        var package = new FpmServicePackage { Flags = ["--deb-systemd-enable"] };
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var v1 = root.CopyIn(package.Build(Dir(work, "1"), 1));
        var v2 = root.CopyIn(package.Build(Dir(work, "2"), 2));

        Step(root, "-i", v1).EnsureSuccess();
        root.Run("systemctl", "disable", FpmServicePackage.Unit).EnsureSuccess();
        var upgrade = Step(root, "-i", v2);

        Assert.Multiple(() =>
        {
            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(IsEnabled(root), Is.EqualTo("disabled"), "--deb-systemd-enable enables on first install only");
        });
    }

    [Test]
    public void WithoutUpgradeScriptsTheInstallAndRemoveScriptsSeeEveryDpkgCall()
    {
        using var work = new TempDirectory("consul-pkg-fpm-service-");
        var package = new FpmServicePackage
        {
            Scripts = ["--before-install", "--after-install", "--before-remove", "--after-remove"],
            Flags = ["--deb-systemd-enable"],
        };
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var v1 = root.CopyIn(package.Build(Dir(work, "1"), 1));
        var v2 = root.CopyIn(package.Build(Dir(work, "2"), 2));

        Step(root, "-i", v1).EnsureSuccess();
        FpmServicePackage.ClearOrder(root);
        Step(root, "-i", v2).EnsureSuccess();
        var upgradeOrder = FpmServicePackage.Order(root);
        FpmServicePackage.ClearOrder(root);
        Step(root, "-P", FpmServicePackage.Name).EnsureSuccess();
        var purgeOrder = FpmServicePackage.Order(root);

        Assert.Multiple(() =>
        {
            // dpkg's upgrade sequence: old prerm upgrade, new preinst upgrade, old postrm upgrade,
            // new postinst configure; the scripts see it as they would as the maintainer scripts.
            Assert.That(upgradeOrder, Is.EqualTo(new[]
            {
                "before-remove upgrade 1.0-2", "before-install upgrade 1.0-1 1.0-2", "after-remove upgrade 1.0-2", "after-install configure 1.0-1",
            }));
            Assert.That(purgeOrder, Is.EqualTo(new[] { "before-remove remove", "after-remove remove", "after-remove purge" }));
            Assert.That(IsEnabled(root), Does.Not.EqualTo("enabled"));
        });
    }

    [Test]
    public void FailingUserScriptFailsItsMaintainerScriptAndIsNamed()
    {
        using var work = new TempDirectory("consul-pkg-fpm-service-");
        var package = new FpmServicePackage
        {
            Scripts = ["--after-install", "--after-upgrade"],
            Bodies = new Dictionary<string, string> { ["--after-install"] = "echo failing >&2\nexit 3" },
            Flags = ["--deb-systemd-enable"],
        };
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var deb = root.CopyIn(package.Build(Dir(work, "1"), 1));

        var install = Step(root, "-i", deb);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Not.Zero);
            Assert.That(install.StdErr, Does.Contain("hello postinst: the --after-install script failed with exit status 3"));
            Assert.That(install.StdErr, Does.Contain("post-installation script subprocess returned error exit status 3"));
            Assert.That(root.PackageStatus(FpmServicePackage.Name)?["Status"], Is.EqualTo("install ok half-configured"));
            Assert.That(Path.Exists(root.HostPath(Wants)), Is.False, "nothing after the failed script ran");
            Assert.That(Directory.GetFiles(root.HostPath("/tmp"), "tmp.*"), Is.Empty, "the embedded script's temporary file is gone");
        });
    }

    /// <summary>dpkg's every argument, per script (deb-maintainer-scripts and dpkg's source); anything else fails.</summary>
    [Test]
    public void EveryDpkgArgumentIsHandledAndAnUnknownOneFails()
    {
        using var work = new TempDirectory("consul-pkg-fpm-service-");
        var package = new FpmServicePackage { Flags = ["--deb-systemd-enable"] };
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        Step(root, "-i", root.CopyIn(package.Build(Dir(work, "1"), 1))).EnsureSuccess();
        string[] calls =
        [
            "preinst install", "preinst install 0.9-1", "preinst upgrade 0.9-1", "preinst abort-upgrade 1.0-2",
            "postinst configure 0.9-1", "postinst abort-upgrade 1.0-2", "postinst abort-remove",
            "postinst abort-deconfigure in-favour other 1.0", "prerm upgrade 1.0-2", "prerm failed-upgrade 1.0-2",
            "prerm deconfigure in-favour other 1.0", "postrm upgrade 1.0-2", "postrm failed-upgrade 1.0-2",
            "postrm abort-install", "postrm abort-install 0.9-1", "postrm abort-upgrade 0.9-1", "postrm disappear other 1.0",
        ];

        Assert.Multiple(() =>
        {
            foreach (var call in calls)
            {
                var parts = call.Split(' ');
                var result = root.Run([$"/var/lib/dpkg/info/hello.{parts[0]}", .. parts[1..]]);
                Assert.That(result.ExitCode, Is.Zero, result.ToString());
            }

            foreach (var script in new[] { "preinst", "postinst", "prerm", "postrm" })
            {
                var result = root.Run($"/var/lib/dpkg/info/hello.{script}", "triggered-by-mistake");
                Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
                Assert.That(result.StdErr, Does.Contain($"hello {script}: called with unknown argument 'triggered-by-mistake'"));
            }
        });
    }

    private static string Dir(TempDirectory work, string name)
    {
        var path = Path.Combine(work.Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static ProcessResult Step(DebianRoot root, params string[] dpkgArguments)
    {
        var result = root.Dpkg(dpkgArguments);
        TestContext.Out.WriteLine(result);
        return result;
    }

    private static string IsEnabled(DebianRoot root) =>
        root.Run("systemctl", "is-enabled", FpmServicePackage.Unit).StdOut.Trim();

    /// <summary>The wants link exists and points at the installed unit (bookworm's /lib is /usr/lib).</summary>
    private static bool IsLinkedToUnit(DebianRoot root) =>
        LinkTarget(root, Wants) is FpmServicePackage.UnitPath or "/usr/lib/systemd/system/hello.service";

    private static string? LinkTarget(DebianRoot root, string path) => new FileInfo(root.HostPath(path)).LinkTarget;
}
