using System.Text.Json;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Tests.Hcl;

/// <summary>
/// HCL configs, as deployments write them (Hcl/*.hcl: comments of all three kinds, blocks and
/// `key = { }` objects, labelled and repeated blocks, quoted keys, go-sockaddr templates with
/// escaped quotes, heredocs, a JSON file named .hcl), are checked by the same rules as JSON.
/// </summary>
[TestFixture]
public sealed class HclConfigTests
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
    public void TheServerConfigReadsAsConsulWouldReadItsJson()
    {
        using JsonDocument json = ConfigValidator.Parse(Fixture("server.hcl"), "server.hcl");
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("bootstrap_expect").GetInt32(), Is.EqualTo(3));
            Assert.That(root.GetProperty("retry_join").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "10.0.0.11", "10.0.0.12", "10.0.0.13" }));
            Assert.That(root.GetProperty("bind_addr").GetString(), Is.EqualTo("{{ GetPrivateInterfaces | include \"network\" \"10.0.0.0/8\" | attr \"address\" }}"));
            Assert.That(root.GetProperty("ports").GetProperty("https").GetInt32(), Is.EqualTo(-1));
            Assert.That(root.GetProperty("acl").GetProperty("tokens").GetProperty("agent").GetString(), Is.EqualTo("e95b599e-166e-7d80-08ad-aee76e7ddf19"));
            Assert.That(root.GetProperty("telemetry").GetProperty("disable_compat_1.9").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("ui_config").GetProperty("enabled").GetBoolean(), Is.True);
        });
    }

    [Test]
    public void RepeatedAndLabelledBlocksNestAsHclDecodesThem()
    {
        using JsonDocument json = ConfigValidator.Parse(Fixture("client.hcl"), "client.hcl");
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("service").EnumerateArray().Select(s => s.GetProperty("name").GetString()), Is.EqualTo(new[] { "web", "api" }));
            Assert.That(root.GetProperty("check").GetProperty("disk").GetProperty("interval").GetString(), Is.EqualTo("30s"));
            Assert.That(root.GetProperty("limits").GetProperty("rpc_rate").GetDouble(), Is.EqualTo(1500));
            Assert.That(root.GetProperty("watches")[0].GetProperty("args")[0].GetString(), Is.EqualTo("/usr/local/bin/on-flag"));
            Assert.That(root.GetProperty("node_name").GetString(), Is.EqualTo("web-01\n"));
        });
    }

    [Test]
    public void AVersionBeforeHclRefusesAnHclFileNamingTheVersion()
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(Fixture("server.hcl"), "server.hcl", ConsulVersionFacts.For("0.9.4")));
        Assert.That(e!.Message, Is.EqualTo("rendered config server.hcl: Consul 0.9.4 reads only *.json from a config dir (HCL came in 1.0.0): use a .json template or package 1.0.0 or later"));
    }

    [Test]
    public void AKeyTheVersionLacksIsRefusedAsInJson()
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(Fixture("server.hcl"), "server.hcl", ConsulVersionFacts.For("1.5.3")));
        Assert.That(e!.Message, Is.EqualTo("rendered config server.hcl has key 'ui_config', which Consul 1.5.3 refuses at start: it came in 1.9.0; remove it or package 1.9.0 or later"));
    }

    [TestCase("server = true\nbootstrap = true\nbootstrap_expect = 3\n", "sets both bootstrap and bootstrap_expect")]
    [TestCase("ports { grpc_tls = 8503 }\n", "has key 'ports.grpc_tls', which Consul 1.5.3 refuses at start: it came in 1.14.0")]
    [TestCase("server = \"yes\"\n", "'server' must be true or false")]
    [TestCase("encrypt = \"c2hvcnQ=\"\n", "decodes to 5 bytes")]
    public void TheJsonRulesApply(string hcl, string expected)
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(hcl, "x.hcl", ConsulVersionFacts.For("1.5.3")));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [TestCase("encrypt = \"SECRETpUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3Xkv\nserver = true\n", "line 1, column 11): a string is not closed")]
    [TestCase("acl {\n  tokens { agent = \"SECRET\" }\n", "line 3, column 1): a block is not closed: add '}'")]
    [TestCase("server = \n", "line 2, column 1): expected a value")]
    [TestCase("server = yes\n", "line 1, column 10): expected a value: a string in double quotes")]
    [TestCase("encrypt = \"SECRET\\q\"\n", "line 1, column 18): a string has an unknown escape")]
    [TestCase("/* SECRET\nserver = true\n", "a /* comment is not closed")]
    [TestCase("encrypt \"SECRET\" = 1\n", "expected '=' or '{' after a key")]
    [TestCase("retry_join = [\"a\" \"SECRET\"]\n", "expected ',' or ']' in a list")]
    [TestCase("node_name = <<EOF\nSECRET\n", "a heredoc is not closed")]
    [TestCase("server = true bootstrap = true\n", "expected a new line, ',' or '}' after a value")]
    public void ASyntaxErrorNamesLineAndColumnAndNeverTheText(string hcl, string expected)
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(hcl, "server.hcl", ConsulVersionFacts.For("1.17.3")));
        Assert.That(e!.Message, Does.StartWith("rendered config server.hcl is not valid HCL (line ").And.Contain(expected).And.EndWith(": fix its template"));
        Assert.That(e.Message, Does.Not.Contain("SECRET"));
    }

    [Test]
    public void HeredocsKeepTheirTextAndTheIndentedFormDropsTheCommonIndent()
    {
        using JsonDocument json = ConfigValidator.Parse("a = <<EOF\n  one\ntwo\nEOF\nb = <<-X\n    x\n      y\n    X\n", "x.hcl");
        Assert.That(json.RootElement.GetProperty("a").GetString(), Is.EqualTo("  one\ntwo\n"));
        Assert.That(json.RootElement.GetProperty("b").GetString(), Is.EqualTo("x\n  y\n"));
    }
}
