using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Tests;

/// <summary>
/// The configs and description of a package that carries no gossip key (given at install, or no
/// encryption at all), and the same templates rendering exactly today's bytes when it does.
/// </summary>
[TestFixture]
public sealed class KeyFreeRenderingTests
{
    private static readonly AgentSettings Addresses = new() { BindAddr = "10.0.0.5", ClientAddr = "127.0.0.1" };

    private static RenderedPackage Render(GossipKeyDelivery delivery, AgentSettings? settings = null, ConsulTemplates? templates = null, string version = "0.7.2")
    {
        ConsulFacts facts = ConsulVersionFacts.For(version);
        GossipKey? key = delivery == GossipKeyDelivery.Embedded ? GossipKey.Parse(TestKeys.GossipKeyBase64, "test") : null;
        return ConsulRenderer.RenderAll(
            templates ?? ConsulTemplates.Load(), ConsulRenderer.Model(facts, version + "-1", PackageLayout.Seed, settings ?? new AgentSettings(), key, delivery), facts);
    }

    [TestCase(GossipKeyDelivery.AtInstall)]
    [TestCase(GossipKeyDelivery.None)]
    public void KeyFreeConfigsHaveNoEncryptAndStayValid(GossipKeyDelivery delivery)
    {
        foreach (AgentSettings settings in new[] { new AgentSettings(), Addresses })
        {
            RenderedPackage rendered = Render(delivery, settings);
            foreach ((AgentRole role, RenderedConfig config) in rendered.Configs)
            {
                Assert.That(config.Text, Does.Not.Contain("encrypt"), role.ToName());
                Assert.That(() => ConfigValidator.Validate(config.Text, config.FileName, ConsulVersionFacts.For("0.7.2")), Throws.Nothing);
            }
        }
    }

