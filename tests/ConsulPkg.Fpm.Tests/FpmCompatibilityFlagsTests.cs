using System.Formats.Tar;
using ConsulPkg.Debian;
using ConsulPkg.Fpm.Scripts;
using ConsulPkg.Fpm.Tests.Support;

namespace ConsulPkg.Fpm.Tests;

/// <summary>fpm 1.17's remaining -t deb flags and input types, checked on the spec alone.</summary>
[TestFixture]
public sealed class FpmCompatibilityFlagsTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private FpmOptions Options(params string[] inputs) => FpmTestOptions.For(_temp, "tool", inputs);

    private static Dictionary<ControlField, IReadOnlyList<string>> DependsOn(params string[] relations) =>
        new() { [ControlField.Depends] = relations };

    private static string[] Paths(FpmBuild build) => build.Spec.Entries.Select(e => e.Path).ToArray();

    private FpmOptions WithScript(string text, FpmOptions? options = null)
    {
        _temp.WriteFile("postinst", text);
        _temp.WriteFile("usr/bin/tool", "x");
        return (options ?? Options("usr")) with
        {
            Scripts = new Dictionary<FpmScript, string> { [FpmScript.AfterInstall] = "postinst" },
        };
    }

    private static string Script(FpmBuild build) => System.Text.Encoding.UTF8.GetString(build.Spec.Scripts[MaintainerScript.Postinst].Span);

    [Test]
    public void TemplateScriptsRenderPackageAttributesAndValues()
    {
        FpmOptions options = WithScript(
            "#!/bin/sh\necho <%= name %> <%= version %>-<%= iteration %> <%= architecture %> <%= @user %> <%=user-%>\n{{ not scriban }} <%% kept\n")
            with { Iteration = "2", TemplateValues = [new("user", "consul")] };
        Assert.That(Script(FpmPackageMapper.Map(options)), Is.EqualTo("#!/bin/sh\necho tool 1.0-2 amd64 consul consul{{ not scriban }} <% kept\n"));
    }

    [Test]
    public void WithoutTemplateScriptsTheTagsStayAsWritten()
    {
        FpmOptions options = WithScript("#!/bin/sh\necho '<%= name %>'\n");
        Assert.That(Script(FpmPackageMapper.Map(options)), Is.EqualTo("#!/bin/sh\necho '<%= name %>'\n"));
    }

    [TestCase("#!/bin/sh\n\n<% if true %>\necho x\n<% end %>\n", "line 3: '<% if true %>' is Ruby code")]
    [TestCase("#!/bin/sh\necho <%= name.upcase %>\n", "line 2: '<%= name.upcase %>' is Ruby code")]
    [TestCase("#!/bin/sh\necho <%= colour %>\n", "line 2: 'colour' is not a package attribute or --template-value")]
    [TestCase("#!/bin/sh\necho <%= name\n", "line 2: a '<%' tag is never closed")]
    public void TemplateScriptsRefuseWhatTheyCannotRenderNamingFileAndLine(string text, string message)
    {
        FpmOptions options = WithScript(text) with { TemplateScripts = true };
        var error = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(options))!;
        Assert.That(error.Message, Does.StartWith($"cannot render the --after-install template '{_temp.Combine("postinst")}' {message}"));
    }

    [TestCase("user")]
    [TestCase("=consul")]
    [TestCase("my-user=consul")]
    public void InvalidTemplateValueIsRefused(string value) =>
        Assert.That(() => FpmValues.TemplateValue(value), Throws.TypeOf<PackageException>().With.Message.StartsWith($"invalid --template-value '{value}'"));

    [Test]
    public void NamesAreRewrittenWithAWarningAsFpmDoes()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        FpmBuild build = FpmPackageMapper.Map(Options("usr") with { Name = "My_Tool", Version = "v2.1", Relations = DependsOn("Lib_Foo >= 1") });
        Assert.Multiple(() =>
        {
            Assert.That(build.Spec.Control.Package, Is.EqualTo("my-tool"));
            Assert.That(build.Spec.Control.Version.ToString(), Is.EqualTo("2.1"));
            Assert.That(build.Spec.Control.Depends, Is.EqualTo(new[] { "lib-foo (>= 1)" }));
            Assert.That(build.Warnings, Has.Count.EqualTo(3));
            Assert.That(build.Warnings[0], Does.Contain("'My_Tool' rewritten as 'my-tool'"));
        });
    }

    [Test]
    public void OneLineDescriptionGetsAnExtendedDescription()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        Assert.Multiple(() =>
        {
            Assert.That(FpmPackageMapper.Map(Options("usr") with { Description = "A tool", TextFields = new Dictionary<ControlField, string> { [ControlField.Homepage] = "https://example.org" } }).Spec.Control.Description,
                Is.EqualTo("A tool\nThis package installs tool version 1.0; see https://example.org for more."));
            Assert.That(FpmPackageMapper.Map(Options("usr") with { Description = "A tool\nIt does things." }).Spec.Control.Description,
                Is.EqualTo("A tool\nIt does things."));
        });
    }

    [Test]
    public void InputsAndExcludeFilesExtendTheCommandLine()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        _temp.WriteFile("usr/bin/tool.log", "x");
        _temp.WriteFile("etc/tool.conf", "x");
        _temp.WriteFile("inputs", "usr\n\n  etc  \n");
        _temp.WriteFile("excludes", "*.log\n");
        FpmBuild build = FpmPackageMapper.Map(Options() with { InputsFile = "inputs", ExcludeFile = "excludes" });
        Assert.That(Paths(build), Is.EqualTo(new[] { "/etc", "/etc/tool.conf", "/usr", "/usr/bin", "/usr/bin/tool" }));
    }

    [TestCase("--inputs")]
    [TestCase("--exclude-file")]
    public void MissingListFileIsOneLineNamingIt(string flag)
    {
        FpmOptions options = flag == "--inputs" ? Options() with { InputsFile = "nope" } : Options(".") with { ExcludeFile = "nope" };
        Assert.That(() => FpmPackageMapper.Map(options),
            Throws.TypeOf<PackageException>().With.Message.EqualTo($"cannot read the {flag} file '{_temp.Combine("nope")}': no such file or directory"));
    }

    [Test]
    public void FilesMappedToDotLandInThePrefixDirectory()
    {
        _temp.WriteFile("docs/README", "r");
        _temp.WriteFile("docs/LICENSE", "l");
        FpmBuild build = FpmPackageMapper.Map(Options("docs/README=.", "docs/LICENSE=.") with { Prefix = "/usr/share/doc/tool" });
        Assert.That(Paths(build), Is.EqualTo(new[] { "/usr/share/doc/tool/LICENSE", "/usr/share/doc/tool/README" }));
    }

    [Test]
    public void CustomControlReplacesTheFlagsMetadata()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        _temp.WriteFile("control", "Package: other\nVersion: 2.0-3\nArchitecture: all\nMaintainer: M <m@example.org>\nDepends: a, b (>= 1)\nX-Extra: yes\nDescription: short\n long\n .\n more\n");
        ControlFile control = FpmPackageMapper.Map(Options("usr") with { CustomControlPath = "control" }).Spec.Control;
        Assert.Multiple(() =>
        {
            Assert.That(control.Package, Is.EqualTo("other"));
            Assert.That(control.Version.ToString(), Is.EqualTo("2.0-3"));
            Assert.That(control.Depends, Is.EqualTo(new[] { "a", "b (>= 1)" }));
            Assert.That(control.ExtraFields, Is.EqualTo(new[] { KeyValuePair.Create("X-Extra", "yes") }));
            Assert.That(control.Description, Is.EqualTo("short\nlong\n\nmore"));
        });
    }

    [Test]
    public void CustomControlWithoutAVersionIsRefused()
    {
        _temp.WriteFile("control", "Package: other\nArchitecture: all\nMaintainer: M <m@example.org>\nDescription: short\n");
        Assert.That(() => FpmPackageMapper.Map(Options(".") with { CustomControlPath = "control" }),
            Throws.TypeOf<InvalidSpecException>().With.Message.EqualTo($"the --deb-custom-control file '{_temp.Combine("control")}' has no Version field: add 'Version: ...'"));
    }

    [Test]
    public void EditedControlIsReadBack()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        FpmBuild build = FpmPackageMapper.Map(Options("usr"));
        FpmBuild edited = FpmPackageMapper.EditControl(build, text => text.Replace("Priority: optional", "Priority: important", StringComparison.Ordinal));
        Assert.That(edited.Spec.Control.Priority, Is.EqualTo("important"));
        Assert.That(() => FpmPackageMapper.EditControl(build, _ => "\n"), Throws.TypeOf<PackageException>().With.Message.Contains("empty after --edit"));
    }

    [Test]
    public void DirectoriesHaveNoEffectAndOneTheDataLacksIsAWarning()
    {
        _temp.WriteFile("usr/share/tool/a", "x");
        FpmBuild shipped = FpmPackageMapper.Map(Options("usr") with { Directories = ["/usr/share/tool"] });
        FpmBuild missing = FpmPackageMapper.Map(Options("usr") with { Directories = ["/var/lib/tool"] });
        Assert.Multiple(() =>
        {
            Assert.That(shipped.Warnings, Is.Empty);
            Assert.That(missing.Warnings, Is.EqualTo(new[]
            {
                "--directories /var/lib/tool has no effect on a .deb (fpm uses it for rpm only): /var/lib/tool is not in the package data, so the package will not own it",
            }));
            Assert.That(missing.Spec.Entries, Is.EqualTo(shipped.Spec.Entries), "the data is the same either way");
        });
    }

    [TestCase("/usr/local/bin")]
    [TestCase("opt/")]
    public void DirectoriesNamingOneTheBaseSystemKeepsUnownedIsAWarning(string given)
    {
        _temp.WriteFile("usr/local/bin/tool", "x");
        _temp.WriteFile("opt/tool/a", "x");
        FpmBuild build = FpmPackageMapper.Map(Options("usr", "opt") with { Directories = [given] });
        string path = PackagePath.Normalize(given);
        Assert.That(build.Warnings, Has.Some.Contains($"--directories {given} has no effect on a .deb").And.Contains($"{path} is a directory every Debian system has and no package owns"));
    }

    [Test]
    public void UseFilePermissionsKeepsOwnersFromDisk()
    {
        string file = _temp.WriteFile("usr/bin/tool", "x");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.That(ProcessRunner.Run("chown", ["1:1", file]).ExitCode, Is.Zero);
        FpmBuild build = FpmPackageMapper.Map(Options("usr") with { UseFilePermissions = true });
        PackageEntry tool = build.Spec.Entries.Single(e => e.Path == "/usr/bin/tool");
        Assert.That((tool.Owner, tool.Group, tool.Uid, tool.Gid), Is.EqualTo(("daemon", "daemon", 1, 1)));
    }

    [Test]
    public void TarballIsThePackageTreeWithChdirAndPrefix()
    {
        string tarball = _temp.Combine("app-1.0.tar.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(tarball), System.IO.Compression.CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "app-1.0/") { Mode = (UnixFileMode)0b111_101_101 });
            tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "app-1.0/bin/app") { Mode = (UnixFileMode)0b111_101_101, DataStream = new MemoryStream("x"u8.ToArray()) });
            tar.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "app-1.0/bin/app2") { LinkName = "app" });
        }

        FpmBuild whole = FpmPackageMapper.Map(Options("app-1.0.tar.gz") with { InputType = FpmInputKind.Tarball, Name = null });
        FpmBuild inside = FpmPackageMapper.Map(Options("app-1.0.tar.gz") with { InputType = FpmInputKind.Tarball, Chdir = "app-1.0", Prefix = "/opt/app" });
        Assert.Multiple(() =>
        {
            Assert.That(whole.Spec.Control.Package, Is.EqualTo("app-1"), "fpm names a tarball's package after the file, up to the first '.'");
            Assert.That(Paths(whole), Is.EqualTo(new[] { "/app-1.0", "/app-1.0/bin/app", "/app-1.0/bin/app2" }));
            Assert.That(Paths(inside), Is.EqualTo(new[] { "/opt/app", "/opt/app/bin/app", "/opt/app/bin/app2" }));
            Assert.That(inside.Spec.Entries[1].Mode, Is.EqualTo(0b111_101_101));
        });
    }

    [Test]
    public void EmptyIsAMetapackageForAllArchitectures()
    {
        FpmBuild build = FpmPackageMapper.Map(Options() with { InputType = FpmInputKind.Empty, Relations = DependsOn("curl") });
        Assert.Multiple(() =>
        {
            Assert.That(build.Spec.Entries, Is.Empty);
            Assert.That(build.Spec.Control.Architecture, Is.EqualTo("all"));
        });
    }

    [TestCase("gem", "input type '-s gem' is not supported by consul-pkg fpm: run 'gem install --install-dir DIR")]
    [TestCase("python", "input type '-s python' is not supported by consul-pkg fpm: run 'pip install --root DIR")]
    [TestCase("rpm", "input type '-s rpm' is not supported by consul-pkg fpm: unpack it with 'rpm2cpio FILE | cpio -idm'")]
    [TestCase("nonsense", "unknown input type '-s nonsense': use dir, tar, empty or deb")]
    public void OtherInputTypesSayWhatToDoInstead(string type, string message)
    {
        Assert.That(() => FpmInputType.Parse(type), Throws.TypeOf<PackageException>().With.Message.StartsWith(message));
    }

    [Test]
    public void DistributionNamesTheChangelogEntry()
    {
        _temp.WriteFile("usr/bin/tool", "x");
        Assert.That(FpmPackageMapper.Map(Options("usr") with { Distribution = "bookworm" }).Spec.Documentation.Distribution, Is.EqualTo("bookworm"));
    }
}
