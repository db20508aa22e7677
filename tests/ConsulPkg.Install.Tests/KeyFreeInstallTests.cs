using ConsulPkg.Consul;
using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 18 on a clean Debian 12 root, debconf's noninteractive frontend answering from
/// preseeded selections: a package built once without any key, installed unattended on each
/// role, each node given its key and role at install; the key kept where the administrator put
/// it, replaced by dpkg-reconfigure, moved out of the configs of an embedded-key package on
/// upgrade, removed on purge; and an agent without a key not started.
/// </summary>
[Category("Install")]
public sealed class KeyFreeInstallTests
{
    private const string EncryptFile = "/etc/consul.d/node/encrypt.json";
    private const string Defaults = "/etc/default/consul";
    private const string SeedUnit = "/usr/lib/systemd/system/consul.service";
    private const string Key = FakeConsulRelease.GossipKey;
    private const string NewKey = FakeConsulRelease.OtherGossipKey;

    /// <summary>Where debconf keeps answers (passwords.dat for passwords) and templates.</summary>
    private const string DebconfCache = "/var/cache/debconf";

    private FakeConsulRelease release = null!;
    private Lazy<string> keyFree = null!;

    [OneTimeSetUp]
    public void StartRelease()
    {
        release = new FakeConsulRelease();
        keyFree = new Lazy<string>(() => release.Build(iteration: "1", delivery: GossipKeyDelivery.AtInstall));
    }

    [OneTimeTearDown]
    public void StopRelease() => release.Dispose();

    [TestCase("bootstrap")]
    [TestCase("server")]
    [TestCase("client")]
    public void PreseededKeyAndRoleAreWrittenAndTheKeyLeavesDebconf(string role)
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        Preseed(root, $"consul consul/gossip-key password {Key}", $"consul consul/role select {role}");