    [Test]
    public void AnEmbeddedKeyRendersTheBytesItAlwaysDid()
    {
        RenderedPackage rendered = Render(GossipKeyDelivery.Embedded, Addresses);
        const string Key = TestKeys.GossipKeyBase64;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered.Configs[AgentRole.Bootstrap].Text, Is.EqualTo(
                $"{{\n  \"bootstrap\": true,\n  \"server\": true,\n  \"datacenter\": \"dc1\",\n  \"data_dir\": \"/var/lib/consul\",\n  \"bind_addr\": \"10.0.0.5\",\n  \"client_addr\": \"127.0.0.1\",\n  \"encrypt\": \"{Key}\"\n}}\n"));
            Assert.That(rendered.Configs[AgentRole.Client].Text, Is.EqualTo(
                $"{{\n  \"server\": false,\n  \"datacenter\": \"dc1\",\n  \"data_dir\": \"/var/lib/consul\",\n  \"bind_addr\": \"10.0.0.5\",\n  \"client_addr\": \"127.0.0.1\",\n  \"encrypt\": \"{Key}\",\n  \"retry_join\": [\"172.20.20.10\",\"172.20.20.11\",\"172.20.20.12\"]\n}}\n"));
            Assert.That(Render(GossipKeyDelivery.Embedded).Configs[AgentRole.Bootstrap].Text, Is.EqualTo(
                $"{{\n  \"bootstrap\": true,\n  \"server\": true,\n  \"datacenter\": \"dc1\",\n  \"data_dir\": \"/var/lib/consul\",\n  \"encrypt\": \"{Key}\"\n}}\n"));
            Assert.That(Render(GossipKeyDelivery.Embedded).Description, Does.Contain("/etc/consul.d/<role>/consul.json, all sharing one gossip key.\n\nThe role is"));
        }
    }

    [Test]
    public void TheDescriptionSaysWhereTheKeyComesFrom()
    {
        Assert.That(Render(GossipKeyDelivery.AtInstall).Description, Does.Contain(
            "/etc/consul.d/<role>/consul.json. It carries no gossip key:\neach node is given one at installation (the debconf question\nconsul/gossip-key, or a /etc/consul.d/node/encrypt.json put there first),\nand the agent does not start without it.\n\n"));
        Assert.That(Render(GossipKeyDelivery.None).Description, Does.Contain("without gossip\nencryption: the agents' gossip is not encrypted.\n\n"));
        foreach (GossipKeyDelivery delivery in Enum.GetValues<GossipKeyDelivery>())
        {
            Assert.That(Render(delivery).Description.Split('\n').Max(l => l.Length), Is.LessThanOrEqualTo(80), "lintian: extended-description-line-too-long");
        }
    }

    [Test]
    public void ATemplateThatStillSetsEncryptIsRefusedForAKeyFreePackage()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("server.json.sbn", "{ \"server\": true, \"encrypt\": \"q7RGz1+Akm8nKj/vyYq0YA==\" }\n");
        var e = Assert.Throws<PackageException>(() => Render(GossipKeyDelivery.AtInstall, templates: ConsulTemplates.Load(dir.Path)));
        Assert.That(e!.Message, Is.EqualTo("rendered config server.json sets encrypt, but this package carries no gossip key (at-install): remove it from the template"));
    }

    [Test]
    public void AKeyIsGivenExactlyWhenItIsEmbedded()
    {
        ConsulFacts facts = ConsulVersionFacts.For("0.7.2");
        Assert.Throws<ArgumentException>(() => ConsulRenderer.Model(facts, "0.7.2-1", PackageLayout.Seed, new AgentSettings(), null, GossipKeyDelivery.Embedded));
        Assert.Throws<ArgumentException>(() => ConsulRenderer.Model(facts, "0.7.2-1", PackageLayout.Seed, new AgentSettings(), GossipKey.Generate(), GossipKeyDelivery.AtInstall));
    }

    [TestCase(PackageLayout.Seed)]
    [TestCase(PackageLayout.Debian)]
    public void TheKeyFreeUnitRefusesToStartWithoutAKeyAndPassesSystemdAnalyzeVerify(PackageLayout layout)
    {
        ConsulFacts facts = ConsulVersionFacts.For("1.17.3");
        LayoutPaths paths = LayoutPaths.For(layout);
        string unit = ConsulRenderer.RenderAll(
            ConsulTemplates.Load(), ConsulRenderer.Model(facts, "1.17.3-1", layout, new AgentSettings(), null, GossipKeyDelivery.AtInstall), facts).Unit;
        ProcessResult verify = RenderedFilesTests.VerifyUnit(unit, paths.UnitPath, paths.BinaryPath);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verify.ExitCode, Is.Zero, verify.StdErr + verify.StdOut);
            Assert.That(verify.StdErr, Is.Empty);
            Assert.That(unit, Does.Contain("\nExecStartPre=/bin/sh -c 'grep -qs encrypt /etc/consul.d/node/encrypt.json || {"));
            Assert.That(Render(GossipKeyDelivery.Embedded).Unit, Does.Not.Contain("ExecStartPre"), "a key in the package needs no check");
            Assert.That(Render(GossipKeyDelivery.None).Unit, Does.Not.Contain("ExecStartPre"), "no encryption was chosen");
        }

        // The check itself, as systemd's /bin/sh runs it: refuses without the file, passes with a key in it.
        string check = unit.Split('\n').Single(l => l.StartsWith("ExecStartPre=", StringComparison.Ordinal))["ExecStartPre=/bin/sh -c '".Length..^1];
        using var dir = new TempDirectory();
        string local = check.Replace("/etc/consul.d/node/encrypt.json", dir.Combine("encrypt.json"), StringComparison.Ordinal);
        ProcessResult without = ProcessRunner.Run("/bin/sh", "-c", local);
        dir.WriteFile("encrypt.json", "{\"encrypt\": \"q7RGz1+Akm8nKj/vyYq0YA==\"}\n");
        ProcessResult with = ProcessRunner.Run("/bin/sh", "-c", local);
        Assert.That(without.ExitCode, Is.EqualTo(1));
        Assert.That(without.StdErr, Is.EqualTo($"consul: no gossip key in {dir.Combine("encrypt.json")}, so the agent is not started: give one with dpkg-reconfigure consul (debconf consul/gossip-key)\n"));
        Assert.That(with.ExitCode, Is.Zero, with.StdErr);
    }

    [TestCase(GossipKeyDelivery.Embedded)]
    [TestCase(GossipKeyDelivery.AtInstall)]
    [TestCase(GossipKeyDelivery.None)]
    public void TheDebconfConfigAsksTheKeyOnlyWhenTheNodeIsGivenOne(GossipKeyDelivery delivery)
    {
        RenderedPackage rendered = Render(delivery);
        bool asksKey = delivery == GossipKeyDelivery.AtInstall;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered.DebconfConfig, Does.Contain("db_input high consul/role || true"));
            Assert.That(rendered.DebconfConfig.Contains("consul/gossip-key", StringComparison.Ordinal), Is.EqualTo(asksKey));
            Assert.That(rendered.DebconfTemplates.Contains("Template: consul/gossip-key\nType: password\n", StringComparison.Ordinal), Is.EqualTo(asksKey));
            Assert.That(rendered.DebconfTemplates, Does.StartWith("Template: consul/role\nType: select\nChoices: bootstrap, server, client\nDefault: client\n"));
        }
    }

    [Test]
    public void TheKeyQuestionNamesTheSizesThisVersionAccepts()
    {
        Assert.That(Render(GossipKeyDelivery.AtInstall).DebconfTemplates, Does.Contain(
            "\nDescription: Gossip encryption key of the Consul cluster:\n Every agent of a cluster encrypts its gossip with the same key:\n 16, 24 or 32 random bytes in base64, as \"consul keygen\" prints it.\n"));
        Assert.That(Render(GossipKeyDelivery.AtInstall).DebconfTemplates, Does.Not.Contain("\n\n\n").And.EndWith("the node has.\n"));
    }
}
