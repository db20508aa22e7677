using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Tests;

[TestFixture]
public sealed class ConfigsGeneratorTests
{
    [TestCase(true, 0b110_100_000)]
    [TestCase(false, 0b110_000_000)]
    public void WritesThreeConfigsSharingOneKeyWithPrivateModes(bool asRoot, int mode)
    {
        using var dir = new TempDirectory();
        GossipKey key = GossipKey.Generate();
        GeneratedConfigs result = ConfigsGenerator.Generate(dir.Path, key, new AgentSettings { Datacenter = "east" }, ConsulVersionFacts.For("0.7.2"), asRoot: asRoot);

        Assert.That(result.Paths.Keys, Is.EquivalentTo(AgentRoleExtensions.All));
        Assert.That(result.KeyFingerprint, Is.EqualTo(key.Fingerprint));
        foreach ((AgentRole role, string path) in result.Paths)
        {
            Assert.That(path, Is.EqualTo(dir.Combine(role.ToName(), "consul.json")));
            Assert.That((int)File.GetUnixFileMode(path), Is.EqualTo(mode), path);
            string json = File.ReadAllText(path);
            Assert.That(json, Does.Contain(key.ToBase64()).And.Contain("\"datacenter\": \"east\""));
        }

        Assert.That(Directory.EnumerateFiles(dir.Path, ".*", SearchOption.AllDirectories), Is.Empty, "no temp files left");
    }

    /// <summary>
    /// Regenerating with a new key (step 4 of the README's rotation): the configs are replaced
    /// atomically with private modes and the new key, and the old key's fingerprint is reported,
    /// because agents that already ran keep the old key in their keyring until it is rotated.
    /// </summary>
    [Test]
    public void RegeneratingWithANewKeyReportsTheKeyItReplaced()
    {
        using var dir = new TempDirectory();
        ConsulFacts facts = ConsulVersionFacts.For("1.17.3");
        GossipKey old = GossipKey.Generate(16);
        GossipKey fresh = GossipKey.Generate(32);
        GeneratedConfigs first = ConfigsGenerator.Generate(dir.Path, old, new AgentSettings(), facts, asRoot: false);
        GeneratedConfigs again = ConfigsGenerator.Generate(dir.Path, old, new AgentSettings(), facts, asRoot: false);
        GeneratedConfigs rotated = ConfigsGenerator.Generate(dir.Path, fresh, new AgentSettings(), facts, asRoot: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ReplacedKeyFingerprints, Is.Empty, "nothing was there");
            Assert.That(again.ReplacedKeyFingerprints, Is.Empty, "same key: nothing to rotate");
            Assert.That(rotated.ReplacedKeyFingerprints, Is.EqualTo(new[] { old.Fingerprint }));
            foreach (string path in rotated.Paths.Values)
            {
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), path);
                Assert.That(File.ReadAllText(path), Does.Contain(fresh.ToBase64()).And.Not.Contain(old.ToBase64()));
            }

            Assert.That(Directory.EnumerateFiles(dir.Path, ".*", SearchOption.AllDirectories), Is.Empty, "no temp files left");
        }
    }

    [Test]
    public void AKeyTheVersionDoesNotAcceptIsRefusedBeforeWriting()
    {
        using var dir = new TempDirectory();
        string twenty = Convert.ToBase64String(new byte[20]);
        var e = Assert.Throws<PackageException>(() => GossipKey.Parse(twenty, "file 'k'", ConsulVersionFacts.For("0.7.2")));
        Assert.That(e!.Message, Does.Contain("decodes to 20 bytes").And.Not.Contain(twenty));
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path), Is.Empty);
    }

    [Test]
    public void GroupIdsComeFromTheGroupFile()
    {
        using var dir = new TempDirectory();
        string groups = dir.WriteFile("group", "root:x:0:\nconsul:x:998:\nconsulx:x:5:\n");
        Assert.That(UnixOwnership.GroupId("consul", groups), Is.EqualTo(998));
        Assert.That(UnixOwnership.GroupId("nope", groups), Is.Null);
    }

    [Test]
    [Category(TestCategories.Install)] // needs root, like the install tests; skipped with them by developers without it
    public void SetGroupGivesAFileToAGroup()
    {
        // Giving a file to a group one is not in needs root, as consul-pkg configs has when it uses this; CI runs as root.
        Assert.That(Environment.IsPrivilegedProcess, Is.True, "this test needs root, as CI runs");
        using var dir = new TempDirectory();
        string file = dir.WriteFile("f", "x");
        int daemon = UnixOwnership.GroupId("daemon") ?? throw new AssertionException("no 'daemon' group in /etc/group");
        ConsulPkg.Debian.IO.UnixFiles.SetGroup(file, daemon);
        Assert.That(ProcessRunner.RunUtc("stat", "-c", "%g", file).StdOut.Trim(), Is.EqualTo(daemon.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void InvalidSettingsWriteNothing()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<PackageException>(() =>
            ConfigsGenerator.Generate(dir.Path, GossipKey.Generate(), new AgentSettings { Join = ["not an address!"] }, ConsulVersionFacts.For("0.7.2"), asRoot: false));
        Assert.That(e!.Message, Does.Contain("invalid join address 'not an address!'"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path), Is.Empty);
    }

    [TestCase("{\"server\": true, \"bootstrap\": true, \"bootstrap_expect\": 3}", "both bootstrap and bootstrap_expect")]
    [TestCase("{\"server\": true, \"acl_tokn\": \"x\"}", "key 'acl_tokn', which Consul 0.7.2 refuses at start: consul-pkg knows no Consul version with it")]
    [TestCase("{\"server\": true, \"ui_config\": {\"enabled\": true}}", "key 'ui_config', which Consul 0.7.2 refuses at start: it came in 1.9.0")]
    [TestCase("{\"ports\": {\"grpc_tls\": 8503}}", "key 'ports.grpc_tls', which Consul 0.7.2 refuses at start: it came in 1.14.0")]
    [TestCase("{\"server\": false, \"bootstrap_expect\": 3}", "bootstrap_expect without server")]
    [TestCase("{\"server\": true,}", "is not valid JSON")]
    [TestCase("[1]", "is not a JSON object")]
    [TestCase("{\"server\": \"yes\"}", "'server' must be true or false")]
    [TestCase("{\"encrypt\": \"c2hvcnQ=\"}", "decodes to 5 bytes")]
    public void ConfigValidatorRefusesWhatConsulWouldRefuse(string json, string expected)
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(json, "x.json", ConsulVersionFacts.For("0.7.2")));
        Assert.That(e!.Message, Does.Contain(expected));
    }
}
