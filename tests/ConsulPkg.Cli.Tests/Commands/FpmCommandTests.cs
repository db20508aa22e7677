using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Fpm.Tests.Support;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary><c>consul-pkg fpm</c> in-process, judged by the real dpkg-deb.</summary>
[TestFixture]
public sealed class FpmCommandTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        SeedTree.Create(_temp);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Deb => _temp.Combine(SeedTree.PackageFile);

    [Test]
    public void SeedLineBuildsAPackageDpkgDebAcceptsWithoutWarnings()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, SeedTree.FpmArguments);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);

        ProcessResult info = ProcessRunner.RunUtc("dpkg-deb", "-I", Deb);
        ProcessResult contents = ProcessRunner.RunUtc("dpkg-deb", "-c", Deb);
        ProcessResult conffiles = ProcessRunner.RunUtc("dpkg-deb", "--ctrl-tarfile", Deb);
        Assert.Multiple(() =>
        {
            Assert.That(r.StdErr, Is.Empty);
            Assert.That(r.StdOut, Is.EqualTo($"Created package {Deb}\n"));
            Assert.That(info.ExitCode, Is.Zero, info.StdErr);
            Assert.That(info.StdErr, Is.Empty);
            Assert.That(contents.ExitCode, Is.Zero, contents.StdErr);
            Assert.That(contents.StdErr, Is.Empty);
            Assert.That(info.StdOut, Does.Contain(" Package: consul\n Version: 0.7.2-1\n"));
            Assert.That(info.StdOut, Does.Contain(" Vendor: haf\n").And.Contain(" Architecture: amd64\n"));
            Assert.That(info.StdOut, Does.Match(@"\*  preinst +#!/bin/sh"));
            Assert.That(info.StdOut, Does.Match(@"\*  postinst +#!/bin/sh"));
            Assert.That(info.StdOut, Does.Match(@"\*  prerm +#!/bin/sh"));
            Assert.That(info.StdOut, Does.Contain("conffiles"));
            Assert.That(contents.StdOut, Does.Contain("-rwxr-xr-x root/root").And.Contain("./usr/local/bin/consul\n"));
            Assert.That(contents.StdOut, Does.Contain("./etc/consul.d/bootstrap/consul.conf\n"));
            Assert.That(contents.StdOut, Does.Not.Contain("pre-install").And.Not.Contain("post-install").And.Not.Contain("pre-uninstall"));
        });

        string control = ProcessRunner.RunUtc("dpkg-deb", "-e", Deb, _temp.Combine("control")).StdErr;
        Assert.That(control, Is.Empty);
        Assert.That(File.ReadAllText(_temp.Combine("control", "conffiles")), Is.EqualTo(
            "/etc/consul.d/bootstrap/consul.conf\n/etc/consul.d/client/consul.conf\n/etc/consul.d/server/consul.conf\n"));
    }

    [Test]
    public void GzipLevelZeroBuildsAPackageDpkgDebReads()
    {
        // Level 0 passed the mapper but failed in the compressor; fpm documents it as "none or minimal".
        using var output = new TempDirectory();
        string deb = output.Combine("zero.deb");
        ProcessResult r = CliRunner.Run(_temp.Path, [.. SeedTree.FpmArguments.SkipLast(1), "--deb-compression", "gz", "--deb-compression-level", "0", "-p", deb, "."]);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        ProcessResult listing = ProcessRunner.RunUtc("dpkg-deb", "-c", deb);
        Assert.Multiple(() =>
        {
            Assert.That(listing.ExitCode, Is.Zero, listing.StdErr);
            Assert.That(listing.StdOut, Does.Contain("./usr/local/bin/consul"));
        });
    }

    [Test]
    public void TwoBuildsAreByteIdentical()
    {
        // Outside the packaged tree: like fpm, a second build would package an older .deb lying in ".".
        using var output = new TempDirectory();
        string[] args = [.. SeedTree.FpmArguments.SkipLast(1), "-p", output.Combine("one.deb"), "."];
        Assert.That(CliRunner.Run(_temp.Path, args).ExitCode, Is.Zero);
        args[^2] = output.Combine("two.deb");
        Assert.That(CliRunner.Run(_temp.Path, args).ExitCode, Is.Zero);
        Assert.That(File.ReadAllBytes(output.Combine("two.deb")), Is.EqualTo(File.ReadAllBytes(output.Combine("one.deb"))));
    }

    [Test]
    public void ForceReplacesAnExistingPackageAndNoDocsLeavesDocsOut()
    {
        File.WriteAllText(Deb, "old");
        ProcessResult r = CliRunner.Run(_temp.Path, [.. SeedTree.FpmArguments.SkipLast(1), "--force", "--deb-no-docs", "."]);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string contents = ProcessRunner.RunUtc("dpkg-deb", "-c", Deb).StdOut;
        Assert.That(contents, Does.Not.Contain("usr/share/doc").And.Contain("./usr/local/bin/consul"));
    }

    [Test]
    public void FpmFlagsReachTheControlFile()
    {
        ProcessResult r = CliRunner.Run(_temp.Path,
            "fpm", "-s", "dir", "-t", "deb", "-n", "consul", "-v", "0.7.2", "--epoch", "1", "--iteration", "2", "-a", "all",
            "-m", "Ops <ops@example.org>", "--url", "https://www.consul.io", "--license", "MPL-2.0", "--category", "admin",
            "--description", "Service discovery\nand configuration", "-d", "adduser", "-d", "libc6 >= 2.17", "--provides", "consul-agent",
            "--conflicts", "consul-old", "--replaces", "consul-old", "--deb-compression", "none", "--deb-user", "consul",
            "-x", "*-install", "-x", "pre-uninstall", "-p", "out.deb", ".");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        ProcessResult fields = ProcessRunner.RunUtc("dpkg-deb", "-f", _temp.Combine("out.deb"));
        Assert.Multiple(() =>
        {
            Assert.That(fields.StdErr, Is.Empty);
            Assert.That(fields.StdOut, Does.Contain("Version: 1:0.7.2-2\n").And.Contain("Architecture: all\n"));
            Assert.That(fields.StdOut, Does.Contain("Maintainer: Ops <ops@example.org>\n").And.Contain("License: MPL-2.0\n"));
            Assert.That(fields.StdOut, Does.Contain("Depends: adduser, libc6 (>= 2.17)\n").And.Contain("Provides: consul-agent\n"));
            Assert.That(fields.StdOut, Does.Contain("Section: admin\n").And.Contain("Homepage: https://www.consul.io\n"));
            Assert.That(fields.StdOut, Does.Contain("Description: Service discovery\n and configuration\n"));
            Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-c", _temp.Combine("out.deb")).StdOut, Does.Contain("consul/root").And.Not.Contain("install"));
        });
    }

    private static readonly object[] BadInputs =
    [
        new object[] { "missing script", new[] { "--post-uninstall", "./post-uninstall" }, "cannot read the --after-remove script '{dir}/post-uninstall': no such file or directory" },
        new object[] { "script without #!", new[] { "--after-remove", "usr/lib/systemd/system/consul.service" }, "the --after-remove script '{dir}/usr/lib/systemd/system/consul.service' does not start with '#!'" },
        new object[] { "missing unit", new[] { "--deb-systemd", "consul.service" }, "cannot read the --deb-systemd file '{dir}/consul.service': no such file or directory" },
        new object[] { "missing upgrade script", new[] { "--after-upgrade", "after-upgrade" }, "cannot read the --after-upgrade script '{dir}/after-upgrade': no such file or directory" },
        new object[] { "conffile not in data", new[] { "--config-files", "/etc/consul.d/consul.json" }, "config file '/etc/consul.d/consul.json'" },
        new object[] { "unreadable input", new[] { "/proc/sys/vm/compact_memory=/etc/consul.d/x" }, "cannot read '/proc/sys/vm/compact_memory'" },
        new object[] { "output dir missing", new[] { "-p", "{dir}/missing/out.deb" }, "output directory '{dir}/missing' does not exist" },
        new object[] { "output dir is a file", new[] { "-p", "{dir}/pre-install/out.deb" }, "output directory '{dir}/pre-install' is a file" },
        new object[] { "output dir read-only", new[] { "-p", "/proc/consul.deb" }, "cannot create a temporary file in the" },
        new object[] { "missing changelog", new[] { "--deb-changelog", "debian/changelog" }, "cannot read the --deb-changelog file '{dir}/debian/changelog': no such file or directory" },
        new object[] { "missing input", new[] { "usr/local/sbin" }, "cannot package '{dir}/usr/local/sbin': no such file or directory" },
    ];

    /// <summary>Each bad input: one line naming the value, exit 1, and nothing written anywhere.</summary>
    [TestCaseSource(nameof(BadInputs))]
    public void BadInputGivesOneLineAndLeavesNothing(string what, string[] extra, string message)
    {
        string[] before = _temp.Snapshot();
        string[] args = [.. SeedTree.FpmArguments.SkipLast(1), .. extra.Select(a => a.Replace("{dir}", _temp.Path, StringComparison.Ordinal)), "."];
        ProcessResult r = CliRunner.Run(_temp.Path, args);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure), what);
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), r.StdErr);
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: " + message.Replace("{dir}", _temp.Path, StringComparison.Ordinal)));
            Assert.That(r.StdOut, Is.Empty);
            Assert.That(_temp.Snapshot(), Is.EqualTo(before), "files were left behind");
            Assert.That(Directory.GetFiles("/proc", "*consul*"), Is.Empty);
        });
    }

    /// <summary>fpm's lenient cases build as fpm builds them, each with one warning line saying what happened.</summary>
    [TestCase("--config-files", "pre-install", "consul-pkg: warning: --config-files pre-install is not in the package data: the host's '{dir}/pre-install' is copied in as /pre-install and marked a conffile, as fpm does")]
    [TestCase("--directories", "/var/log/consul", "consul-pkg: warning: --directories /var/log/consul has no effect on a .deb (fpm uses it for rpm only): /var/log/consul is not in the package data, so the package will not own it")]
    public void LenientCaseBuildsWithOneWarningLine(string flag, string value, string warning)
    {
        using var output = new TempDirectory();
        string deb = output.Combine("out.deb");
        ProcessResult r = CliRunner.Run(_temp.Path, [.. SeedTree.FpmArguments.SkipLast(1), flag, value, "-p", deb, "-C", "usr", "."]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.EqualTo(warning.Replace("{dir}", _temp.Path, StringComparison.Ordinal) + "\n"));
            Assert.That(File.Exists(deb), Is.True);
        });
    }

    [Test]
    public void ExistingOutputWithoutForceIsKept()
    {
        File.WriteAllText(Deb, "old");
        ProcessResult r = CliRunner.Run(_temp.Path, SeedTree.FpmArguments);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: '{Deb}' already exists: remove it or allow replacing it (-f/--force)\n"));
            Assert.That(File.ReadAllText(Deb), Is.EqualTo("old"));
        });
    }

    [TestCase("false", "the --edit editor 'false' failed (exit code 1): nothing was built")]
    [TestCase("truncate -s 0", "the control file is empty after --edit: nothing was built")]
    public void FailedEditBuildsNothing(string editor, string message)
    {
        string[] before = _temp.Snapshot();
        var environment = new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1480956780", ["FPM_EDITOR"] = editor };
        ProcessResult r = CliRunner.Run(CliRunner.Context(_temp.Path, environment), [.. SeedTree.FpmArguments.SkipLast(1), "-e", "."]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: {message}\n"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(before));
        });
    }

    [Test]
    public void RubyInATemplatedScriptBuildsNothing()
    {
        _temp.WriteFile("pre-install", "#!/bin/sh\n<% if true %>\nuseradd consul\n<% end %>\n");
        string[] before = _temp.Snapshot();
        ProcessResult r = CliRunner.Run(_temp.Path, [.. SeedTree.FpmArguments.SkipLast(1), "--template-scripts", "."]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: cannot render the --before-install template '{_temp.Combine("pre-install")}' line 2: '<% if true %>' is Ruby code; only '<%= NAME %>' is rendered (a package attribute or a --template-value KEY)\n"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(before));
        });
    }

    [Test]
    public void OtherPackageTypesFlagsAreAcceptedAndRewritesWarn()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, [.. SeedTree.FpmArguments.SkipLast(1), "--rpm-os", "linux", "--rpm-autoreqprov", "--no-python-fix-name", "--freebsd-origin", "x/y", "-n", "Consul_Server", "."]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: warning: package name 'Consul_Server' rewritten as 'consul-server': Debian names have no upper case, '_' or spaces (as fpm does)\n"));
            Assert.That(_temp.Combine("consul-server_0.7.2-1_amd64.deb"), Does.Exist);
        });
    }

    [TestCase("--deb-frobnicate")]
    [TestCase("--rpm-frobnicate")]
    public void UnknownFlagIsAUsageErrorNamingIt(string flag)
    {
        string[] before = _temp.Snapshot();
        ProcessResult r = CliRunner.Run(_temp.Path, [.. SeedTree.FpmArguments.SkipLast(1), flag, "."]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith($"consul-pkg: unknown option '{flag}' for 'consul-pkg fpm'"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(before));
        });
    }

    [Test]
    public void RepeatableOptionsTakeOneValueEach()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "consul", "-d", "adduser", "--no-auto-depends", "-x", "*install", "-x", "pre-uninstall", "usr");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string listing = ProcessRunner.RunUtc("dpkg-deb", "-c", _temp.Combine("consul_1.0_amd64.deb")).StdOut;
        Assert.That(listing, Does.Contain("./usr/local/bin/consul").And.Not.Contain("./etc/"));
    }

    /// <summary>fpm's <c>--[no-]deb-systemd-enable</c>: the last of the pair wins; a unit's name gets ".service".</summary>
    [TestCase(new[] { "--deb-systemd-enable" }, true)]
    [TestCase(new[] { "--deb-systemd-enable", "--no-deb-systemd-enable" }, false)]
    [TestCase(new[] { "--no-deb-systemd-enable", "--deb-systemd-enable" }, true)]
    [TestCase(new string[0], false)]
    public void SystemdEnableAndItsNegationLastOneWins(string[] flags, bool enabled)
    {
        File.Copy(_temp.Combine("usr/lib/systemd/system/consul.service"), _temp.Combine("agent"));
        ProcessResult r = CliRunner.Run(_temp.Path, ["fpm", "-s", "dir", "-t", "deb", "-n", "consul", "--deb-systemd", "agent", .. flags, "usr/local"]);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string postinst = ProcessRunner.RunUtc("dpkg-deb", "-I", _temp.Combine("consul_1.0_amd64.deb"), "postinst").StdOut;
        Assert.Multiple(() =>
        {
            Assert.That(postinst, Does.Contain("deb-systemd-helper --quiet was-enabled agent.service"));
            Assert.That(postinst.Contains("if deb-systemd-helper debian-installed agent.service", StringComparison.Ordinal), Is.EqualTo(!enabled));
        });
    }

    [Test]
    public void LastOccurrenceWinsAndDebEmailSetsTheMaintainer()
    {
        var environment = new Dictionary<string, string>
        {
            ["SOURCE_DATE_EPOCH"] = "1480956780",
            ["DEBFULLNAME"] = "Consul Ops",
            ["DEBEMAIL"] = "ops@example.org",
        };
        ProcessResult r = CliRunner.Run(CliRunner.Context(_temp.Path, environment), "fpm", "-s", "dir", "-t", "deb", "-n", "first", "-n", "consul", "usr");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string fields = ProcessRunner.RunUtc("dpkg-deb", "-f", _temp.Combine("consul_1.0_amd64.deb"), "Package", "Maintainer").StdOut;
        Assert.That(fields, Is.EqualTo("Package: consul\nMaintainer: Consul Ops <ops@example.org>\n"));
    }

    /// <summary>What neither fpm nor dpkg-deb achieves: a tree holding only /usr/bin/tool is lintian-error-free.</summary>
    [Test]
    public void LintianFindsNoErrorOnAToolBuiltFromOnlyUsrBin()
    {
        Directory.CreateDirectory(_temp.Combine("tree/usr/bin"));
        File.Copy("/bin/true", _temp.Combine("tree/usr/bin/tool"));
        ProcessResult r = CliRunner.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "tool", "-v", "1.0", "--iteration", "1",
            "-m", "Tool Maintainer <tool@example.org>", "--description", "command-line tool\nIt does one thing well.",
            "--url", "https://example.org/tool", "--license", "MIT", "-C", "tree");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        ProcessResult lintian = ProcessRunner.RunUtc("lintian", "--tag-display-limit", "0", _temp.Combine("tool_1.0-1_amd64.deb"));
        Assert.That(lintian.StdOut.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal)), Is.Empty, lintian.StdOut);
        Assert.That(lintian.StdOut, Does.Contain("W: tool:"), "lintian ran and reported on the package");
    }

    [Test]
    public void DebSpecificRelationsFieldsPriorityAndChangelog()
    {
        File.WriteAllText(_temp.Combine("changelog"), "consul (0.7.2-1) stable; urgency=medium\n\n  * Package 0.7.2.\n\n -- Ops <ops@example.org>  Mon, 05 Dec 2016 16:53:00 +0000\n");
        ProcessResult r = CliRunner.Run(CliRunner.Context(_temp.Path), [.. SeedTree.FpmArguments.SkipLast(1),
            "--source-date-epoch-default", "1480956780", "--deb-pre-depends", "adduser", "--deb-recommends", "jq",
            "--deb-suggests", "curl", "--deb-breaks", "consul-template < 0.18", "-d", "libc6", "--no-depends",
            "--deb-field", "X-Upstream: hashicorp", "--deb-priority", "extra", "--deb-changelog", "changelog",
            "--log", "error", "--debug", "--workdir", "/nonexistent", "."]);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string fields = ProcessRunner.RunUtc("dpkg-deb", "-f", Deb).StdOut;
        Assert.Multiple(() =>
        {
            Assert.That(fields, Does.Contain("Pre-Depends: adduser\n").And.Contain("Recommends: jq\n").And.Contain("Suggests: curl\n"));
            Assert.That(fields, Does.Contain("Breaks: consul-template (<< 0.18)\n").And.Not.Contain("Depends: libc6"));
            Assert.That(fields, Does.Contain("X-Upstream: hashicorp\n").And.Contain("Priority: extra\n"));
            Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-c", Deb).StdOut, Does.Contain("2016-12-05 16:53 ./usr/share/doc/consul/changelog.Debian.gz"));
        });
        ProcessResult extracted = ProcessRunner.RunUtc("dpkg-deb", "-x", Deb, _temp.Combine("x"));
        Assert.That(extracted.ExitCode, Is.Zero, extracted.StdErr);
        ProcessResult changelog = ProcessRunner.RunUtc("zcat", _temp.Combine("x/usr/share/doc/consul/changelog.Debian.gz"));
        Assert.That(changelog.StdOut, Does.StartWith("consul (0.7.2-1) stable; urgency=medium"));
    }
}
