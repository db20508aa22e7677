using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;
using ConsulPkg.Fpm.Tests.Support;

namespace ConsulPkg.Fpm.Tests;

/// <summary>fpm's debconf, trigger, shlibs and meta-file flags: the control members they add, checked on the spec.</summary>
[TestFixture]
public sealed class FpmControlMembersTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _temp.WriteFile("usr/bin/tool", "x");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private FpmOptions Options() => FpmTestOptions.For(_temp, "tool", "usr");

    private static Dictionary<string, (string Text, bool Executable)> Members(FpmBuild build) =>
        build.Spec.ExtraControlMembers.ToDictionary(m => m.Name, m => (Encoding.UTF8.GetString(m.Data.Span), m.Executable));

    [Test]
    public void DebconfFilesAreConfigAndTemplatesAndTheyDependOnDebconf()
    {
        _temp.WriteFile("config", "#!/bin/sh\n. /usr/share/debconf/confmodule\n");
        _temp.WriteFile("templates", "Template: tool/port\nType: string\n");
        FpmBuild build = FpmPackageMapper.Map(Options() with { DebconfConfig = "config", DebconfTemplates = "templates", Relations = new Dictionary<ControlField, IReadOnlyList<string>> { [ControlField.Depends] = ["adduser"] } });
        Assert.Multiple(() =>
        {
            Assert.That(Members(build)["config"], Is.EqualTo(("#!/bin/sh\n. /usr/share/debconf/confmodule\n", true)));
            Assert.That(Members(build)["templates"], Is.EqualTo(("Template: tool/port\nType: string\n", false)));
            Assert.That(build.Spec.Control.Depends, Is.EqualTo(new[] { "adduser", "debconf (>= 0.5) | debconf-2.0" }));
        });
    }

    [Test]
    public void NoDependsOrAGivenDebconfDependencyAddsNone()
    {
        _temp.WriteFile("templates", "Template: tool/port\n");
        FpmOptions options = Options() with { DebconfTemplates = "templates" };
        Assert.Multiple(() =>
        {
            Assert.That(FpmPackageMapper.Map(options with { Relations = new Dictionary<ControlField, IReadOnlyList<string>> { [ControlField.Depends] = ["adduser"] }, NoDepends = true }).Spec.Control.Depends, Is.Empty);
            Assert.That(FpmPackageMapper.Map(options with { Relations = new Dictionary<ControlField, IReadOnlyList<string>> { [ControlField.Depends] = ["cdebconf | debconf"] } }).Spec.Control.Depends, Is.EqualTo(new[] { "cdebconf | debconf" }));
        });
    }

    [Test]
    public void ConfigWithoutAnInterpreterLineIsRefused()
    {
        _temp.WriteFile("config", "db_input medium tool/port\n");
        var error = Assert.Throws<InvalidSpecException>(() =>
            DebPackageWriter.WriteFile(FpmPackageMapper.Map(Options() with { DebconfConfig = "config" }).Spec, _temp.Combine("out.deb"), overwrite: false))!;
        Assert.That(error.Message, Does.StartWith("the config script must start with an interpreter line"));
        Assert.That(_temp.Combine("out.deb"), Does.Not.Exist);
    }

    [Test]
    public void TriggerFlagsAreOneDirectiveALineInFpmsOrder()
    {
        FpmTriggers triggers = new()
        {
            ActivateNoAwait = ["d"], InterestNoAwait = ["c"], Activate = ["b1", "b2"], Interest = ["/usr/share/a"],
        };
        FpmBuild build = FpmPackageMapper.Map(Options() with { Triggers = triggers });
        Assert.That(Members(build)["triggers"], Is.EqualTo(("interest /usr/share/a\nactivate b1\nactivate b2\ninterest-noawait c\nactivate-noawait d\n", false)));
    }

    [Test]
    public void ATriggersMetaFileIsJoinedWithTheTriggerFlags()
    {
        _temp.WriteFile("meta/triggers", "interest-noawait /usr/share/tool/hooks");
        FpmBuild build = FpmPackageMapper.Map(Options() with { MetaFiles = ["meta/triggers"], Triggers = new FpmTriggers { Activate = ["x"] } });
        Assert.That(Members(build)["triggers"].Text, Is.EqualTo("interest-noawait /usr/share/tool/hooks\nactivate x\n"));
    }

    [Test]
    public void ShlibsIsTheGivenTextAndActivatesLdconfig()
    {
        FpmBuild build = FpmPackageMapper.Map(Options() with { Shlibs = "libtool 1 libtool1 (>= 1.0)" });
        Assert.Multiple(() =>
        {
            Assert.That(Members(build)["shlibs"], Is.EqualTo(("libtool 1 libtool1 (>= 1.0)\n", false)));
            Assert.That(Members(build)["triggers"].Text, Is.EqualTo("activate-noawait ldconfig\n"));
            Assert.That(build.Spec.Scripts, Is.Empty, "ldconfig runs from the trigger, not from added scripts");
        });
    }

    [Test]
    public void MetaFilesKeepTheirNamesAndConfigIsExecutable()
    {
        _temp.WriteFile("meta/symbols", "libtool.so.1 libtool1 #MINVER#\n");
        _temp.WriteFile("meta/config", "#!/bin/sh\n");
        FpmBuild build = FpmPackageMapper.Map(Options() with { MetaFiles = ["meta/symbols", "meta/config"] });
        Assert.Multiple(() =>
        {
            Assert.That(Members(build)["symbols"], Is.EqualTo(("libtool.so.1 libtool1 #MINVER#\n", false)));
            Assert.That(Members(build)["config"].Executable, Is.True);
        });
    }

    [TestCase("meta/postinst", "--deb-meta-file 'meta/postinst' would replace the postinst the package is built with: use --after-install")]
    [TestCase("meta/control", "--deb-meta-file 'meta/control' would replace the control the package is built with: use --deb-custom-control")]
    [TestCase("meta/shlibs", "--deb-meta-file 'meta/shlibs' and --deb-shlibs both give the shlibs member: give one")]
    [TestCase("meta/missing", "cannot read the --deb-meta-file file '{dir}/meta/missing': no such file or directory")]
    public void AMetaFileThatWouldReplaceAMemberOrIsMissingIsRefused(string given, string message)
    {
        _temp.WriteFile("meta/postinst", "#!/bin/sh\n");
        _temp.WriteFile("meta/control", "Package: x\n");
        _temp.WriteFile("meta/shlibs", "libx 1 libx1\n");
        var error = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(Options() with { MetaFiles = [given], Shlibs = "libtool 1 libtool1" }))!;
        Assert.That(error.Message, Is.EqualTo(message.Replace("{dir}", _temp.Path, StringComparison.Ordinal)));
    }

    [TestCase("")]
    [TestCase("two words")]
    [TestCase("tab\there")]
    public void ATriggerNameDpkgWouldRefuseIsRefused(string name)
    {
        var error = Assert.Throws<PackageException>(() => FpmTriggers.CheckName(name, "interest"))!;
        Assert.That(error.Message, Does.StartWith("invalid --deb-interest '"));
    }

    [Test]
    public void UpstreamChangelogIsShippedAndContradictsNoDocs()
    {
        _temp.WriteFile("CHANGES", "1.0: first\n");
        FpmOptions options = Options() with { UpstreamChangelogPath = "CHANGES", Distribution = "bookworm" };
        DocumentationOptions docs = FpmPackageMapper.Map(options).Spec.Documentation;
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(docs.UpstreamChangelog!.Value.Span), Is.EqualTo("1.0: first\n"));
            Assert.That(docs.Distribution, Is.EqualTo("bookworm"));
            Assert.That(() => FpmPackageMapper.Map(options with { GenerateDocumentation = false }),
                Throws.TypeOf<PackageException>().With.Message.EqualTo("--deb-upstream-changelog and --deb-no-docs contradict each other: drop one"));
        });
    }

    [TestCase("libfoo (= 1.2.3-1)", "libfoo (>= 1.2.3-1)", "libfoo (<< 1.2.4)")]
    [TestCase("bar (= 2.0)", "bar (>= 2.0)", "bar (<< 2.1)")]
    [TestCase("bar (= 1.0~rc1)", "bar (>= 1.0~rc1)", "bar (<< 1.1)")]
    [TestCase("bar (= 2:1.0)", "bar (>= 2:1.0)", "bar (<< 2:1.1)")]
    [TestCase("bar (= 7)", "bar (>= 7)", "bar (<< 8)")]
    public void IgnoreIterationWidensAnExactVersionAsFpmDoes(string relation, string lower, string upper) =>
        Assert.That(FpmRelations.WithoutIteration(relation), Is.EqualTo(new[] { lower, upper }));

    [TestCase("bar (>= 2.0)")]
    [TestCase("a | bar (= 2.0)")]
    [TestCase("baz")]
    public void IgnoreIterationLeavesOtherRelationsAlone(string relation) =>
        Assert.That(FpmRelations.WithoutIteration(relation), Is.EqualTo(new[] { relation }));

    [Test]
    public void IgnoreIterationWidensDependenciesButNotConflicts()
    {
        FpmOptions options = Options() with
        {
            IgnoreIterationInDependencies = true,
            Relations = new Dictionary<ControlField, IReadOnlyList<string>>
            {
                [ControlField.Depends] = ["libfoo = 1.2.3-1", "baz"],
                [ControlField.Conflicts] = ["old (= 0.9)"],
            },
        };
        ControlFile control = FpmPackageMapper.Map(options).Spec.Control;
        Assert.Multiple(() =>
        {
            Assert.That(control.Depends, Is.EqualTo(new[] { "libfoo (>= 1.2.3-1)", "libfoo (<< 1.2.4)", "baz" }));
            Assert.That(control.Conflicts, Is.EqualTo(new[] { "old (= 0.9)" }));
        });
    }

    [Test]
    public void GenerateChangesGoesNextToThePackage()
    {
        Directory.CreateDirectory(_temp.Combine("out"));
        FpmBuild build = FpmPackageMapper.Map(Options() with { GenerateChanges = true, Iteration = "1", Package = "out/", Distribution = "bookworm" });
        Assert.Multiple(() =>
        {
            Assert.That(build.ChangesPath, Is.EqualTo(_temp.Combine("out", "tool_1.0-1_amd64.changes")));
            Assert.That(build.Distribution, Is.EqualTo("bookworm"));
            Assert.That(FpmPackageMapper.Map(Options()).ChangesPath, Is.Null);
        });
    }

    [Test]
    public void AnExistingChangesFileNeedsForce()
    {
        _temp.WriteFile("tool_1.0_amd64.changes", "old");
        var error = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(Options() with { GenerateChanges = true }))!;
        Assert.That(error.Message, Is.EqualTo($"'{_temp.Combine("tool_1.0_amd64.changes")}' already exists: remove it or allow replacing it"));
        Assert.That(error.Setting, Is.EqualTo(PackageSettings.Overwrite), "the command line adds its -f/--force");
    }
}
