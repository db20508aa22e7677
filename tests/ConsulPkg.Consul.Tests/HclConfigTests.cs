using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Tests;

/// <summary>
/// Consul 1.0 and later also read HCL configs: a user template may render one, and it is
/// checked as a JSON one is (keys of that version, roles, the key's size), by its extension.
/// </summary>
[TestFixture]
public sealed class HclConfigTests
{
    private const string Key16 = "cg8StVXbQJ0gPvMd9o7yrg==";
    private const string Key32 = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=";

    /// <summary>A server config in the style of HashiCorp's deployment guide, every construct the reader knows.</summary>
    private const string ServerHcl = """
        # Full configuration options can be found at https://developer.hashicorp.com/consul/docs/agent/config
        datacenter = "dc1"
        data_dir = "/opt/consul"
        encrypt = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="
        server = true
        bootstrap_expect = 3
        retry_join = ["10.0.0.10", "10.0.0.11",
          "provider=aws tag_key=consul tag_value=server", # cloud auto-join
        ]
        bind_addr = "{{ GetPrivateInterfaces | include \"network\" \"10.0.0.0/8\" | attr \"address\" }}"
        client_addr = "0.0.0.0"
        // The UI, from 1.9 configured in its own block.
        ui_config {
          enabled = true
        }
        /* Ports and TLS */
        ports {
          grpc = 8502
          https = -1
        }
        connect { enabled = true }
        acl = {
          enabled = true, default_policy = "deny"
          tokens { agent = "${AGENT_TOKEN}" }
        }
        node_meta { rack = "r1" }
        limits { http_max_conns_per_client = 0x200 }
        performance {
          raft_multiplier = 1.0e0
        }
        service {
          name = "web"
          port = 80
        }
        service {
          name = "db"
          check = { args = ["/bin/check", "-q"], interval = "10s" }
        }
        log_level = <<-EOT
            INFO
            EOT
        """;

    [Test]
    public void ARealWorldServerConfigPassesForAVersionThatKnowsItsKeys()
    {
        Configs.ConfigValue? config = null;
        Assert.DoesNotThrow(() => config = ConfigValidator.Validate(ServerHcl, "server.hcl", ConsulVersionFacts.For("1.17.3")));
        Assert.That(ConfigValidator.IsServer(config!), Is.True);
        Assert.That(ConfigValidator.EncryptValue(ServerHcl, "server.hcl"), Is.EqualTo(Key32));
    }

