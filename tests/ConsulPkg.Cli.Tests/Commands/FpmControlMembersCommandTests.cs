using System.Security.Cryptography;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>
/// <c>consul-pkg fpm</c>'s control-member flags (debconf, triggers, shlibs, meta files), the
/// upstream changelog, the .changes file, the options file and <c>-s deb</c>, judged by dpkg-deb,
/// tar, lintian and sha256sum.
/// </summary>
[TestFixture]
public sealed class FpmControlMembersCommandTests
{
    private static readonly string[] Metadata =
    [
        "-s", "dir", "-t", "deb", "-n", "tool", "-v", "1.0", "--iteration", "1", "-m", "Tool Maintainer <tool@example.org>",
        "--description", "command-line tool\nIt does one thing well.", "--url", "https://example.org/tool", "--license", "MIT",
    ];

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        Directory.CreateDirectory(_temp.Combine("tree/usr/bin"));
        File.Copy("/bin/true", _temp.Combine("tree/usr/bin/tool"));
        _temp.WriteFile("config", "#!/bin/sh\nset -e\n. /usr/share/debconf/confmodule\ndb_input medium tool/port || true\ndb_go || true\n");
        _temp.WriteFile("templates", "Template: tool/port\nType: string\nDefault: 8080\nDescription: Port the tool listens on:\n The tool serves its API on this TCP port.\n");
        _temp.WriteFile("symbols", "libtool.so.1 libtool1 #MINVER#\n");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Deb => _temp.Combine("tool_1.0-1_amd64.deb");