        var install = root.Dpkg("-i", root.CopyIn(keyFree.Value));
        TestContext.Out.WriteLine(install);
        var start = root.Shell(UnitFile.Parse(File.ReadAllText(root.HostPath(SeedUnit))).ShellToStart());

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(File.ReadAllText(root.HostPath(EncryptFile)), Is.EqualTo($"{{\"encrypt\": \"{Key}\"}}\n"));
            Assert.That(Stat(root, EncryptFile), Is.EqualTo("640 root:consul"));
            Assert.That(File.ReadAllText(root.HostPath(Defaults)), Does.Contain($"\nCONSUL_ROLE={role}\n"));
            Assert.That(DebconfFilesHolding(root, Key), Is.Empty, "the key left the debconf database once written");
            Assert.That(install.StdOut + install.StdErr, Does.Not.Contain(Key));
            Assert.That(Directory.GetFiles(root.HostPath("/etc/consul.d/node")), Is.EqualTo(new[] { root.HostPath(EncryptFile) }), "no temporary file left");
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(File.ReadAllText(root.HostPath("/tmp/consul-args")), Is.EqualTo($"agent\n-config-dir=/etc/consul.d/{role}\n-config-dir=/etc/consul.d/node\n"),
                "the agent runs its role and reads the key from the node's directory");
        });
    }

    [TestCase("this is not base64!")]
    [TestCase("bm90IGEga2V5")] // base64 of 9 bytes: no size Consul takes
    public void ABadKeyFailsConfigureWithOneLineAndWritesNothing(string badKey)
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        Preseed(root, $"consul consul/gossip-key password {badKey}");

        var install = root.Dpkg("-i", root.CopyIn(keyFree.Value));
        TestContext.Out.WriteLine(install);

        var ours = install.StdErr.Split('\n').Where(l => l.StartsWith("consul: ", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Not.Zero);
            Assert.That(root.PackageStatus("consul")?["Status"], Is.EqualTo("install ok half-configured"));
            Assert.That(ours, Is.EqualTo(new[]
            {
                $"consul: the answer to consul/gossip-key is not a gossip key: Consul {FakeConsulRelease.Version} takes base64 of 16, 24 or 32 bytes, as consul keygen prints it; preseed another and run dpkg --configure consul, or dpkg-reconfigure consul",
            }));
            Assert.That(install.StdOut + install.StdErr, Does.Not.Contain(badKey));
            Assert.That(File.Exists(root.HostPath(EncryptFile)), Is.False);
            Assert.That(Directory.GetFiles(root.HostPath("/etc/consul.d/node")), Is.Empty, "nothing written, no temporary file");
        });
    }

    [Test]
    public void AnEncryptFileAlreadyThereIsKeptAndNothingIsAsked()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        // Configuration management put the node's key there first, before the consul group exists.
        root.Shell($"mkdir -p /etc/consul.d/node && umask 077 && printf '{{\"encrypt\": \"%s\"}}\\n' {NewKey} > {EncryptFile}").EnsureSuccess();
        Preseed(root, $"consul consul/gossip-key password {Key}");

        // debconf's developer log shows every command a script sends, INPUT included.
        var install = root.Run("env", "DEBCONF_DEBUG=developer", "dpkg", "-i", root.CopyIn(keyFree.Value));
        TestContext.Out.WriteLine(install);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(install.StdErr, Does.Contain("INPUT high consul/role"), "the log shows the questions asked");
            Assert.That(install.StdErr, Does.Not.Contain("INPUT high consul/gossip-key"), "the key is not asked");
            Assert.That(File.ReadAllText(root.HostPath(EncryptFile)), Is.EqualTo($"{{\"encrypt\": \"{NewKey}\"}}\n"), "the key that was there");
            Assert.That(Stat(root, EncryptFile), Is.EqualTo("640 root:consul"), "readable by the agent");
            Assert.That(DebconfFilesHolding(root, Key), Is.Empty, "the unused preseeded key left the debconf database too");
        });
    }

    [Test]
    public void DpkgReconfigureWithANewPreseededKeyAndRoleReplacesThem()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        Preseed(root, $"consul consul/gossip-key password {Key}", "consul consul/role select client");
        string deb = root.CopyIn(keyFree.Value);
        root.Dpkg("-i", deb).EnsureSuccess();

        // An administrator's edit of the role file survives a reinstall (config takes the file's role)...
        root.Shell($"sed -i 's/^CONSUL_ROLE=.*/CONSUL_ROLE=bootstrap/' {Defaults}").EnsureSuccess();
        root.Dpkg("-i", deb).EnsureSuccess();
        Assert.That(File.ReadAllText(root.HostPath(Defaults)), Does.Contain("\nCONSUL_ROLE=bootstrap\n"));

        // ...and a new answer preseeded before dpkg-reconfigure replaces it.
        Preseed(root, $"consul consul/gossip-key password {NewKey}", "consul consul/role select server");
        var reconfigure = root.Run("dpkg-reconfigure", "consul");
        TestContext.Out.WriteLine(reconfigure);

        Assert.Multiple(() =>
        {
            Assert.That(reconfigure.ExitCode, Is.Zero, reconfigure.ToString());
            Assert.That(File.ReadAllText(root.HostPath(EncryptFile)), Is.EqualTo($"{{\"encrypt\": \"{NewKey}\"}}\n"));
            Assert.That(Stat(root, EncryptFile), Is.EqualTo("640 root:consul"));
            Assert.That(File.ReadAllText(root.HostPath(Defaults)), Does.Contain("\nCONSUL_ROLE=server\n"));
            Assert.That(DebconfFilesHolding(root, NewKey), Is.Empty);
            Assert.That(reconfigure.StdOut + reconfigure.StdErr, Does.Not.Contain(NewKey));
        });
    }

    [Test]
    public void WithoutAKeyTheUnitDoesNotStartTheAgentAndSaysHowToGiveOne()
    {
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var install = root.Run("env", "CONSUL_ROLE=server", "dpkg", "-i", root.CopyIn(keyFree.Value));
        TestContext.Out.WriteLine(install);
        var verify = root.Run("systemd-analyze", "verify", SeedUnit);
        var unit = UnitFile.Parse(File.ReadAllText(root.HostPath(SeedUnit)));
        var refused = root.Shell(unit.ShellToStart());
        TestContext.Out.WriteLine(refused);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(install.StdErr, Does.Contain($"consul: no gossip key yet, so the agent will not start: give one with dpkg-reconfigure consul, or put {{\"encrypt\": \"KEY\"}} in {EncryptFile} (root:consul 0640)"));
            Assert.That(File.ReadAllText(root.HostPath(Defaults)), Does.Contain("\nCONSUL_ROLE=server\n"), "CONSUL_ROLE still chooses the role when nothing is preseeded");
            Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
            Assert.That(verify.StdOut + verify.StdErr, Does.Not.Contain("consul"), verify.ToString());
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.StdErr, Does.Contain($"consul: no gossip key in {EncryptFile}, so the agent is not started: give one with dpkg-reconfigure consul (debconf consul/gossip-key)"));
            Assert.That(File.Exists(root.HostPath("/tmp/consul-args")), Is.False, "the agent never ran");
        });

        Preseed(root, $"consul consul/gossip-key password {Key}");
        root.Run("dpkg-reconfigure", "consul").EnsureSuccess();
        var started = root.Shell(unit.ShellToStart());
        Assert.That(started.ExitCode, Is.Zero, started.ToString());
        Assert.That(File.ReadAllText(root.HostPath("/tmp/consul-args")), Does.StartWith("agent\n-config-dir=/etc/consul.d/server\n"));
    }

    [Test]
    public void PurgeRemovesTheKeyFileAndTheAnswers()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        Preseed(root, $"consul consul/gossip-key password {Key}");
        var install = root.Run("env", "DEBCONF_DEBUG=developer", "dpkg", "-i", root.CopyIn(keyFree.Value));
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        Assert.That(install.StdErr, Does.Contain("INPUT high consul/gossip-key"), "asked, at priority high, when the node has no key");

        root.Dpkg("-r", "consul").EnsureSuccess();
        Assert.That(File.Exists(root.HostPath(EncryptFile)), Is.True, "remove keeps configuration, the key included");
        var purge = root.Dpkg("-P", "consul");
        Assert.Multiple(() =>
        {
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(File.Exists(root.HostPath(EncryptFile)), Is.False);
            Assert.That(Directory.Exists(root.HostPath("/etc/consul.d")), Is.False);
            // debconf keeps the previous state of config.dat and templates.dat as *-old (not of
            // passwords.dat: its Backup is false), until its next save.
            Assert.That(DebconfFilesHolding(root, "consul/").Where(f => !f.EndsWith("-old", StringComparison.Ordinal)), Is.Empty, "db_purge removed the questions and answers");
        });
    }

    /// <summary>
    /// A node that ran the embedded-key package upgrades to the key-free one: the key of the old
    /// configs moves to the node's encrypt file before dpkg replaces them, an edited config is
    /// kept as dpkg keeps it, and the agent's keyring is not touched.
    /// </summary>
    [Test]
    public void UpgradeFromAnEmbeddedKeyPackageMovesTheKeyToTheNodesEncryptFile()
    {
        var embedded = release.Build(iteration: "1");
        var keyFreeNext = release.Build(iteration: "2", delivery: GossipKeyDelivery.AtInstall);
        using var root = DebianRoot.Create(RootVariant.Minbase);
        root.Run("env", "CONSUL_ROLE=server", "dpkg", "-i", root.CopyIn(embedded)).EnsureSuccess();
        // As a node installed from a package before the debconf questions: no answers recorded.
        root.Shell("echo PURGE | debconf-communicate consul >/dev/null").EnsureSuccess();
        const string keyring = "/var/lib/consul/serf/local.keyring";
        root.Shell($"mkdir -p /var/lib/consul/serf && printf '[\"%s\"]' {Key} > {keyring} && chown -R consul:consul /var/lib/consul/serf && chmod 0600 {keyring}").EnsureSuccess();
        string keyringBefore = File.ReadAllText(root.HostPath(keyring));
        var client = root.HostPath("/etc/consul.d/client/consul.json");
        File.WriteAllText(client, File.ReadAllText(client).Replace("\"dc1\"", "\"dc-edited\"", StringComparison.Ordinal));

        var upgrade = root.Dpkg("--force-confold", "-i", root.CopyIn(keyFreeNext));
        TestContext.Out.WriteLine(upgrade);
        var start = root.Shell(UnitFile.Parse(File.ReadAllText(root.HostPath(SeedUnit))).ShellToStart());

        Assert.Multiple(() =>
        {
            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(root.PackageStatus("consul")?["Version"], Is.EqualTo($"{FakeConsulRelease.Version}-2"));
            Assert.That(File.ReadAllText(root.HostPath(EncryptFile)), Is.EqualTo($"{{\"encrypt\": \"{Key}\"}}\n"), "the node keeps its key");
            Assert.That(Stat(root, EncryptFile), Is.EqualTo("640 root:consul"));
            Assert.That(File.ReadAllText(root.HostPath("/etc/consul.d/server/consul.json")), Does.Not.Contain("encrypt"), "the untouched config is the new, key-free one");
            Assert.That(File.ReadAllText(client), Does.Contain("dc-edited").And.Contain(Key), "the edited config is kept, as dpkg keeps it");
            Assert.That(File.ReadAllText(root.HostPath(keyring)), Is.EqualTo(keyringBefore), "the agent's keyring is untouched");
            Assert.That(File.ReadAllText(root.HostPath(Defaults)), Does.Contain("\nCONSUL_ROLE=server\n"), "the role file no answer wrote is kept");
            Assert.That(upgrade.StdOut + upgrade.StdErr, Does.Not.Contain(Key));
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(File.ReadAllText(root.HostPath("/tmp/consul-args")), Does.StartWith("agent\n-config-dir=/etc/consul.d/server\n"));
        });
    }

    [Test]
    public void NoGossipEncryptionIsSaidAtInstallAndTheAgentStartsWithoutAKey()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        var install = root.Dpkg("-i", root.CopyIn(release.Build(iteration: "1", delivery: GossipKeyDelivery.None)));
        TestContext.Out.WriteLine(install);
        var start = root.Shell(UnitFile.Parse(File.ReadAllText(root.HostPath(SeedUnit))).ShellToStart());
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(install.StdErr, Does.Contain("consul: this package runs the agent without gossip encryption (it was built so): anyone who reaches the gossip port can join or read the cluster's gossip"));
            Assert.That(File.Exists(root.HostPath(EncryptFile)), Is.False);
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
        });
    }

    /// <summary>Writes the answers to a file in the root and loads them with debconf-set-selections (the key never on a command line).</summary>
    private static void Preseed(DebianRoot root, params string[] lines)
    {
        File.WriteAllText(root.HostPath("/tmp/preseed"), string.Join('\n', lines) + "\n");
        root.Run("debconf-set-selections", "/tmp/preseed").EnsureSuccess();
        File.Delete(root.HostPath("/tmp/preseed"));
    }

    /// <summary>The files of debconf's database that contain <paramref name="text"/>.</summary>
    private static List<string> DebconfFilesHolding(DebianRoot root, string text) =>
        [.. Directory.GetFiles(root.HostPath(DebconfCache)).Where(f => File.ReadAllText(f).Contains(text, StringComparison.Ordinal)).Select(f => Path.GetFileName(f))];

    private static string Stat(DebianRoot root, string path) =>
        root.Run("stat", "-c", "%a %U:%G", path).EnsureSuccess().StdOut.TrimEnd('\n');
}
