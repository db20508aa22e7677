using ConsulPkg.Debian;

using ConsulPkg.Consul.Versions;

namespace ConsulPkg.Consul.Tests;

[TestFixture]
public sealed class GossipKeyTests
{
    [TestCase(16, 24)]
    [TestCase(32, 44)]
    public void GeneratedKeysLookLikeConsulKeygen(int bytes, int characters)
    {
        GossipKey key = GossipKey.Generate(bytes);
        string text = key.ToBase64();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Has.Length.EqualTo(characters));
            Assert.That(Convert.FromBase64String(text), Has.Length.EqualTo(bytes));
            Assert.That(GossipKey.Generate(bytes).ToBase64(), Is.Not.EqualTo(text));
        }
    }

    [Test]
    public void ToStringAndFingerprintNeverShowTheKey()
    {
        GossipKey key = GossipKey.Generate();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.ToString(), Does.Not.Contain(key.ToBase64()));
            Assert.That(key.Fingerprint, Does.Match("^sha256:[0-9a-f]{16}$"));
            Assert.That(GossipKey.Parse(key.ToBase64(), "test").Fingerprint, Is.EqualTo(key.Fingerprint));
        }
    }

    [TestCase("bm90IGEga2V5", "decodes to 9 bytes")]
    [TestCase("this is not base64!", "is not valid base64")]
    [TestCase("", "decodes to 0 bytes")]
    public void InvalidKeysAreRefusedWithoutEchoingThem(string key, string expected)
    {
        var e = Assert.Throws<PackageException>(() => GossipKey.Parse(key, "the test"));
        Assert.That(e!.Message, Does.Contain(expected));
        Assert.That(e.InnerException, Is.Null, "an inner exception could quote the input");
        if (key.Length > 0)
        {
            Assert.That(e.Message, Does.Not.Contain(key));
        }
    }

    [Test]
    public void KeyComesFromTheEnvironmentWhenNoFileIsGiven()
    {
        GossipKey expected = GossipKey.Generate();
        GossipKey key = new GossipKeySource { EnvironmentValue = expected.ToBase64() }.Resolve(ConsulVersionFacts.For("0.7.2"));
        Assert.That(key.Fingerprint, Is.EqualTo(expected.Fingerprint));
    }

    [Test]
    public void InvalidEnvironmentKeyNamesTheVariableNotTheValue()
    {
        var e = Assert.Throws<PackageException>(() => new GossipKeySource { EnvironmentValue = "c2hvcnQ=" }.Resolve(ConsulVersionFacts.For("0.7.2")));
        Assert.That(e!.Message, Does.Contain("environment variable CONSUL_PKG_GOSSIP_KEY").And.Not.Contain("c2hvcnQ="));
    }

    [Test]
    public void AFreshKeyOfTheAskedSizeIsGeneratedWhenNothingIsGiven()
    {
        GossipKey key = new GossipKeySource { GenerateBytes = 32 }.Resolve(ConsulVersionFacts.For("0.7.2"));
        Assert.That(key.Length, Is.EqualTo(32));
    }

    /// <summary>What that version's consul keygen makes: 16 bytes up to 1.5, 32 from 1.6.</summary>
    [TestCase("0.7.2", 16)]
    [TestCase("1.5.3", 16)]
    [TestCase("1.6.0-rc1", 32)]
    [TestCase("1.6.0", 32)]
    [TestCase("2.1.0", 32)]
    public void AFreshKeyHasTheSizeOfThatVersionsKeygen(string version, int bytes)
    {
        GossipKey key = GossipKeySource.Default.Resolve(ConsulVersionFacts.For(version));
        Assert.That(key.Length, Is.EqualTo(bytes));
    }

    [Test]
    public void UnsupportedGeneratedSizeIsRefused()
    {
        var e = Assert.Throws<PackageException>(() => GossipKey.Generate(20));
        Assert.That(e!.Message, Does.Contain("invalid gossip key size 20"));
    }
}