    [Test]
    public void AKeyTheVersionDoesNotKnowIsRefusedNamingTheVersion()
    {
        // ui_config came in 1.9: 1.5 refuses it at start.
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(ServerHcl.Replace(Key32, Key16, StringComparison.Ordinal), "server.hcl", ConsulVersionFacts.For("1.5.3")));
        Assert.That(e!.Message, Does.StartWith("rendered config server.hcl has key 'ui_config', which Consul 1.5.3 refuses at start"));
    }

    [Test]
    public void Consul07ReadsNoHcl()
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate("server = true\n", "server.hcl", ConsulVersionFacts.For("0.7.2")));
        Assert.That(e!.Message, Does.StartWith("rendered config server.hcl: Consul 0.7.2 reads only *.json from a config dir (HCL came in 1.0.0)"));
    }

    [TestCase("ports { htp = 1 }\n", "has key 'ports.htp', which Consul 1.17.3 refuses at start")]
    [TestCase("ports \"htp\" { }\n", "has key 'ports.htp', which Consul 1.17.3 refuses at start")]
    [TestCase("server = \"yes\"\n", "'server' must be true or false")]
    [TestCase("bootstrap = true\n", "sets bootstrap without server")]
    [TestCase("server = true\nbootstrap_expect = 2.5\n", "'bootstrap_expect' must be a whole number of servers")]
    [TestCase("server = true\nserver = false\n", "has key 'server' twice")]
    [TestCase("encrypt = \"c2hvcnQ=\"\n", "rendered config x.hcl")]
    public void TheChecksOfJsonConfigsApplyToHcl(string hcl, string expected)
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(hcl, "x.hcl", ConsulVersionFacts.For("1.17.3")));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [TestCase("datacenter = \"dc1\n", 1, 14, "a string is not closed on its line")]
    [TestCase("datacenter \"dc1\"\n", 1, 17, "block labels are followed by no block")]
    [TestCase("ports {\n  http = 1\n", 3, 1, "a block is not closed with '}'")]
    [TestCase("retry_join = [\"a\" \"b\"]\n", 1, 19, "a list item is followed by neither ',' nor ']'")]
    [TestCase("server = yes\n", 1, 10, "a value was expected (a word that is not true or false must be quoted)")]
    [TestCase("a = 1 b = 2\n", 1, 7, "an item must end at the end of its line")]
    [TestCase("/* open\n", 1, 1, "a /* comment is not closed")]
    [TestCase("x = \"\\q\"\n", 1, 6, "a string has an unknown escape")]
    [TestCase("x = 1.2.3\n", 1, 5, "a number is malformed")]
    public void MalformedHclIsNamedByLineAndColumn(string hcl, int line, int column, string what)
    {
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(hcl, "x.hcl", ConsulVersionFacts.For("1.17.3")));
        Assert.That(e!.Message, Is.EqualTo($"rendered config x.hcl is not valid HCL (line {line}, column {column}): {what}; fix its template"));
    }

    [Test]
    public void NoHclErrorQuotesTheKey()
    {
        string[] broken =
        [
            $"encrypt = \"{Key32}\n",
            $"encrypt {Key32}\n",
            $"\"{Key32}\" = true\n",
            $"encrypt = <<EOT\n{Key32}\n",
            $"x = [\"{Key32}\" \"{Key32}\"]\n",
        ];
        Assert.Multiple(() =>
        {
            foreach (string hcl in broken)
            {
                var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(hcl, "x.hcl", ConsulVersionFacts.For("1.17.3")));
                Assert.That(e!.Message, Does.Not.Contain(Key32).And.Not.Contain(Key32[..12]));
            }
        });
    }

    [Test]
    public void NestingDeeperThanAnyConfigIsRefusedNotOverflowed()
    {
        string deep = "x = " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var e = Assert.Throws<PackageException>(() => ConfigValidator.Validate(deep, "x.hcl", ConsulVersionFacts.For("1.17.3")));
        Assert.That(e!.Message, Does.Contain("nested more than 64 deep"));
    }

    /// <summary>An HCL server template, as a user would write one for a 1.x cluster.</summary>
    private const string ServerTemplate = """
        datacenter = {{ datacenter_json }}
        data_dir = {{ data_dir_json }}
        encrypt = {{ encrypt_json }}
        server = true
        bootstrap_expect = 3
        retry_join = {{ join_json }}
        ui_config { enabled = true }
        """;

    [Test]
    public void AnHclTemplateReplacesTheRolesJsonOneAndIsWrittenAsConsulHcl()
    {
        using var templates = new TempDirectory();
        templates.WriteFile("server.hcl.sbn", ServerTemplate);
        using var output = new TempDirectory();
        output.WriteFile("server/consul.json", "{\"encrypt\": \"" + Key16 + "\"}");
        GossipKey key = GossipKey.Generate(32);

        GeneratedConfigs result = ConfigsGenerator.Generate(output.Path, key, new AgentSettings(), ConsulVersionFacts.For("1.17.3"), asRoot: false, templates.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Paths[AgentRole.Server], Is.EqualTo(output.Combine("server", "consul.hcl")));
            Assert.That(File.ReadAllText(result.Paths[AgentRole.Server]), Does.StartWith("datacenter = \"dc1\"\n").And.Contain("encrypt = \"" + key.ToBase64() + "\""));
            Assert.That(File.Exists(output.Combine("server", "consul.json")), Is.False, "the agent would read the old JSON config too");
            Assert.That(result.ReplacedKeyFingerprints, Is.EqualTo(new[] { GossipKey.Parse(Key16, "test").Fingerprint }));
            Assert.That(result.Paths[AgentRole.Client], Is.EqualTo(output.Combine("client", "consul.json")), "roles without an HCL template keep JSON");
        }
    }

    [Test]
    public void AnHclTemplateIsRefusedForAVersionThatReadsNoHcl()
    {
        using var templates = new TempDirectory();
        templates.WriteFile("server.hcl.sbn", ServerTemplate.Replace("ui_config { enabled = true }", "", StringComparison.Ordinal));
        using var output = new TempDirectory();
        var e = Assert.Throws<PackageException>(() => ConfigsGenerator.Generate(output.Path, GossipKey.Generate(16), new AgentSettings(), ConsulVersionFacts.For("0.7.2"), asRoot: false, templates.Path));
        Assert.That(e!.Message, Does.StartWith("rendered config server.hcl: Consul 0.7.2 reads only *.json from a config dir"));
        Assert.That(Directory.EnumerateFileSystemEntries(output.Path), Is.Empty, "nothing is written when a config is refused");
    }

    [Test]
    public void BothFormatsForOneRoleAreRefused()
    {
        using var templates = new TempDirectory();
        templates.WriteFile("server.hcl.sbn", ServerTemplate);
        templates.WriteFile("server.json.sbn", "{}");
        var e = Assert.Throws<PackageException>(() => ConsulTemplates.Load(templates.Path));
        Assert.That(e!.Message, Is.EqualTo($"templates directory '{templates.Path}' has both server.json.sbn and server.hcl.sbn: keep one, the agent would read both"));
    }
}
