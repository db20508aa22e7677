using System.Globalization;
using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Consul.Tests.Support;

namespace ConsulPkg.Cli.Tests.Consul;

/// <summary>build, keygen and configs through the real command line, against a fake release on 127.0.0.1.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConsulCommandsTests
{
    private TempDirectory _temp = null!;
    private FakeReleaseServer _server = null!;
    private FakeRelease _release = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _server = new FakeReleaseServer();
        _release = new FakeRelease("0.7.5");
        _release.Publish(_server, TestKeys.Trusted);
        _temp.WriteFile("test-key.asc", TestKeys.Trusted.ArmoredPublicKey);
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    private CliContext Context(Dictionary<string, string>? extra = null)
    {
        Dictionary<string, string> environment = CliRunner.ConsulEnvironment(_server.BaseUrl, _temp.Combine("cache"), TestKeys.GossipKeyBase64);
        foreach ((string k, string v) in extra ?? [])
        {
            environment[k] = v;
        }

        return CliRunner.Context(_temp.Path, environment);
    }

    [Test]
    public void BuildWritesThePackageAndPrintsOnlyTheKeysFingerprint()
    {
        Directory.CreateDirectory(_temp.Combine("out"));
        ProcessResult r = CliRunner.Run(Context(), "build", "--consul-version", "0.7.5", "--iteration", "2", "--trusted-key", "test-key.asc", "--output", "out");
        string deb = _temp.Combine("out", "consul_0.7.5-2_amd64.deb");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdOut, Does.Contain($"Created package {deb}"));
            Assert.That(r.StdOut, Does.Contain("gossip key fingerprint sha256:"));
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain(TestKeys.GossipKeyBase64));
            Assert.That(r.StdErr, Is.Empty);
            Assert.That(File.Exists(deb), Is.True);
        });
        ProcessResult fields = ProcessRunner.RunUtc("dpkg-deb", "-f", deb, "Version", "Maintainer");
        Assert.That(fields.StdOut, Is.EqualTo("Version: 0.7.5-2\nMaintainer: Ops Team <ops@example.org>\n"), fields.StdErr);
    }

    [Test]
    public void WithoutAnyMaintainerTheDefaultIsUsedAndSaid()
    {
        Directory.CreateDirectory(_temp.Combine("out"));
        ProcessResult r = CliRunner.Run(Context(new() { ["DEBEMAIL"] = "" }), "build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", "out");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(r.StdErr, Is.EqualTo("warning: no --maintainer (nor DEBFULLNAME and DEBEMAIL): the package's Maintainer is 'consul-pkg <consul-pkg@packages.invalid>'\n"));
        Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", _temp.Combine("out", "consul_0.7.5-1_amd64.deb"), "Maintainer").StdOut, Is.EqualTo("consul-pkg <consul-pkg@packages.invalid>\n"));
    }

    [Test]
    public void AnInvalidDebemailIsRefusedNamingTheVariables()
    {
        ProcessResult r = CliRunner.Run(Context(new() { ["DEBEMAIL"] = "ops@localhost" }), "build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(r.StdErr, Is.EqualTo("consul-pkg: invalid maintainer 'Ops Team <ops@localhost>' from DEBFULLNAME and DEBEMAIL: give 'Full Name <user@example.org>' (a name, then a mail address with a dotted domain)\n"));
    }

    /// <summary>fpm's -f: replace the output file.</summary>
    [Test]
    public void DashFReplacesAnExistingPackage()
    {
        Directory.CreateDirectory(_temp.Combine("out"));
        string[] build = ["build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", "out"];
        Assert.That(CliRunner.Run(Context(), build).ExitCode, Is.Zero);
        ProcessResult refused = CliRunner.Run(Context(), build);
        ProcessResult forced = CliRunner.Run(Context(), [.. build, "-f"]);
        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(refused.StdErr, Is.EqualTo($"consul-pkg: '{_temp.Combine("out", "consul_0.7.5-1_amd64.deb")}' already exists: remove it or allow replacing it (--force)\n"));
            Assert.That(forced.ExitCode, Is.Zero, forced.StdErr);
        });
    }

    [Test]
    public void MissingOutputDirectoryFailsBeforeAnyDownload()
    {
        ProcessResult r = CliRunner.Run(Context(), "build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", "nowhere");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: output directory '{_temp.Combine("nowhere")}' does not exist: create it or choose another output (--output)\n"));
            Assert.That(_server.RequestCount(_release.Dir + _release.SumsName), Is.Zero);
        });
    }

    [Test]
    public void BuildWithAnInvalidKeyFailsOnOneLineWithoutTheKey()
    {
        const string badKey = "dG9vIHNob3J0";
        ProcessResult r = CliRunner.Run(Context(new() { ["CONSUL_PKG_GOSSIP_KEY"] = badKey }), "build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: the gossip key from environment variable CONSUL_PKG_GOSSIP_KEY decodes to 9 bytes"));
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain(badKey));
            Assert.That(Directory.GetFiles(_temp.Path, "*.deb"), Is.Empty);
        });
    }

    [Test]
    public void BuildWithoutTheTestKeyRefusesTheSignature()
    {
        ProcessResult r = CliRunner.Run(Context(), "build", "--consul-version", "0.7.5");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Does.Contain("which is not trusted").And.EndWith(": add its public key to the trusted keys if you trust it (--trusted-key FILE)\n"));
            Assert.That(Directory.GetFiles(_temp.Path, "*.deb"), Is.Empty);
        });
    }

    /// <summary>The library names the setting; the command line adds its option.</summary>
    [Test]
    public void AMissingSignatureNamesTheOptionThatSkipsTheCheck()
    {
        _server.Remove(_release.Dir + _release.SumsName + ".72D7468F.sig");
        ProcessResult r = CliRunner.Run(Context(), "build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith($"consul-pkg: no signature for {_release.SumsName} (looked for {_server.BaseUrl}consul/0.7.5/{_release.SumsName}.72D7468F.sig and ")
                .And.EndWith("the release cannot be verified; skip the signature check only if you trust where the files come from (--skip-signature)\n"));
        });
    }

    /// <summary>--release-url wins over $CONSUL_PKG_RELEASE_URL; a bad value is named by where it came from.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public void TheReleaseUrlOptionWinsOverTheEnvironment(bool option)
    {
        string[] args = option ? ["--release-url", "ftp://option.test.invalid/"] : [];
        ProcessResult r = CliRunner.Run(Context(new() { ["CONSUL_PKG_RELEASE_URL"] = "ftp://environment.test.invalid/" }), ["build", "--consul-version", "0.7.5", .. args]);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(r.StdErr, Does.StartWith(option
            ? "consul-pkg: invalid release URL 'ftp://option.test.invalid/' from --release-url: "
            : "consul-pkg: invalid release URL 'ftp://environment.test.invalid/' from CONSUL_PKG_RELEASE_URL: "));
    }

    [Test]
    public void AMissingReleaseNamesTheReleaseUrlOption()
    {
        ProcessResult r = CliRunner.Run(Context(), "build", "--consul-version", "1.99.0", "--trusted-key", "test-key.asc");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo(
                $"consul-pkg: {_server.BaseUrl}consul/1.99.0/consul_1.99.0_SHA256SUMS was not found (HTTP 404): check the version, the architecture and the release URL (--release-url)\n"));
        });
    }

    [TestCase("--layout", "rpm", "invalid --layout 'rpm': use seed", ExitCodes.Usage)]
    [TestCase("--compression", "bz2", "invalid --compression 'bz2': use gz, xz, zst or none", ExitCodes.Usage)]
    [TestCase("--gossip-key-bytes", "20", "invalid --gossip-key-bytes '20': use 16, 24 or 32", ExitCodes.Usage)]
    [TestCase("--arch", "x86_64", "--arch: unsupported architecture 'x86_64'", ExitCodes.Usage)]
    [TestCase("--iteration", "1_2", "--iteration: invalid Debian revision '1_2'", ExitCodes.Usage)]
    [TestCase("--vendor", "a\nb", "--vendor: invalid Vendor 'a\\nb': it must be a single non-empty line", ExitCodes.Usage)]
    [TestCase("--source-date-epoch", "now", "invalid --source-date-epoch 'now'", ExitCodes.Usage)]
    [TestCase("--consul-version", "1.2", "invalid Consul version '1.2'", ExitCodes.Failure)]
    [TestCase("--maintainer", "root <root@localhost>", "invalid maintainer 'root <root@localhost>' from --maintainer", ExitCodes.Usage)]
    [TestCase("--bind-addr", "eth0", "invalid bind_addr 'eth0': give an IP address, or a go-sockaddr template such as '{{ GetPrivateIP }}' (--bind-addr)", ExitCodes.Failure)]
    [TestCase("--release-url", "ftp://mirror", "invalid release URL 'ftp://mirror' from --release-url", ExitCodes.Failure)]
    [TestCase("--zip", "consul.zip", "--zip and --sha256sums go together", ExitCodes.Failure)]
    public void BadOptionValuesFailBeforeAnyDownload(string option, string value, string message, int exitCode)
    {
        string[] args = option == "--consul-version"
            ? ["build", option, value]
            : ["build", "--consul-version", "0.7.5", option, value];
        ProcessResult r = CliRunner.Run(Context(), args);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(exitCode));
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: " + message));
            Assert.That(_server.RequestCount(_release.Dir + _release.SumsName), Is.Zero);
        });
    }

    [Test]
    public void TheStandardProxyVariablesAreHonoured()
    {
        // A real process, so .NET's default proxy is read from this environment. The release host
        // does not resolve; only the proxy (the fake server, on 127.0.0.1) can answer.
        Directory.CreateDirectory(_temp.Combine("out"));
        ProcessResult r = ConsulPkgProcess.Run(
            ["build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", "out", "--release-url", "http://releases.test.invalid/"],
            _temp.Path,
            new Dictionary<string, string?>
            {
                ["http_proxy"] = _server.BaseUrl.ToString(),
                ["no_proxy"] = "",
                ["XDG_CACHE_HOME"] = _temp.Combine("cache"),
                ["CONSUL_PKG_GOSSIP_KEY"] = TestKeys.GossipKeyBase64,
            });
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(_server.ProxiedHosts, Has.Member("releases.test.invalid"));
            Assert.That(File.Exists(_temp.Combine("out", "consul_0.7.5-1_amd64.deb")), Is.True);
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain(TestKeys.GossipKeyBase64));
        });
    }

    [TestCase("keygen", "--bytes", "20", "use 16 (Consul before 1.6, the default), 24 or 32")]
    [TestCase("keygen", "--bytes", "x", "use 16 (Consul before 1.6, the default), 24 or 32")]
    [TestCase("configs", "--gossip-key-bytes", "20", "use 16, 24 or 32")]
    public void KeySizeIsCheckedWithTheCommandLine(string command, string option, string value, string accepted)
    {
        string[] args = command == "configs" ? [command, "--output", "conf", option, value] : [command, option, value];
        ProcessResult r = CliRunner.Run(Context(), args);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(r.ErrorLines, Is.EqualTo(new[]
            {
                $"consul-pkg: invalid {option} '{value}': {accepted} (see 'consul-pkg {command} --help')",
            }));
            Assert.That(r.StdOut, Is.Empty);
            Assert.That(Directory.Exists(_temp.Combine("conf")), Is.False);
        });
    }

    [TestCase(new string[0], 24)]
    [TestCase(new[] { "--bytes", "24" }, 32)]
    [TestCase(new[] { "--bytes", "32" }, 44)]
    public void KeygenPrintsAKeyLikeConsulKeygen(string[] extra, int length)
    {
        ProcessResult r = CliRunner.Run(Context(), ["keygen", .. extra]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero);
            Assert.That(r.StdOut.TrimEnd('\n'), Has.Length.EqualTo(length));
            Assert.That(r.StdErr, Is.Empty);
        });
    }

    [Test]
    public void ConfigsWritesThreeFilesAndPrintsPathsAndFingerprint()
    {
        ProcessResult r = CliRunner.Run(Context(), "configs", "--output", "conf", "--datacenter", "east", "--join", "10.0.0.1", "--join", "10.0.0.2");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.Multiple(() =>
        {
            foreach (string role in new[] { "bootstrap", "server", "client" })
            {
                string path = _temp.Combine("conf", role, "consul.json");
                Assert.That(r.StdOut, Does.Contain($"Wrote {role} config {path}"));
                Assert.That(File.ReadAllText(path), Does.Contain(TestKeys.GossipKeyBase64));
            }

            Assert.That(File.ReadAllText(_temp.Combine("conf", "client", "consul.json")), Does.Contain("[\"10.0.0.1\",\"10.0.0.2\"]"));
            Assert.That(r.StdOut, Does.Match(@"gossip key fingerprint sha256:[0-9a-f]{16}\n"));
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain(TestKeys.GossipKeyBase64));
        });
    }

    [Test]
    public void ConfigsOverConfigsWithAnotherKeySaysRunningAgentsKeepTheOldOne()
    {
        const string newKey = "3SYAxnmrHcW7k3Dqh2gpyA==";
        Assert.That(CliRunner.Run(Context(), "configs", "--output", "conf").ExitCode, Is.Zero);
        ProcessResult r = CliRunner.Run(Context(new() { ["CONSUL_PKG_GOSSIP_KEY"] = newKey }), "configs", "--output", "conf");
        string oldFingerprint = GossipKeyFingerprint(TestKeys.GossipKeyBase64);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Does.StartWith($"note: the replaced configs held gossip key {oldFingerprint}; agents that already ran keep it"));
            Assert.That(r.StdErr, Does.Contain("rotate them with consul-pkg keyring rotate"));
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain(newKey).And.Not.Contain(TestKeys.GossipKeyBase64));
            Assert.That(File.ReadAllText(_temp.Combine("conf", "server", "consul.json")), Does.Contain(newKey));
        });
    }

    [Test]
    public void BuildGossipKeyAtInstallWritesAPackageWithoutAnyKey()
    {
        Directory.CreateDirectory(_temp.Combine("out"));
        ProcessResult r = CliRunner.Run(Context(), "build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", "out", "--gossip-key-at-install");
        string deb = _temp.Combine("out", "consul_0.7.5-1_amd64.deb");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        ProcessResult extract = ProcessRunner.RunUtc("dpkg-deb", "-x", deb, _temp.Combine("root"));
        Assert.That(extract.ExitCode, Is.Zero, extract.StdErr);
        string umask = ProcessRunner.Run("/bin/sh", "-c", "umask").StdOut.Trim();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.StdOut, Does.Contain("gossip key: none in the configs; each node is given one at install (debconf consul/gossip-key, or /etc/consul.d/node/encrypt.json)"));
            Assert.That(r.StdOut, Does.Not.Contain("fingerprint"));
            foreach (string role in new[] { "bootstrap", "server", "client" })
            {
                Assert.That(File.ReadAllText(_temp.Combine("root", "etc", "consul.d", role, "consul.json")), Does.Not.Contain("encrypt"));
            }

            Assert.That(Repository.SecretScan.Find(deb), Is.Null, "no key in any file, control members included");
            Assert.That((int)File.GetUnixFileMode(deb), Is.EqualTo(0b110_110_110 & ~Convert.ToInt32(umask, 8)), "not a secret: created as any file");
        }
    }

    [Test]
    public void AnEmbeddedKeyPackageIsStillASecret()
    {
        Directory.CreateDirectory(_temp.Combine("out"));
        ProcessResult r = CliRunner.Run(Context(), "build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", "out");
        string deb = _temp.Combine("out", "consul_0.7.5-1_amd64.deb");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(File.GetUnixFileMode(deb), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Repository.SecretScan.Find(deb)?.File, Is.EqualTo("/etc/consul.d/bootstrap/consul.json"));
    }

    [TestCase("--gossip-key-at-install")]
    [TestCase("--no-gossip-encryption")]
    public void ConfigsWithoutAKeySayWhereTheAgentsGetOne(string option)
    {
        ProcessResult r = CliRunner.Run(Context(), "configs", "--output", "conf", option);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        using (Assert.EnterMultipleScope())
        {
            foreach (string role in new[] { "bootstrap", "server", "client" })
            {
                Assert.That(File.ReadAllText(_temp.Combine("conf", role, "consul.json")), Does.Not.Contain("encrypt"));
            }

            Assert.That(r.StdOut, Does.Contain(option == "--no-gossip-encryption"
                ? "gossip key: none, and none asked for (--no-gossip-encryption): the agents' gossip is not encrypted"
                : "gossip key: none in the configs; each node is given one at install"));
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain(TestKeys.GossipKeyBase64), "the key in the environment is not used");
        }
    }

    [TestCase("build", new[] { "--gossip-key-at-install", "--no-gossip-encryption" }, "--gossip-key-at-install and --no-gossip-encryption exclude each other: choose one")]
    [TestCase("build", new[] { "--gossip-key-at-install", "--gossip-key-file", "k" }, "--gossip-key-at-install makes a package without a gossip key: drop --gossip-key-file")]
    [TestCase("configs", new[] { "--no-gossip-encryption", "--gossip-key-bytes", "32" }, "--no-gossip-encryption makes a package without a gossip key: drop --gossip-key-bytes")]
    public void KeyOptionsThatContradictEachOtherAreAUsageError(string command, string[] options, string message)
    {
        string[] args = command == "build" ? ["build", "--consul-version", "0.7.5", .. options] : ["configs", "--output", "conf", .. options];
        ProcessResult r = CliRunner.Run(Context(), args);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(r.ErrorLines, Is.EqualTo(new[] { $"consul-pkg: {message} (see 'consul-pkg {command} --help')" }));
        Assert.That(_server.RequestCount(_release.Dir + _release.SumsName), Is.Zero);
    }

    private static string GossipKeyFingerprint(string key) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(key)).AsSpan(0, 8));
}
