using System.Text.Json;
using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;
using ConsulPkg.Testing.Releases;

namespace ConsulPkg.Consul.Tests.Versions;

/// <summary>
/// A package for a release in each range of the facts table, built from a fake release served on
/// 127.0.0.1 and taken apart with the real dpkg-deb: join key, config check, key size, unit type,
/// licence and what purge removes follow the version; <c>latest</c> resolves through the index.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class VersionRangeBuildTests
{
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private ReleaseBuildSetup _setup = null!;

    [SetUp]
    public void SetUp() => _setup = new ReleaseBuildSetup();

    [TearDown]
    public void TearDown() => _setup.Dispose();

    private ConsulRecipeOptions Options(string version, string? templates = null) => _setup.Options(version, Timestamp, "Ops <ops@example.org>") with
    {
        GossipKey = new GossipKeySource(), // generated: the version decides its size
        TemplatesDirectory = templates,
        Download = new DownloadOptions { MaxAttempts = 1 },
    };

    /// <summary>A user's server template enabling the UI with <paramref name="uiKey"/>.</summary>
    private string ServerTemplateWithUi(string uiKey)
    {
        string value = uiKey == "ui_config" ? "{ \"enabled\": true }" : "true";
        _setup.Temp.WriteFile($"templates-{uiKey}/server.json.sbn",
            "{\n  \"server\": true,\n  \"datacenter\": {{ datacenter_json }},\n  \"data_dir\": {{ data_dir_json }},\n"
            + $"  \"{uiKey}\": {value},\n  \"encrypt\": {{{{ encrypt_json }}}},\n  \"retry_join\": {{{{ join_json }}}}\n}}\n");
        return _setup.Temp.Combine($"templates-{uiKey}");
    }

    /// <summary>A version in each range of the facts table, with what its package must say.</summary>
    public static IEnumerable<TestCaseData> Ranges() =>
    [
        new TestCaseData("0.7.5", 16, "MPL-2.0", "ui").SetName("Range 0.7.x"),
        new TestCaseData("1.5.3", 16, "MPL-2.0", "ui").SetName("Range 1.5.x"),
        new TestCaseData("1.6.1", 32, "MPL-2.0", "ui").SetName("Range 1.6.x"),
        new TestCaseData("1.15.4", 32, "MPL-2.0", "ui_config").SetName("Range 1.15.x"),
        new TestCaseData("1.17.3", 32, "BUSL-1.1", "ui_config").SetName("Range 1.17.x"),
        new TestCaseData("2.1.0", 32, "BUSL-1.1", "ui_config").SetName("Range 2.x"),
    ];

    [TestCaseSource(nameof(Ranges))]
    public async Task PackageFollowsTheVersion(string version, int keyBytes, string license, string uiKey)
    {
        new FakeRelease(version).Publish(_setup.Server, TestKeys.Trusted);
        ConsulBuildResult result = await _setup.Build(Options(version, ServerTemplateWithUi(uiKey)));

        using var unpacked = new TempDirectory();
        ProcessRunner.RunUtc("dpkg-deb", "-R", result.PackagePath, unpacked.Path).EnsureSuccess();
        string Read(string path) => File.ReadAllText(Path.Combine(unpacked.Path, path));
        string server = Read("etc/consul.d/server/consul.json");
        string client = Read("etc/consul.d/client/consul.json");
        string unit = Read("usr/lib/systemd/system/consul.service");
        string copyright = Read("usr/share/doc/consul/copyright");
        string postrm = Read("DEBIAN/postrm");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ConsulVersion, Is.EqualTo(version));
            Assert.That(client, Does.Contain("\"retry_join\": [").And.Not.Contain("start_join"), "every version has retry_join; start_join exits on a failed join before 1.15");
            Assert.That(server, Does.Contain($"\"{uiKey}\": "), "a user template using that version's UI key passes its check");
            foreach (string role in new[] { "bootstrap", "server", "client" })
            {
                Assert.That(EncryptKeyBytes(Read($"etc/consul.d/{role}/consul.json")), Is.EqualTo(keyBytes), $"{role}: the key consul keygen of {version} makes");
            }

            Assert.That(unit, Does.Contain("\nType=simple\n"));
            Assert.That(unit, Does.Contain("-config-dir=/etc/consul.d/node\n"));
            Assert.That(copyright, Does.Contain($"\nLicense: {license}\n"));
            Assert.That(copyright, Does.Contain($"\nSource: https://github.com/hashicorp/consul/tree/v{version}\n"));
            Assert.That(postrm, Does.Contain("rm -rf /var/lib/consul\n").And.Contain("rm -f /etc/default/consul\n").And.Contain("rm -rf /etc/consul.d/node\n"),
                "purge removes the data dir, the role file and the per-node settings");
            Assert.That(_setup.Diagnostics.ToString(), Is.Empty, "a known version builds without a warning");
        }

        if (license == "BUSL-1.1")
        {
            Assert.That(copyright, Does.Contain($"https://github.com/hashicorp/consul/blob/v{version}/LICENSE"));
        }
    }

    /// <summary>From 1.0 a role's config may come from an HCL template: the package ships it as consul.hcl, a conffile with the key's modes.</summary>
    [Test]
    public async Task AnHclServerTemplateShipsConsulHcl()
    {
        new FakeRelease("1.17.3").Publish(_setup.Server, TestKeys.Trusted);
        _setup.Temp.WriteFile("templates-hcl/server.hcl.sbn",
            "server = true\ndatacenter = {{ datacenter_json }}\ndata_dir = {{ data_dir_json }}\nencrypt = {{ encrypt_json }}\n"
            + "retry_join = {{ join_json }}\nui_config {\n  enabled = true\n}\n");
        ConsulBuildResult result = await _setup.Build(Options("1.17.3", _setup.Temp.Combine("templates-hcl")));

        string contents = ProcessRunner.RunUtc("dpkg-deb", "-c", result.PackagePath).EnsureSuccess().StdOut;
        using var control = new TempDirectory();
        ProcessRunner.RunUtc("dpkg-deb", "-e", result.PackagePath, control.Path).EnsureSuccess();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(contents, Does.Contain("-rw-r----- root/consul").And.Contain("./etc/consul.d/server/consul.hcl\n"));
            Assert.That(contents, Does.Not.Contain("./etc/consul.d/server/consul.json"));
            Assert.That(File.ReadAllText(control.Combine("conffiles")), Is.EqualTo(
                "/etc/consul.d/bootstrap/consul.json\n/etc/consul.d/client/consul.json\n/etc/consul.d/server/consul.hcl\n"));
            Assert.That(File.ReadAllText(control.Combine("postinst")), Does.Contain("\"/etc/consul.d/$role/consul.hcl\""), "postinst keeps the HCL config private too");
        }
    }

    /// <summary>ui_config came in 1.9: a template using it for an older release fails before any download, naming the version.</summary>
    [TestCase("0.7.5")]
    [TestCase("1.6.1")]
    public void UiConfigIsRefusedForAVersionWithoutIt(string version)
    {
        var release = new FakeRelease(version);
        release.Publish(_setup.Server, TestKeys.Trusted);
        var e = Assert.ThrowsAsync<PackageException>(() => _setup.Build(Options(version, ServerTemplateWithUi("ui_config"))));
        Assert.That(e!.Message, Is.EqualTo($"rendered config server.json has key 'ui_config', which Consul {version} refuses at start: it came in 1.9.0; remove it or package 1.9.0 or later"));
        Assert.That(_setup.Server.RequestCount(release.Dir + release.SumsName), Is.Zero);
        Assert.That(Directory.EnumerateFileSystemEntries(_setup.Output), Is.Empty);
    }

    [Test]
    public async Task LatestResolvesThroughTheIndexSkippingAReleaseCandidate()
    {
        _setup.Server.Serve("/consul/index.json", FakeRelease.Index(
            ("1.22.4", ["amd64"]), ("2.1.0", ["amd64", "arm64"]), ("2.2.0-rc1", ["amd64", "arm64"]), ("2.1.1+ent", ["amd64"])));
        new FakeRelease("2.1.0").Publish(_setup.Server, TestKeys.Trusted);
        new FakeRelease("1.22.4").Publish(_setup.Server, TestKeys.Trusted);

        ConsulBuildResult latest = await _setup.Build(Options("latest"));
        ConsulBuildResult line = await _setup.Build(Options("latest-1.x"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(latest.ConsulVersion, Is.EqualTo("2.1.0"));
            Assert.That(Path.GetFileName(latest.PackagePath), Is.EqualTo("consul_2.1.0-1_amd64.deb"));
            Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", latest.PackagePath, "Version").EnsureSuccess().StdOut, Is.EqualTo("2.1.0-1\n"));
            Assert.That(line.ConsulVersion, Is.EqualTo("1.22.4"));
            Assert.That(_setup.Diagnostics.ToString(), Does.Contain($"latest is Consul 2.1.0 (from {_setup.Server.BaseUrl}consul/index.json)\n"));
            Assert.That(_setup.Diagnostics.ToString(), Does.Contain("latest-1.x is Consul 1.22.4"));
            Assert.That(_setup.Server.RequestCount("/consul/2.2.0-rc1/consul_2.2.0-rc1_SHA256SUMS"), Is.Zero);
        }
    }

    [Test]
    public void AnArchitectureTheVersionLacksIsRefusedBeforeAnyDownload()
    {
        var release = new FakeRelease("0.8.3", "arm64");
        release.Publish(_setup.Server, TestKeys.Trusted);
        var e = Assert.ThrowsAsync<PackageException>(() => _setup.Build(Options("0.8.3") with { Architecture = "arm64" }));
        Assert.That(e!.Message, Does.StartWith("Consul 0.8.3 has no linux_arm64 build (arm64): HashiCorp builds it from 0.8.4"));
        Assert.That(_setup.Server.RequestCount(release.Dir + release.SumsName), Is.Zero);
    }

    [Test]
    public async Task AVersionNewerThanTheFactsIsBuiltWithAWarning()
    {
        new FakeRelease("3.0.0").Publish(_setup.Server, TestKeys.Trusted);
        await _setup.Build(Options("3.0.0"));
        Assert.That(_setup.Diagnostics.ToString(), Is.EqualTo("warning: consul-pkg knows Consul up to 2.x; 3.0.0 is packaged with the facts of 2.x\n"));
    }

    [Test]
    public void AGivenKeyOfASizeNoVersionAcceptsIsRefused()
    {
        string file = _setup.Temp.WriteFile("key", Convert.ToBase64String(new byte[20]));
        var e = Assert.ThrowsAsync<PackageException>(() =>
            _setup.Build(Options("1.17.3") with { GossipKey = new GossipKeySource { File = file } }));
        Assert.That(e!.Message, Does.Contain("decodes to 20 bytes; Consul accepts 16, 24 or 32"));
    }

    private static int EncryptKeyBytes(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return Convert.FromBase64String(document.RootElement.GetProperty("encrypt").GetString()!).Length;
    }
}
