using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;
using ConsulPkg.Testing.Releases;

namespace ConsulPkg.Consul.Tests.Versions;

/// <summary>The facts table and what it says for a version in each of its ranges.</summary>
[TestFixture]
public sealed class VersionFactsTests
{
    [TestCase("1.17.0-rc1", "1.17.0")]
    [TestCase("1.9.9", "1.10.0")]
    [TestCase("0.7.2", "1.0.0")]
    [TestCase("1.22.9", "2.0.0")]
    public void VersionsOrderByNumberThenPreReleaseFirst(string older, string newer)
    {
        Assert.That(ReleaseVersion.Parse(older), Is.LessThan(ReleaseVersion.Parse(newer)));
    }

    [TestCase("1.2")]
    [TestCase("v1.2.3")]
    [TestCase("1.2.3 ")]
    [TestCase("latest-2")]
    public void MalformedVersionsAreRefusedNamingThem(string text)
    {
        var e = Assert.Throws<PackageException>(() => VersionRequest.Parse(text));
        Assert.That(e!.Message, Does.StartWith($"invalid Consul version '{text}'").And.Contain("latest-1.x"));
    }

    [Test]
    public void TableRowsMustAscend()
    {
        Assert.Throws<ArgumentException>(() => _ = new VersionTable<int>(0, (ReleaseVersion.Of(1, 6), 1), (ReleaseVersion.Of(1, 5), 2)));
    }

