using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Fpm.Scripts;
using ConsulPkg.Fpm.Tests.Support;

namespace ConsulPkg.Fpm.Tests;

/// <summary>fpm's option semantics, checked on the spec alone: no process, no package written.</summary>
[TestFixture]
public sealed class FpmPackageMapperTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private FpmOptions Options(params string[] inputs) => FpmTestOptions.For(_temp, "consul", inputs);

    private static string[] Paths(FpmBuild build) => build.Spec.Entries.Select(e => e.Path).ToArray();

    [Test]
    public void SeedLineMapsToConsul072Revision1WithScriptsOutOfData()
    {
        SeedTree.Create(_temp);
        FpmBuild build = FpmPackageMapper.Map(Options(".") with
        {
            Version = "0.7.2",
            Iteration = "1",
            TextFields = new Dictionary<ControlField, string> { [ControlField.Vendor] = "haf" },
            Scripts = new Dictionary<FpmScript, string>
            {
                [FpmScript.BeforeInstall] = "./pre-install",
                [FpmScript.AfterInstall] = "./post-install",
                [FpmScript.BeforeRemove] = "./pre-uninstall",
            },
        });

        Assert.Multiple(() =>
        {
            Assert.That(build.OutputPath, Is.EqualTo(_temp.Combine(SeedTree.PackageFile)));
            Assert.That(build.Spec.Control.Version.ToString(), Is.EqualTo("0.7.2-1"));
            Assert.That(build.Spec.Control.Architecture, Is.EqualTo("amd64"));
            Assert.That(build.Spec.Control.Vendor, Is.EqualTo("haf"));
            Assert.That(build.Spec.Control.Maintainer, Is.EqualTo(FpmDefaults.Maintainer));
            Assert.That(build.Spec.Control.License, Is.EqualTo("unknown"));
            Assert.That(build.Spec.Scripts.Keys, Is.EquivalentTo(new[] { MaintainerScript.Preinst, MaintainerScript.Postinst, MaintainerScript.Prerm }));
            Assert.That(Paths(build), Does.Not.Contain("/pre-install").And.Not.Contain("/post-install").And.Not.Contain("/pre-uninstall"));
            Assert.That(Paths(build), Does.Contain("/usr/local/bin/consul").And.Contain("/etc/consul.d/server/consul.conf"));
            Assert.That(build.Spec.EtcFilesAreConfFiles, Is.True);
            Assert.That(build.Spec.Compression, Is.EqualTo(CompressionSettings.Create(CompressionFormat.Gzip, 9)));
            Assert.That(build.Spec.Documentation.Generate, Is.True);
        });
    }

    [Test]
    public void ScriptNamedAsAnInputIsStillPackaged()
    {
        _temp.WriteFile("pre-install", "#!/bin/sh\n");
        FpmBuild build = FpmPackageMapper.Map(Options("pre-install=/usr/share/consul/pre-install") with
        {
            Scripts = new Dictionary<FpmScript, string> { [FpmScript.BeforeInstall] = "pre-install" },
        });
        Assert.That(Paths(build), Is.EqualTo(new[] { "/usr/share/consul/pre-install" }));
    }

    [Test]
    public void PlainRelativeInputKeepsItsPath()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        Assert.That(Paths(FpmPackageMapper.Map(Options("usr/bin"))), Is.EqualTo(new[] { "/usr/bin", "/usr/bin/tool" }));
    }

    [TestCase("build/=/opt/app", new[] { "/opt/app", "/opt/app/a", "/opt/app/sub", "/opt/app/sub/b" })]
    [TestCase("build=/opt/app", new[] { "/opt/app/build", "/opt/app/build/a", "/opt/app/build/sub", "/opt/app/build/sub/b" })]
    [TestCase("build/a=/usr/bin/tool", new[] { "/usr/bin/tool" })]
    [TestCase("build/a=/usr/bin/", new[] { "/usr/bin/a" })]
    public void MappingsFollowRsyncSemanticsLikeFpm(string mapping, string[] expected)
    {
        _temp.WriteFile("build/a", "x");
        _temp.WriteFile("build/sub/b", "x");
        Assert.That(Paths(FpmPackageMapper.Map(Options(mapping))), Is.EqualTo(expected));
    }

    [Test]
    public void ChdirAndPrefixPlaceInputs()
    {
        _temp.WriteFile("stage/bin/tool", "x");
        FpmBuild build = FpmPackageMapper.Map(Options("bin") with { Chdir = "stage", Prefix = "/opt/tool" });
        Assert.That(Paths(build), Is.EqualTo(new[] { "/opt/tool/bin", "/opt/tool/bin/tool" }));
    }

    [Test]
    public void ChdirWithoutInputsPackagesTheDirectory()
    {
        _temp.WriteFile("stage/usr/bin/tool", "x");
        FpmBuild build = FpmPackageMapper.Map(Options() with { Chdir = "stage" });
        Assert.That(Paths(build), Is.EqualTo(new[] { "/usr", "/usr/bin", "/usr/bin/tool" }));
    }

    [Test]
    public void ExcludeGlobsMatchLikeFnmatchAndPruneDirectories()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        _temp.WriteFile("usr/bin/tool.log", "x");
        _temp.WriteFile("var/cache/x/y", "x");
        FpmBuild build = FpmPackageMapper.Map(Options(".") with { Excludes = ["*.log", "var/cache"] });
        Assert.That(Paths(build), Is.EqualTo(new[] { "/usr", "/usr/bin", "/usr/bin/tool", "/var" }));
    }

    [Test]
    public void OutputFileIsNeverPackagedIntoItself()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        _temp.WriteFile("consul_1.0_amd64.deb", "old");
        FpmBuild build = FpmPackageMapper.Map(Options(".") with { Force = true });
        Assert.That(Paths(build), Does.Not.Contain("/consul_1.0_amd64.deb"));
    }

    [Test]
    public void ConfigFilesDirectoryMeansEveryFileBelowIt()
    {
        _temp.WriteFile("opt/app/conf/a.json", "{}");
        _temp.WriteFile("opt/app/conf/sub/b.json", "{}");
        _temp.WriteFile("opt/app/bin/app", "x");
        FpmBuild build = FpmPackageMapper.Map(Options(".") with { ConfigFiles = ["opt/app/conf"], NoDefaultConfigFiles = true });
        Assert.Multiple(() =>
        {
            Assert.That(build.Spec.ConfFiles, Is.EqualTo(new[] { "/opt/app/conf/a.json", "/opt/app/conf/sub/b.json" }));
            Assert.That(build.Spec.EtcFilesAreConfFiles, Is.False);
        });
    }

    [Test]
    public void ConfigFileNeitherInTheDataNorOnTheHostIsRefused()
    {
        _temp.WriteFile("tree/usr/bin/tool", "x");
        var ex = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(Options(".") with { Chdir = "tree", ConfigFiles = ["etc/missing.conf"] }));
        Assert.That(ex!.Message, Is.EqualTo(
            $"config file '/etc/missing.conf' (--config-files etc/missing.conf) is neither in the package data nor a file on this host ('{_temp.Combine("etc/missing.conf")}'): give a path as installed, e.g. /etc/consul.d/consul.json"));
    }

    [Test]
    public void ConfigFileOnlyOnTheHostIsCopiedInAtThatPathWithAWarning()
    {
        // fpm's write_conffiles: the host path (relative to the working directory) is copied into the
        // package at the same path, which for "./app.yml" is /app.yml, rarely what was meant.
        _temp.WriteFile("tree/usr/bin/tool", "x");
        _temp.WriteFile("app.yml", "a: 1\n");
        _temp.WriteFile("conf.d/one.conf", "1\n");
        FpmBuild build = FpmPackageMapper.Map(Options(".") with { Chdir = "tree", ConfigFiles = ["./app.yml", "conf.d"] });
        Assert.Multiple(() =>
        {
            Assert.That(Paths(build), Is.EqualTo(new[] { "/app.yml", "/conf.d", "/conf.d/one.conf", "/usr", "/usr/bin", "/usr/bin/tool" }));
            Assert.That(build.Spec.ConfFiles, Is.EqualTo(new[] { "/app.yml", "/conf.d/one.conf" }));
            Assert.That(build.Warnings, Is.EqualTo(new[]
            {
                $"--config-files ./app.yml is not in the package data: the host's '{_temp.Combine("app.yml")}' is copied in as /app.yml and marked a conffile, as fpm does",
                $"--config-files conf.d is not in the package data: the host's '{_temp.Combine("conf.d")}' is copied in as /conf.d and marked a conffile, as fpm does",
            }));
        });
    }

    [TestCase(null, "amd64")]
    [TestCase("native", "amd64")]
    [TestCase("x86_64", "amd64")]
    [TestCase("aarch64", "arm64")]
    [TestCase("noarch", "all")]
    [TestCase("all", "all")]
    [TestCase("riscv64", "riscv64")]
    public void ArchitectureNamesBecomeDebians(string? given, string expected) =>
        Assert.That(FpmPackageMapper.MapControl(Options() with { Architecture = given }).Architecture, Is.EqualTo(expected));

    [TestCase("libc6", "libc6")]
    [TestCase("libc6 >= 2.17", "libc6 (>= 2.17)")]
    [TestCase("foo > 1", "foo (>> 1)")]
    [TestCase("foo < 1", "foo (<< 1)")]
    [TestCase("foo (>= 1) | bar", "foo (>= 1) | bar")]
    public void RelationsAreFixedLikeFpm(string given, string expected) =>
        Assert.That(FpmPackageMapper.FixRelation(given), Is.EqualTo(expected));

    [Test]
    public void EpochAndDashedVersionAreKept()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FpmPackageMapper.MapControl(Options() with { Version = "0.7.2", Iteration = "1", Epoch = 2 }).Version.ToString(), Is.EqualTo("2:0.7.2-1"));
            Assert.That(FpmPackageMapper.MapControl(Options() with { Version = "0.7.2-3" }).Version.ToString(), Is.EqualTo("0.7.2-3"));
            Assert.That(FpmPackageMapper.MapControl(Options()).Version.ToString(), Is.EqualTo("1.0"));
        });
    }

    [Test]
    public void PackagePlaceholdersAndDirectories()
    {
        ControlFile control = FpmPackageMapper.MapControl(Options() with { Version = "0.7.2", Iteration = "1", Epoch = 1 });
        Directory.CreateDirectory(_temp.Combine("out"));
        Assert.Multiple(() =>
        {
            Assert.That(FpmOutputPath.Resolve("out", control, _temp.Path), Is.EqualTo(_temp.Combine("out", "consul_0.7.2-1_amd64.deb")));
            Assert.That(FpmOutputPath.Resolve("NAME-VERSION-ITERATION.ARCH.EXTENSION", control, _temp.Path), Is.EqualTo(_temp.Combine("consul-0.7.2-1.amd64.deb")));
            Assert.That(FpmOutputPath.Resolve("/tmp/NAME_FULLVERSION_EPOCH.TYPE", control, _temp.Path), Is.EqualTo("/tmp/consul_0.7.2-1_1.deb"));
        });
    }

    [Test]
    public void TwoInputsAtOnePathAreRefused()
    {
        _temp.WriteFile("a/tool", "x");
        _temp.WriteFile("b/tool", "y");
        var ex = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(Options("a/=/usr/bin", "b/=/usr/bin")));
        Assert.That(ex!.Message, Is.EqualTo("two inputs put something at '/usr/bin/tool': 'a/=/usr/bin' and 'b/=/usr/bin'; exclude one or map it elsewhere"));
    }

    [Test]
    public void InputOutsideChdirIsRefused()
    {
        var ex = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(Options("..")));
        Assert.That(ex!.Message, Does.StartWith("input '..' lies outside the -C/--chdir directory"));
    }
}
