using ConsulPkg.Consul.Tests.Support;
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
        GeneratedConfigs result = ConfigsGenerator.Generate(dir.Path, key, new AgentSettings { Datacenter = "east" }, asRoot: asRoot);

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

    [Test]
    public void GroupIdsComeFromTheGroupFile()
    {
        using var dir = new TempDirectory();
        string groups = dir.WriteFile("group", "root:x:0:\nconsul:x:998:\nconsulx:x:5:\n");
        Assert.That(UnixOwnership.GroupId("consul", groups), Is.EqualTo(998));
        Assert.That(UnixOwnership.GroupId("nope", groups), Is.Null);
    }

    [Test]
    [Category("Install")] // needs root, like the install tests; skipped with them by developers without it
    public void SetGroupGivesAFileToAGroup()
    {
        // Giving a file to a group one is not in needs root, as consul-pkg configs has when it uses this; CI runs as root.
        Assert.That(Environment.IsPrivilegedProcess, Is.True, "this test needs root, as CI runs");
        using var dir = new TempDirectory();
        string file = dir.WriteFile("f", "x");
        int daemon = UnixOwnership.GroupId("daemon") ?? throw new AssertionException("no 'daemon' group in /etc/group");
        UnixOwnership.SetGroup(file, daemon);
        Assert.That(Tool.Run("stat", "-c", "%g", file).StdOut.Trim(), Is.EqualTo(daemon.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void InvalidSettingsWriteNothing()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<PackageException>(() =>
            ConfigsGenerator.Generate(dir.Path, GossipKey.Generate(), new AgentSettings { Join = ["not an address!"] }));
        Assert.That(e!.Message, Does.Contain("invalid join address 'not an address!'"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path), Is.Empty);
    }

    [TestCase("{\"server\": true, \"bootstrap\": true, \"bootstrap_expect\": 3}", "both bootstrap and bootstrap_expect")]
    [TestCase("{\"server\": true, \"acl_token\": \"x\"}", "key 'acl_token', which Consul 0.7 rejects")]
    [TestCase("{\"server\": true,}", "is not valid JSON")]
    [TestCase("[1]", "is not a JSON object")]
    [TestCase("{\"server\": \"yes\"}", "'server' must be true or false")]
    [TestCase("{\"encrypt\": \"c2hvcnQ=\"}", "decodes to 5 bytes")]
    public void ConfigValidatorRefusesWhatConsulWouldRefuse(string json, string expected)
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(json, "x.json"));
        Assert.That(e!.Message, Does.Contain(expected));
    }
}
