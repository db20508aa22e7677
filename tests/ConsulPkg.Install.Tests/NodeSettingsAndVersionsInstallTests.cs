using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 11 on a clean Debian 12 root: per-node settings and the agent's keyring survive an upgrade
/// that brings a new gossip key, purge removes them; and a package of a newer Consul range installs,
/// verifies and starts its role the same way.
/// </summary>
[Category(TestCategories.Install)]
public sealed class NodeSettingsAndVersionsInstallTests
{
    private const string NodeSettings = "/etc/consul.d/node/node.json";
    private const string Keyring = "/var/lib/consul/serf/local.keyring";
    private const string SeedUnit = "/usr/lib/systemd/system/consul.service";

    private static string Stat(DebianRoot root, string path) =>
        root.Run("stat", "-c", "%a %U:%G", path).EnsureSuccess().StdOut.TrimEnd('\n');

    /// <summary>
    /// What an administrator does on a node with two private interfaces (the tutorial's Vagrant
    /// boxes), and what an agent that ran leaves: its keyring, holding the key it started with.
    /// An upgrade to a package with a new key must keep both: the running cluster rotates its key
    /// with consul keyring, never through the package.
    /// </summary>
    [Test]
    public void UpgradeWithANewKeyKeepsNodeSettingsAndTheKeyringAndPurgeRemovesThem()
    {
        using var release = new FakeConsulRelease();
        var first = release.Build(iteration: "1");
        var second = release.Build(iteration: "2", gossipKey: FakeConsulRelease.OtherGossipKey);
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        root.Run("env", "CONSUL_ROLE=server", "dpkg", "-i", root.CopyIn(first)).EnsureSuccess();

        const string settings = "{\n  \"bind_addr\": \"172.20.20.11\",\n  \"node_name\": \"consul-server-1\"\n}\n";
        var keyring = $"[\"{FakeConsulRelease.GossipKey}\"]";
        File.WriteAllText(root.HostPath(NodeSettings), settings);
        root.Shell($"chown root:consul {NodeSettings} && chmod 0640 {NodeSettings}").EnsureSuccess();
        root.Shell($"mkdir -p /var/lib/consul/serf && printf '%s' '{keyring}' > {Keyring} && chown -R consul:consul /var/lib/consul/serf && chmod 0600 {Keyring}").EnsureSuccess();

        var upgrade = root.Dpkg("--force-confold", "-i", root.CopyIn(second));
        TestContext.Out.WriteLine(upgrade);

        var unit = UnitFile.Parse(File.ReadAllText(root.HostPath(SeedUnit)));
        var start = root.Shell(unit.ShellToStart());
        var recorded = File.ReadAllText(root.HostPath("/tmp/consul-args"));
        Assert.Multiple(() =>
        {
            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(File.ReadAllText(root.HostPath(NodeSettings)), Is.EqualTo(settings), "the package never writes the node's settings");
            Assert.That(Stat(root, NodeSettings), Is.EqualTo("640 root:consul"));
            Assert.That(File.ReadAllText(root.HostPath(Keyring)), Is.EqualTo(keyring), "the old key stays in the keyring");
            Assert.That(Stat(root, Keyring), Is.EqualTo("600 consul:consul"));
            Assert.That(File.ReadAllText(root.HostPath("/etc/consul.d/server/consul.json")), Does.Contain(FakeConsulRelease.OtherGossipKey),
                "the untouched config carries the new key, used only by an agent with no keyring yet");
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(recorded, Is.EqualTo("agent\n-config-dir=/etc/consul.d/server\n-config-dir=/etc/consul.d/node\n"), "the agent reads the node's settings after the role's");
            Assert.That(upgrade.StdOut + upgrade.StdErr, Does.Not.Contain(FakeConsulRelease.GossipKey).And.Not.Contain(FakeConsulRelease.OtherGossipKey));
        });

        root.Dpkg("-r", "consul").EnsureSuccess();
        Assert.That(File.Exists(root.HostPath(NodeSettings)), Is.True, "remove keeps configuration");
        var purge = root.Dpkg("-P", "consul");
        Assert.Multiple(() =>
        {
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(Directory.Exists(root.HostPath("/etc/consul.d")), Is.False, "purge removes the node's settings with the configs");
            Assert.That(Directory.Exists(root.HostPath("/var/lib/consul")), Is.False, "and the keyring with the data dir");
        });
    }

    /// <summary>A release of the newest range (2.x, BUSL-1.1, 32-byte keys) through the same life cycle.</summary>
    [Test]
    public void ANewerRangeInstallsVerifiesStartsItsRoleAndPurges()
    {
        using var release = new FakeConsulRelease("2.1.0");
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var install = root.Run("env", "CONSUL_ROLE=client", "dpkg", "-i", root.CopyIn(release.Build()));
        TestContext.Out.WriteLine(install);

        var verify = root.Run("systemd-analyze", "verify", SeedUnit);
        var unit = UnitFile.Parse(File.ReadAllText(root.HostPath(SeedUnit)));
        var start = root.Shell(unit.ShellToStart());
        var dpkgVerify = root.Dpkg("-V", "consul");
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(root.PackageStatus("consul")?["Version"], Is.EqualTo("2.1.0-1"));
            Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(File.ReadAllText(root.HostPath("/tmp/consul-args")), Is.EqualTo("agent\n-config-dir=/etc/consul.d/client\n-config-dir=/etc/consul.d/node\n"));
            Assert.That(File.ReadAllText(root.HostPath("/etc/consul.d/client/consul.json")), Does.Contain("\"retry_join\""));
            Assert.That(File.ReadAllText(root.HostPath("/usr/share/doc/consul/copyright")), Does.Contain("License: BUSL-1.1"));
            Assert.That(dpkgVerify.StdOut + dpkgVerify.StdErr, Is.Empty, dpkgVerify.ToString());
        });

        var purge = root.Dpkg("-P", "consul");
        Assert.Multiple(() =>
        {
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(Directory.Exists(root.HostPath("/etc/consul.d")), Is.False);
            Assert.That(File.Exists(root.HostPath("/etc/default/consul")), Is.False);
        });
    }
}