    /// <summary>One row per range of the facts table ("Across versions").</summary>
    [TestCase("0.7.2", "0.7.x and older", 16, "MPL-2.0", "ui", false, false, "configtest -config-dir=")]
    [TestCase("1.5.3", "1.0-1.5", 16, "MPL-2.0", "ui", true, false, "validate ")]
    [TestCase("1.6.0", "1.6-1.14", 32, "MPL-2.0", "ui", true, false, "validate ")]
    [TestCase("1.15.4", "1.15-1.16", 32, "MPL-2.0", "ui_config", true, true, "validate ")]
    [TestCase("1.16.6", "1.15-1.16", 32, "MPL-2.0", "ui_config", true, true, "validate ")]
    [TestCase("1.17.0", "1.17-1.22", 32, "BUSL-1.1", "ui_config", true, true, "validate ")]
    [TestCase("2.1.0", "2.x", 32, "BUSL-1.1", "ui_config", true, true, "validate ")]
    public void FactsFollowTheVersion(string version, string range, int keygen, string license, string uiKey, bool hcl, bool startJoinAlias, string check)
    {
        ConsulFacts facts = ConsulVersionFacts.For(version);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(facts.Range, Is.EqualTo(range));
            Assert.That(facts.KeygenBytes, Is.EqualTo(keygen));
            Assert.That(facts.AcceptedKeyBytes, Is.EqualTo(new[] { 16, 24, 32 }));
            Assert.That(facts.License, Is.EqualTo(license));
            Assert.That(facts.UiKey, Is.EqualTo(uiKey));
            Assert.That(facts.ReadsConfigFile("consul.hcl"), Is.EqualTo(hcl));
            Assert.That(facts.ReadsConfigFile("consul.json"), Is.True);
            Assert.That(facts.StartJoinIsAlias, Is.EqualTo(startJoinAlias));
            Assert.That(facts.ConfigCheck, Is.EqualTo(check));
            Assert.That(facts.UnitType, Is.EqualTo("simple"));
            Assert.That(facts.ConfigKeys, Does.Contain("retry_join").And.Contain("start_join").And.Contain("encrypt"));
            Assert.That(facts.ConfigKeys.Contains("ui_config"), Is.EqualTo(uiKey == "ui_config"));
            Assert.That(facts.PortNames.Contains("rpc"), Is.EqualTo(version.StartsWith("0.7", StringComparison.Ordinal)), "the CLI's rpc port went in 0.8");
            Assert.That(facts.BeyondKnown, Is.False);
            Assert.That(facts.LicenseUrl.ToString(), Is.EqualTo($"https://github.com/hashicorp/consul/blob/v{version}/LICENSE"));
        }
    }

    [TestCase("0.8.4", false)]
    [TestCase("0.8.5", true)]
    public void SdNotifyComesIn085(string version, bool notify)
    {
        Assert.That(ConsulVersionFacts.For(version).SdNotify, Is.EqualTo(notify));
    }

    [Test]
    public void APreReleaseHasTheFactsOfItsRelease()
    {
        Assert.That(ConsulVersionFacts.For("1.17.0-rc1").License, Is.EqualTo("BUSL-1.1"));
    }

    [Test]
    public void AVersionNewerThanAnyKnownGetsTheNewestFactsAndIsFlagged()
    {
        ConsulFacts facts = ConsulVersionFacts.For("3.0.0");
        Assert.That(facts.BeyondKnown, Is.True);
        Assert.That(facts.Range, Is.EqualTo("2.x"));
    }

    [Test]
    public void Arm64BeforeItsFirstBuildIsRefusedNamingThatBuild()
    {
        var e = Assert.Throws<PackageException>(() => ConsulVersionFacts.EnsureBuilt(ReleaseVersion.Parse("0.8.3"), "arm64", "arm64"));
        Assert.That(e!.Message, Is.EqualTo("Consul 0.8.3 has no linux_arm64 build (arm64): HashiCorp builds it from 0.8.4; choose 0.8.4 or later, or another architecture"));
        Assert.That(e.Setting, Is.EqualTo(ConsulSettings.Architecture), "the command line adds --arch");
        Assert.DoesNotThrow(() => ConsulVersionFacts.EnsureBuilt(ReleaseVersion.Parse("0.8.4"), "arm64", "arm64"));
        Assert.DoesNotThrow(() => ConsulVersionFacts.EnsureBuilt(ReleaseVersion.Parse("0.7.2"), "armhf", "arm"));
    }

    [Test]
    public void LatestSkipsReleaseCandidatesAndEnterpriseBuilds()
    {
        byte[] index = FakeRelease.Index(
            ("1.22.4", ["amd64", "arm64"]), ("2.1.0", ["amd64", "arm64"]), ("2.2.0-rc1", ["amd64"]), ("2.1.1+ent", ["amd64"]), ("0.7.2", ["amd64"]));
        Assert.That(ReleaseIndex.Newest(index, VersionRequest.Parse("latest"), "amd64", "test").Text, Is.EqualTo("2.1.0"));
        Assert.That(ReleaseIndex.Newest(index, VersionRequest.Parse("latest-1.x"), "amd64", "test").Text, Is.EqualTo("1.22.4"));
        Assert.That(ReleaseIndex.Newest(index, VersionRequest.Parse("latest-0.7.x"), "amd64", "test").Text, Is.EqualTo("0.7.2"));
    }

    [Test]
    public void LatestIsTheNewestReleaseBuiltForTheArchitecture()
    {
        byte[] index = FakeRelease.Index(("2.0.0", ["amd64", "arm64"]), ("2.1.0", ["amd64"]));
        Assert.That(ReleaseIndex.Newest(index, VersionRequest.Parse("latest"), "arm64", "test").Text, Is.EqualTo("2.0.0"));
        var e = Assert.Throws<PackageException>(() => ReleaseIndex.Newest(index, VersionRequest.Parse("latest-1.x"), "arm64", "the index"));
        Assert.That(e!.Message, Is.EqualTo("release index the index lists no release matching 'latest-1.x' with a linux_arm64 build: give the Consul version explicitly"));
        Assert.That(e.Setting, Is.EqualTo(ConsulSettings.ConsulVersion), "the command line adds --consul-version");
    }

    [TestCase("<html>mirror error</html>", "is not valid JSON")]
    [TestCase("{\"name\": \"consul\"}", "has no 'versions' object")]
    public void AnIndexThatIsNotHashiCorpsIsRefused(string text, string expected)
    {
        var e = Assert.Throws<PackageException>(() => ReleaseIndex.Newest(System.Text.Encoding.UTF8.GetBytes(text), VersionRequest.Parse("latest"), "amd64", "http://127.0.0.1/consul/index.json"));
        Assert.That(e!.Message, Does.Contain("http://127.0.0.1/consul/index.json " + expected));
    }

    [Test]
    public void TheElfHeaderOfARealStaticBinaryIsRead()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("consul");
        File.WriteAllBytes(path, StaticElf.Bytes);
        ElfBinary elf = ElfBinary.Read(path)!;
        Assert.That(elf, Is.EqualTo(new ElfBinary(Machine: 62, IsStatic: true, HasSymbolTable: true, IsPie: false)));
        Assert.DoesNotThrow(() => elf.EnsureRunsOn("amd64", "consul_1.0.0_linux_amd64.zip"));
        var e = Assert.Throws<PackageException>(() => elf.EnsureRunsOn("armhf", "consul_1.0.0_linux_arm.zip"));
        Assert.That(e!.Message, Is.EqualTo("the consul binary in consul_1.0.0_linux_arm.zip is for x86-64, not armhf (ARM): the mirror serves the wrong build"));
        Assert.That(ElfBinary.Read(dir.WriteFile("script", FakeRelease.StandInScript)), Is.Null, "a script has no ELF facts");
    }

    [Test]
    public void ADynamicallyLinkedArmBinaryIsNotTakenForArmhf()
    {
        // A dynamically linked binary (an interpreter in its program headers) with ARM's e_machine.
        using var dir = new TempDirectory();
        byte[] bytes = File.ReadAllBytes("/bin/true");
        Assert.That(ElfBinary.Read("/bin/true")!.IsStatic, Is.False);
        bytes[18] = 40; // e_machine = EM_ARM (little-endian, high byte 0)
        bytes[19] = 0;
        string path = dir.Combine("consul");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<PackageException>(() => ElfBinary.Read(path)!.EnsureRunsOn("armhf", "consul_0.7.2_linux_arm.zip"));
        Assert.That(e!.Message, Does.Contain("is dynamically linked: only a static ARM build is known to run on armhf"));
    }
}
