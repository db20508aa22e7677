using ConsulPkg.Debian;

namespace ConsulPkg.Repository.Tests;

/// <summary>NAME[=VERSION][:ARCH]: an epoch's ':' is not an architecture.</summary>
public sealed class PackageSelectorTests
{
    [TestCase("consul", "consul", null, null)]
    [TestCase("consul=0.7.2-1", "consul", "0.7.2-1", null)]
    [TestCase("consul:arm64", "consul", null, "arm64")]
    [TestCase("consul=1:0.7.2-1", "consul", "1:0.7.2-1", null)]
    [TestCase("consul=1:0.7.2-1:amd64", "consul", "1:0.7.2-1", "amd64")]
    [TestCase("libfoo1=2.0:all", "libfoo1", "2.0", "all")]
    public void Parses(string text, string name, string? version, string? architecture)
    {
        PackageSelector selector = PackageSelector.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(selector, Is.EqualTo(new PackageSelector(name, version, architecture)));
            Assert.That(selector.ToString(), Is.EqualTo(text));
        });
    }

    [TestCase("Consul")]
    [TestCase("consul=")]
    [TestCase("consul=x1.0")]
    [TestCase("consul:ARM64")]
    [TestCase("")]
    public void RefusesWithTheValueNamed(string text)
    {
        var refused = Assert.Throws<PackageException>(() => PackageSelector.Parse(text))!;
        Assert.That(refused.Message, Does.Contain($"package '{text}'").And.Not.Contain('\n'));
    }
}
