using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Tests.Hcl;

/// <summary>
/// HCL configs as deployments write them (Hcl/*.hcl: comments of all three kinds, blocks and
/// `key = { }` objects, labelled and repeated blocks, quoted keys, go-sockaddr templates with
/// escaped quotes, negative and exponent numbers, heredocs, a JSON file named .hcl) pass the
/// validator for a current version, and the version rules still apply to them.
/// </summary>
[TestFixture]
public sealed class RealWorldHclTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Hcl", name));

    [TestCase("server.hcl")]
    [TestCase("client.hcl")]
    [TestCase("json-in-hcl.hcl")]
    public void RealWorldConfigsPassForACurrentVersion(string name)
    {
        Assert.DoesNotThrow(() => ConfigValidator.Validate(Fixture(name), name, ConsulVersionFacts.For("1.17.3")));
    }

    [Test]
    public void AVersionBeforeHclRefusesAnHclFileNamingTheVersion()
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(Fixture("server.hcl"), "server.hcl", ConsulVersionFacts.For("0.9.4")));
        Assert.That(e!.Message, Does.StartWith("rendered config server.hcl").And.Contain("Consul 0.9.4").And.Contain("1.0.0"));
    }

    [Test]
    public void AKeyTheVersionLacksIsRefusedAsInJson()
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(Fixture("server.hcl"), "server.hcl", ConsulVersionFacts.For("1.5.3")));
        Assert.That(e!.Message, Does.Contain("'ui_config', which Consul 1.5.3 refuses at start: it came in 1.9.0"));
    }
}
