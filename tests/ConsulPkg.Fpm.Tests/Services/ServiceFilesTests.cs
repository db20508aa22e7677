using ConsulPkg.Fpm.Services;
using ConsulPkg.Debian;
using ConsulPkg.Fpm.Scripts;
using ConsulPkg.Fpm.Tests.Support;

namespace ConsulPkg.Fpm.Tests.Services;

/// <summary>fpm's service flags as package files, conffiles and script actions (checked on the spec).</summary>
[TestFixture]
public sealed class ServiceFilesTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _temp.WriteFile("tree/usr/bin/app", "x");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private FpmOptions Options() => new()
    {
        WorkingDirectory = _temp.Path,
        HostArchitecture = "amd64",
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(SeedTree.Epoch),
        Name = "app",
        Chdir = "tree",
        Inputs = ["."],
    };

    private static PackageEntry Entry(FpmBuild build, string path) => build.Spec.Entries.Single(e => e.Path == path);

    [Test]
    public void SystemdUnitGoesUnderLibSystemdSystemWithServiceAddedAndIsManaged()
    {
        _temp.WriteFile("app", "[Service]\n");
        _temp.WriteFile("app.timer", "[Timer]\n");
        FpmBuild build = FpmPackageMapper.Map(Options() with { SystemdUnits = [FpmServiceSource.Systemd("app"), FpmServiceSource.Systemd("app.timer")], SystemdEnable = true });

        Assert.Multiple(() =>
        {
            Assert.That(Entry(build, "/lib/systemd/system/app.service").Mode, Is.EqualTo(0b110_100_100));
            Assert.That(Entry(build, "/lib/systemd/system/app.timer").Mode, Is.EqualTo(0b110_100_100));
            Assert.That(build.Spec.ConfFiles, Is.Empty, "units are not conffiles (fpm, dh_installsystemd)");
            Assert.That(build.Spec.Scripts.Keys, Is.EquivalentTo(new[] { MaintainerScript.Postinst, MaintainerScript.Prerm, MaintainerScript.Postrm }));
            Assert.That(Text(build, MaintainerScript.Postinst), Does.Contain("deb-systemd-helper enable app.service").And.Contain("deb-systemd-helper enable app.timer"));
        });
    }

    [Test]
    public void SystemdPathMovesTheUnits()
    {
        _temp.WriteFile("app.service", "[Service]\n");
        FpmBuild build = FpmPackageMapper.Map(Options() with { SystemdUnits = [FpmServiceSource.Systemd("app.service")], SystemdPath = "/usr/lib/systemd/system/" });
        Assert.That(build.Spec.Entries.Select(e => e.Path), Does.Contain("/usr/lib/systemd/system/app.service").And.Not.Contain("/lib/systemd/system/app.service"));
    }

    [Test]
    public void UnitWithAnUnknownExtensionIsRefusedByName()
    {
        var ex = Assert.Throws<PackageException>(() => FpmServiceSource.Systemd("app.unit"));
        Assert.That(ex!.Message, Does.StartWith("invalid --deb-systemd unit 'app.unit': its extension '.unit' is not a unit type; name it app.service"));
    }

    [Test]
    public void MissingServiceFileIsNamedWithItsFlag()
    {
        var ex = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(Options() with { InitScripts = [FpmServiceSource.Init("missing.init")] }));
        Assert.That(ex!.Message, Does.StartWith($"cannot read the --deb-init file '{_temp.Combine("missing.init")}'"));
    }

    [Test]
    public void InitDefaultAndUpstartFilesAreInstalledLikeFpmAndAreConffiles()
    {
        _temp.WriteFile("app.init", "#!/bin/sh\n");
        _temp.WriteFile("app.default", "OPTS=\n");
        _temp.WriteFile("app.upstart", "exec /usr/bin/app\n");
        FpmBuild build = FpmPackageMapper.Map(Options() with
        {
            InitScripts = [FpmServiceSource.Init("app.init")], DefaultFiles = [FpmServiceSource.Default("app.default")],
            UpstartJobs = [FpmServiceSource.Upstart("app.upstart")], NoDefaultConfigFiles = true,
        });

        Assert.Multiple(() =>
        {
            Assert.That(Entry(build, "/etc/init.d/app").Mode, Is.EqualTo(0b111_101_101));
            Assert.That(Entry(build, "/etc/default/app").Mode, Is.EqualTo(0b110_100_100));
            Assert.That(Entry(build, "/etc/init/app.conf").Mode, Is.EqualTo(0b110_100_100));
            Assert.That(build.Spec.ConfFiles, Is.EquivalentTo(new[] { "/etc/init.d/app", "/etc/default/app", "/etc/init/app.conf" }));
            Assert.That(Text(build, MaintainerScript.Postinst), Does.Contain("update-rc.d app defaults-disabled >/dev/null"));
            Assert.That(Text(build, MaintainerScript.Postrm), Does.Contain("update-rc.d app remove >/dev/null"));
        });
    }

    [Test]
    public void NoAutoConfigFilesLeavesThemToTheEtcRule()
    {
        _temp.WriteFile("app.default", "OPTS=\n");
        FpmBuild build = FpmPackageMapper.Map(Options() with { DefaultFiles = [FpmServiceSource.Default("app.default")], AutoConfigFiles = false });
        Assert.Multiple(() =>
        {
            Assert.That(build.Spec.ConfFiles, Is.Empty);
            Assert.That(build.Spec.EtcFilesAreConfFiles, Is.True, "still a conffile through fpm's /etc default unless --deb-no-default-config-files");
            Assert.That(build.Spec.Scripts, Is.Empty, "a default file alone needs no script");
        });
    }

    [Test]
    public void ServiceFileAndInputAtTheSamePathAreRefused()
    {
        _temp.WriteFile("tree/etc/default/app", "A=1\n");
        _temp.WriteFile("app.default", "A=2\n");
        var ex = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(Options() with { DefaultFiles = [FpmServiceSource.Default("app.default")] }));
        Assert.That(ex!.Message, Is.EqualTo("two inputs put something at '/etc/default/app': '.' and '--deb-default app.default'; exclude one or map it elsewhere"));
    }

    [Test]
    public void ScriptsWithoutAnInterpreterLineAreRefusedOnlyWhenTheyBecomeTheMaintainerScript()
    {
        _temp.WriteFile("after-install", "echo installed\n");
        _temp.WriteFile("after-upgrade", "echo upgraded\n");
        FpmOptions plain = Options() with { Scripts = new Dictionary<FpmScript, string> { [FpmScript.AfterInstall] = "after-install" } };
        var ex = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(plain));
        Assert.That(ex!.Message, Does.Contain("--after-install script").And.Contain("does not start with '#!'"));

        FpmOptions embedded = plain with
        {
            Scripts = new Dictionary<FpmScript, string> { [FpmScript.AfterInstall] = "after-install", [FpmScript.AfterUpgrade] = "after-upgrade" },
        };
        Assert.That(Text(FpmPackageMapper.Map(embedded), MaintainerScript.Postinst), Does.Contain("run_user_script --after-install /bin/sh"));
    }

    [Test]
    public void PlainScriptIsShippedByteForByte()
    {
        byte[] script = "#!/bin/bash\nexit 0\n"u8.ToArray();
        File.WriteAllBytes(_temp.Combine("pre"), script);
        FpmBuild build = FpmPackageMapper.Map(Options() with { Scripts = new Dictionary<FpmScript, string> { [FpmScript.BeforeInstall] = "pre" } });
        Assert.That(build.Spec.Scripts[MaintainerScript.Preinst].ToArray(), Is.EqualTo(script));
    }

    private static string Text(FpmBuild build, MaintainerScript script) =>
        System.Text.Encoding.UTF8.GetString(build.Spec.Scripts[script].Span);
}