    private CliContext Context() => CliRunner.Context(_temp.Path, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1480956780" });

    private ProcessResult Fpm(params string[] extra) => CliRunner.Run(Context(), ["fpm", .. Metadata, .. extra, "-C", "tree", "."]);

    [Test]
    public void ControlMembersAreWhatDpkgDebAndTarShowAndLintianFindsNoError()
    {
        ProcessResult r = Fpm("--deb-config", "config", "--deb-templates", "templates", "--deb-interest", "/usr/share/tool/plugins",
            "--deb-activate-noawait", "tool-reload", "--deb-meta-file", "symbols", "-d", "libc6");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        ProcessResult info = ProcessRunner.RunUtc("dpkg-deb", "-I", Deb);
        ProcessResult listing = ProcessRunner.RunUtc("bash", "-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -tv", "_", Deb);
        Assert.Multiple(() =>
        {
            Assert.That(info.ExitCode, Is.Zero, info.StdErr);
            Assert.That(info.StdOut, Does.Match(@" \*  config +#!/bin/sh\n").And.Match(@"  templates +\n").And.Match(@"  triggers +\n").And.Match(@"  symbols +\n"));
            Assert.That(info.StdOut, Does.Contain("Depends: libc6, debconf (>= 0.5) | debconf-2.0\n"));
            Assert.That(listing.StdOut, Does.Match(@"-rwxr-xr-x root/root +\d+ \S+ \S+ \./config\n"));
            Assert.That(listing.StdOut, Does.Match(@"-rw-r--r-- root/root +\d+ \S+ \S+ \./templates\n").And.Match(@"-rw-r--r-- root/root +\d+ \S+ \S+ \./triggers\n"));
        });
        ProcessResult triggers = ProcessRunner.RunUtc("bash", "-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -xO ./triggers", "_", Deb);
        Assert.That(triggers.StdOut, Is.EqualTo("interest /usr/share/tool/plugins\nactivate-noawait tool-reload\n"));

        ProcessResult lintian = ProcessRunner.RunUtc("lintian", "--tag-display-limit", "0", Deb);
        // The symbols file is there to be a meta file; lintian rightly finds no library it describes.
        Assert.That(lintian.StdOut.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "E: tool: empty-shared-library-symbols [symbols]" }), lintian.StdOut);
        Assert.That(lintian.StdOut, Does.Not.Contain("missing-debconf-dependency").And.Not.Contain("control-file-has-bad-permissions"));
    }

    [Test]
    public void ShlibsActivatesTheLdconfigTrigger()
    {
        ProcessResult r = Fpm("--deb-shlibs", "libtool 1 libtool1 (>= 1.0)");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        ProcessResult members = ProcessRunner.RunUtc("bash", "-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -xO ./shlibs ./triggers", "_", Deb);
        Assert.That(members.StdOut, Is.EqualTo("libtool 1 libtool1 (>= 1.0)\nactivate-noawait ldconfig\n"));
    }

    [Test]
    public void UpstreamChangelogIsChangelogGzAndThePackagesOwnIsChangelogDebianGz()
    {
        _temp.WriteFile("CHANGES", "1.0: first release\n");
        ProcessResult r = Fpm("--deb-upstream-changelog", "CHANGES");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-x", Deb, _temp.Combine("x")).ExitCode, Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(ProcessRunner.RunUtc("zcat", _temp.Combine("x/usr/share/doc/tool/changelog.gz")).StdOut, Is.EqualTo("1.0: first release\n"));
            Assert.That(ProcessRunner.RunUtc("zcat", _temp.Combine("x/usr/share/doc/tool/changelog.Debian.gz")).StdOut, Does.StartWith("tool (1.0-1) unstable; urgency=medium"));
        });
    }

    [Test]
    public void ChangesFileLiesNextToThePackageAndHoldsItsChecksums()
    {
        Directory.CreateDirectory(_temp.Combine("dist"));
        ProcessResult r = Fpm("--deb-generate-changes", "--deb-dist", "bookworm", "--category", "utils", "-p", "dist/");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string deb = _temp.Combine("dist/tool_1.0-1_amd64.deb");
        string changes = File.ReadAllText(_temp.Combine("dist/tool_1.0-1_amd64.changes"));
        byte[] bytes = File.ReadAllBytes(deb);
        string size = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(r.StdOut, Does.Contain($"Created changes {_temp.Combine("dist/tool_1.0-1_amd64.changes")}"));
            Assert.That(changes, Does.StartWith("Format: 1.8\nDate: Mon, 05 Dec 2016 16:53:00 +0000\nSource: tool\nBinary: tool\nArchitecture: amd64\nVersion: 1.0-1\nDistribution: bookworm\n"));
            Assert.That(changes, Does.Contain("Description:\n tool - command-line tool\n"));
            Assert.That(changes, Does.Contain($"Checksums-Sha256:\n {Convert.ToHexStringLower(SHA256.HashData(bytes))} {size} tool_1.0-1_amd64.deb\n"));
#pragma warning disable CA5350 // SHA-1 is a field of the .changes format, checked here, not a security use.
            Assert.That(changes, Does.Contain($"Checksums-Sha1:\n {Convert.ToHexStringLower(SHA1.HashData(bytes))} {size} tool_1.0-1_amd64.deb\n"));
#pragma warning restore CA5350
            Assert.That(changes, Does.EndWith($"Files:\n {Convert.ToHexStringLower(MD5.HashData(bytes))} {size} utils optional tool_1.0-1_amd64.deb\n"));
            Assert.That(_temp.Combine("tool_1.0-1_amd64.changes"), Does.Not.Exist);
        });
    }

    [Test]
    public void OptionsFileFlagsStandWhereTheOptionIs()
    {
        _temp.WriteFile("fpm.opts", "# shared flags\n--vendor 'Example Ops' --deb-field \"X-Origin: file\"\n--iteration 7\n");
        ProcessResult r = CliRunner.Run(Context(), ["fpm", .. Metadata, "--vendor", "Before", "--fpm-options-file", "fpm.opts", "--iteration", "2", "-C", "tree", "."]);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string fields = ProcessRunner.RunUtc("dpkg-deb", "-f", _temp.Combine("tool_1.0-2_amd64.deb")).StdOut;
        Assert.That(fields, Does.Contain("Vendor: Example Ops\n").And.Contain("X-Origin: file\n").And.Contain("Version: 1.0-2\n"));
    }

    [TestCase("fpm.opts", "-n tool .\n", "the --fpm-options-file file '{dir}/fpm.opts' line 1: '.' is not a flag: an options file holds flags and their values only; give inputs on the command line")]
    [TestCase("fpm.opts", "--vendor 'unclosed\n", "the --fpm-options-file file '{dir}/fpm.opts' line 1: unmatched quote (')")]
    [TestCase("fpm.opts", "--fpm-options-file fpm.opts\n", "--fpm-options-file '{dir}/fpm.opts' is read a second time (from '{dir}/fpm.opts' line 1): an options file may not load itself or one already loaded")]
    [TestCase("missing.opts", null, "cannot read the --fpm-options-file file '{dir}/missing.opts': no such file or directory")]
    public void ABadOptionsFileIsAUsageErrorNamingFileAndLine(string file, string? content, string message)
    {
        if (content is not null)
        {
            _temp.WriteFile(file, content);
        }

        string[] before = _temp.Snapshot();
        ProcessResult r = CliRunner.Run(Context(), ["fpm", .. Metadata, "--fpm-options-file", file, "-C", "tree", "."]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: {message.Replace("{dir}", _temp.Path, StringComparison.Ordinal)}\n"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(before));
        });
    }

    [TestCase("--deb-interest", "two words")]
    [TestCase("--deb-activate-noawait", "")]
    public void ABadTriggerNameIsAUsageError(string flag, string name)
    {
        string[] before = _temp.Snapshot();
        ProcessResult r = Fpm(flag, name);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), r.StdErr);
            Assert.That(r.StdErr, Does.StartWith($"consul-pkg: invalid {flag} '{name}': a trigger is a name"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(before));
        });
    }

    [TestCase("--deb-config", "missing", "cannot read the --deb-config file '{dir}/missing': no such file or directory")]
    [TestCase("--deb-meta-file", "postinst", "--deb-meta-file 'postinst' would replace the postinst the package is built with: use --after-install")]
    [TestCase("--deb-upstream-changelog", "missing", "cannot read the --deb-upstream-changelog file '{dir}/missing': no such file or directory")]
    public void ABadControlMemberFileBuildsNothing(string flag, string value, string message)
    {
        _temp.WriteFile("postinst", "#!/bin/sh\n");
        string[] before = _temp.Snapshot();
        ProcessResult r = Fpm(flag, value);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), r.StdErr);
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: " + message.Replace("{dir}", _temp.Path, StringComparison.Ordinal)));
            Assert.That(_temp.Snapshot(), Is.EqualTo(before));
        });
    }

    [Test]
    public void DebInputRepackagesFieldsScriptsConffilesMembersAndOwners()
    {
        _temp.WriteFile("tree/etc/tool/tool.conf", "port = 8080\n");
        _temp.WriteFile("postinst", "#!/bin/sh\necho original postinst\n");
        ProcessResult first = Fpm("--deb-pre-depends", "dpkg", "--deb-recommends", "curl", "--deb-field", "X-Origin: upstream",
            "--after-install", "postinst", "--deb-interest", "/usr/share/tool/plugins", "--deb-user", "daemon", "--deb-group", "daemon");
        Assert.That(first.ExitCode, Is.Zero, first.StdErr);
        File.Move(Deb, _temp.Combine("input.deb"));

        ProcessResult r = CliRunner.Run(Context(), "fpm", "-s", "deb", "-t", "deb", "--iteration", "2", "-d", "adduser", "input.deb");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string repackaged = _temp.Combine("tool_1.0-2_amd64.deb");
        string fields = ProcessRunner.RunUtc("dpkg-deb", "-f", repackaged).StdOut;
        string original = ProcessRunner.RunUtc("dpkg-deb", "-f", _temp.Combine("input.deb")).StdOut;
        Assert.Multiple(() =>
        {
            Assert.That(fields, Is.EqualTo(original
                .Replace("Version: 1.0-1\n", "Version: 1.0-2\n", StringComparison.Ordinal)
                .Replace("Recommends: curl\n", "Depends: adduser\nRecommends: curl\n", StringComparison.Ordinal)));
            Assert.That(Member(repackaged, "postinst"), Is.EqualTo("#!/bin/sh\necho original postinst\n"));
            Assert.That(Member(repackaged, "conffiles"), Is.EqualTo("/etc/tool/tool.conf\n"));
            Assert.That(Member(repackaged, "triggers"), Is.EqualTo("interest /usr/share/tool/plugins\n"));
            Assert.That(Listing(repackaged), Is.EqualTo(Listing(_temp.Combine("input.deb"))));
        });
    }

    [TestCase(new[] { "a.deb", "b.deb" }, "-s deb takes one package, 2 were given: repackage them one at a time")]
    [TestCase(new[] { "tree" }, "{dir}/tree: cannot open")]
    public void ABadDebInputBuildsNothing(string[] inputs, string message)
    {
        string[] before = _temp.Snapshot();
        ProcessResult r = CliRunner.Run(_temp.Path, ["fpm", "-s", "deb", "-t", "deb", .. inputs]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), r.StdErr);
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: " + message.Replace("{dir}", _temp.Path, StringComparison.Ordinal)));
            Assert.That(_temp.Snapshot(), Is.EqualTo(before));
        });
    }

    private static string Member(string deb, string name) =>
        ProcessRunner.RunUtc("bash", "-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -xO \"./$2\"", "_", deb, name).StdOut;

    private static string Listing(string deb) => ProcessRunner.RunUtc("dpkg-deb", "-c", deb).StdOut;
}
