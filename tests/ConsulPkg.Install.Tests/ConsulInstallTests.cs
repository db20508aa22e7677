using ConsulPkg.Consul;
using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 4, tests 1 to 7: the package <c>consul-pkg build</c> makes from the fake release, put
/// through dpkg's whole life cycle on a clean Debian 12 root.
/// </summary>
[Category("Install")]
public sealed class ConsulInstallTests
{
    private const string DataDir = "/var/lib/consul";
    private const string SeedUnit = "/usr/lib/systemd/system/consul.service";
    private const string SeedBinary = "/usr/local/bin/consul";
    private static readonly string[] Roles = ["bootstrap", "server", "client"];

    private FakeConsulRelease release = null!;
    private Lazy<string> seedPackage = null!;

    private static string Config(string role) => $"/etc/consul.d/{role}/consul.json";

    [OneTimeSetUp]
    public void StartRelease()
    {
        release = new FakeConsulRelease();
        seedPackage = new Lazy<string>(() => release.Build(iteration: "1", layout: "seed"));
    }

    [OneTimeTearDown]
    public void StopRelease() => release.Dispose();

    [Test]
    public void FirstInstallCreatesTheUserOwnershipAndFieldsWeWrote()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        var deb = root.CopyIn(seedPackage.Value);

        var install = root.Dpkg("-i", deb);
        TestContext.Out.WriteLine(install);
        install.EnsureSuccess();

        var user = root.Run("getent", "passwd", "consul").StdOut.TrimEnd('\n').Split(':');
        var group = root.Run("getent", "group", "consul");
        var verify = root.Dpkg("-V", "consul");
        var status = root.PackageStatus("consul")!;
        Assert.Multiple(() =>
        {
            Assert.That(user, Has.Length.EqualTo(7), "consul user exists");
            Assert.That(user.ElementAtOrDefault(6), Is.AnyOf("/usr/sbin/nologin", "/bin/false"), "no login shell");
            Assert.That(user.ElementAtOrDefault(5), Is.EqualTo(DataDir));
            Assert.That(group.ExitCode, Is.Zero, "consul group exists");
            Assert.That(Stat(root, DataDir), Is.EqualTo("750 consul:consul"));
            foreach (var role in Roles)
            {
                Assert.That(Stat(root, Config(role)), Is.EqualTo("640 root:consul"), role);
            }

            Assert.That(File.Exists(root.HostPath(SeedUnit)), Is.True, "unit where the seed layout puts it");
            Assert.That(Stat(root, SeedBinary), Is.EqualTo("755 root:root"));
            Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
            Assert.That(verify.StdOut + verify.StdErr, Is.Empty, "dpkg -V reports nothing");

            Assert.That(status["Status"], Is.EqualTo("install ok installed"));
            Assert.That(status["Version"], Is.EqualTo($"{FakeConsulRelease.Version}-1"));
            Assert.That(status["Architecture"], Is.EqualTo("amd64"));
            Assert.That(status["Maintainer"], Is.EqualTo(FakeConsulRelease.Maintainer));
            Assert.That(status["Pre-Depends"], Is.EqualTo("adduser"));
            Assert.That(status["Section"], Is.EqualTo("net"));
            Assert.That(status["Priority"], Is.EqualTo("optional"));
            Assert.That(status["Homepage"], Is.EqualTo("https://www.consul.io/"));
            Assert.That(status["Description"], Is.EqualTo(ShippedDescription()), "the shipped description template, as dpkg shows it");
            Assert.That(status["Description"].Split('\n')[0], Does.Contain(FakeConsulRelease.Version), "the synopsis names the Consul version");
            Assert.That(status["Conffiles"], Does.Contain(Config("bootstrap")).And.Contain(Config("server")).And.Contain(Config("client")));
            Assert.That(install.StdOut + install.StdErr, Does.Not.Contain(FakeConsulRelease.GossipKey), "the key is never printed");
        });
    }

    [Test]
    public void MissingPreDependsFailsWithDpkgsMessageThenInstallsOnceItIsThere()
    {
        using var root = DebianRoot.Create(RootVariant.WithoutAdduser);
        var deb = root.CopyIn(seedPackage.Value);

        var refused = root.Dpkg("-i", deb);
        TestContext.Out.WriteLine(refused);
        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1));
            Assert.That(refused.StdErr, Does.Contain("pre-dependency problem - not installing consul"));
            Assert.That(refused.StdErr, Does.Contain("consul pre-depends on adduser"));
            Assert.That(refused.StdErr, Does.Not.Contain("not found").And.Not.Contain("pre-installation script"),
                "dpkg refuses before any script runs");
            Assert.That(root.PackageStatus("consul")?["Status"], Is.Null.Or.EqualTo("install ok not-installed"));
        });

        // The dependency, from the archive debootstrap left in the root (no network needed).
        root.Shell("dpkg -i /var/cache/apt/archives/adduser_*.deb").EnsureSuccess();
        root.Dpkg("-i", deb).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(root.PackageStatus("consul")?["Status"], Is.EqualTo("install ok installed"));
            Assert.That(Stat(root, DataDir), Is.EqualTo("750 consul:consul"));
        });
    }

    [Test]
    public void ReinstallingTheSameVersionSucceeds()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        var deb = root.CopyIn(seedPackage.Value);
        root.Dpkg("-i", deb).EnsureSuccess();

        var again = root.Dpkg("-i", deb);
        TestContext.Out.WriteLine(again);

        var verify = root.Dpkg("-V", "consul");
        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.Zero, again.ToString());
            Assert.That(root.PackageStatus("consul")?["Status"], Is.EqualTo("install ok installed"));
            Assert.That(verify.StdOut, Is.Empty, verify.ToString());
            Assert.That(root.Shell("getent passwd | grep -c '^consul:'").StdOut, Is.EqualTo("1\n"));
            Assert.That(Stat(root, DataDir), Is.EqualTo("750 consul:consul"));
            Assert.That(Stat(root, Config("server")), Is.EqualTo("640 root:consul"));
        });
    }

    [Test]
    public void UpgradeKeepsAnEditedConfigReplacesAnUntouchedOneAndKeepsUserAndData()
    {
        var upgrade = release.Build(iteration: "2", layout: "seed", gossipKey: FakeConsulRelease.OtherGossipKey);
        using var root = DebianRoot.Create(RootVariant.Minbase);
        root.Dpkg("-i", root.CopyIn(seedPackage.Value)).EnsureSuccess();
        var uid = root.Run("id", "-u", "consul").EnsureSuccess().StdOut;

        var server = root.HostPath(Config("server"));
        File.WriteAllText(server, File.ReadAllText(server).Replace("\"dc1\"", "\"dc-edited\"", StringComparison.Ordinal));
        root.Shell($"echo state > {DataDir}/raft.marker && chown consul:consul {DataDir}/raft.marker").EnsureSuccess();

        var result = root.Dpkg("--force-confold", "-i", root.CopyIn(upgrade));
        TestContext.Out.WriteLine(result);
        result.EnsureSuccess();

        var verify = root.Dpkg("-V", "consul");
        Assert.Multiple(() =>
        {
            Assert.That(root.PackageStatus("consul")?["Version"], Is.EqualTo($"{FakeConsulRelease.Version}-2"));
            Assert.That(File.ReadAllText(server), Does.Contain("\"dc-edited\"").And.Contain(FakeConsulRelease.GossipKey), "edited config kept");
            Assert.That(File.ReadAllText(root.HostPath(Config("client"))), Does.Contain(FakeConsulRelease.OtherGossipKey), "untouched config replaced");
            Assert.That(File.ReadAllText(root.HostPath(Config("bootstrap"))), Does.Contain(FakeConsulRelease.OtherGossipKey));
            Assert.That(verify.StdOut, Is.EqualTo($"??5?????? c {Config("server")}\n"), verify.ToString());
            Assert.That(root.Run("id", "-u", "consul").StdOut, Is.EqualTo(uid), "same user");
            Assert.That(File.ReadAllText(root.HostPath(DataDir + "/raft.marker")), Is.EqualTo("state\n"), "data survives");
            Assert.That(Stat(root, DataDir), Is.EqualTo("750 consul:consul"));
            foreach (var role in Roles)
            {
                Assert.That(Stat(root, Config(role)), Is.EqualTo("640 root:consul"), role);
            }
        });
    }

    /// <summary>
    /// Issue 23: an iteration built before the seed layout stopped listing /usr/local and
    /// /usr/local/bin owned them, and purging it removed /usr/local/bin. Upgrading from it to one
    /// that does not list them leaves them in place, owned by no package, with dpkg's warning that
    /// it could not delete the old (non-empty) directory; purge then leaves them to the system.
    /// </summary>
    [Test]
    public void UpgradeFromAnIterationThatOwnedUsrLocalBinLeavesItToTheSystem()
    {
        using var work = new TempDirectory("consul-pkg-owned-");
        var owning = ListedDirectories.Add(seedPackage.Value, work.Combine("consul-owning-1.deb"), "./usr/local/", "./usr/local/bin/");
        var second = release.Build(iteration: "2", layout: "seed");

        using var purged = DebianRoot.Create(RootVariant.Minbase);
        purged.Dpkg("-i", purged.CopyIn(owning)).EnsureSuccess();
        purged.Dpkg("-P", "consul").EnsureSuccess();

        using var root = DebianRoot.Create(RootVariant.Minbase);
        root.Dpkg("-i", root.CopyIn(owning)).EnsureSuccess();
        var ownerBefore = root.Run("dpkg-query", "-S", "/usr/local/bin");
        var upgrade = root.Dpkg("-i", root.CopyIn(second));
        TestContext.Out.WriteLine(upgrade);
        var ownerAfter = root.Run("dpkg-query", "-S", "/usr/local/bin");
        var purge = root.Dpkg("-P", "consul");

        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(purged.HostPath("/usr/local/bin")), Is.False, "the defect: purging the owning iteration removes /usr/local/bin");
            Assert.That(ownerBefore.StdOut, Is.EqualTo("consul: /usr/local/bin\n"), ownerBefore.ToString());
            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(upgrade.StdErr, Does.Contain("dpkg: warning: unable to delete old directory '/usr/local/bin': Directory not empty"));
            Assert.That(ownerAfter.ExitCode, Is.Not.Zero, "no package owns /usr/local/bin after the upgrade: " + ownerAfter);
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(File.Exists(root.HostPath(SeedBinary)), Is.False);
            Assert.That(Directory.Exists(root.HostPath("/usr/local/bin")), Is.True, "purge leaves /usr/local/bin");
        });
    }

    [Test]
    public void RemoveKeepsConfigsAndPurgeRemovesConfigsAndDataWithoutSystemd()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        root.Dpkg("-i", root.CopyIn(seedPackage.Value)).EnsureSuccess();
        Assert.That(root.Run("sh", "-c", "command -v systemctl").ExitCode, Is.Not.Zero, "this root has no systemd");

        var remove = root.Dpkg("-r", "consul");
        TestContext.Out.WriteLine(remove);
        Assert.Multiple(() =>
        {
            Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
            Assert.That(remove.StdErr, Is.Empty, "prerm does nothing noisy without systemd");
            Assert.That(root.PackageStatus("consul")?["Status"], Is.EqualTo("deinstall ok config-files"));
            Assert.That(File.Exists(root.HostPath(SeedBinary)), Is.False);
            Assert.That(File.Exists(root.HostPath(SeedUnit)), Is.False);
            foreach (var role in Roles)
            {
                Assert.That(File.Exists(root.HostPath(Config(role))), Is.True, $"{role} config stays on remove");
            }
        });

        var purge = root.Dpkg("-P", "consul");
        TestContext.Out.WriteLine(purge);
        Assert.Multiple(() =>
        {
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(root.PackageStatus("consul"), Is.Null);
            Assert.That(Directory.Exists(root.HostPath("/etc/consul.d")), Is.False, "configs purged");
            Assert.That(Directory.Exists(root.HostPath(DataDir)), Is.False, "data dir purged");
            Assert.That(File.Exists(root.HostPath("/etc/default/consul")), Is.False);
        });
    }

    /// <remarks>
    /// What dh_installsystemd's scripts do (debhelper 13.10 on, Debian 12), and so what an
    /// administrator of a Debian system expects: <c>dpkg -r</c> keeps configuration, and whether
    /// the service is enabled is configuration, so a reinstall brings the administrator's enable
    /// back; the unit file goes with the package, so nothing is masked (a mask would outlive the
    /// package and hide a unit of the same name another package installs); purge removes the
    /// unit's links. A mask left by an older package's remove is lifted on install.
    /// </remarks>
    [Test]
    public void RemoveKeepsTheAdministratorsEnableForAReinstallAndPurgeRemovesItsLinks()
    {
        const string wants = "/etc/systemd/system/multi-user.target.wants/consul.service";
        const string mask = "/etc/systemd/system/consul.service";
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        var deb = root.CopyIn(seedPackage.Value);
        root.Dpkg("-i", deb).EnsureSuccess();
        // Offline enable (systemctl knows it is in a chroot): what an administrator did after install.
        root.Run("systemctl", "enable", "consul.service").EnsureSuccess();
        // systemctl names the unit by its /lib path: bookworm's /lib is a symlink to /usr/lib.
        Assert.That(new FileInfo(root.HostPath(wants)).LinkTarget, Is.AnyOf(SeedUnit, "/lib/systemd/system/consul.service"));

        // No systemd runs in a chroot (/run/systemd/system is absent), so the "stop" branch is not
        // taken here; the links are deb-systemd-helper's work, which runs offline.
        var remove = root.Dpkg("-r", "consul");
        TestContext.Out.WriteLine(remove);
        var unitAfterRemove = File.Exists(root.HostPath(SeedUnit));
        var maskAfterRemove = Path.Exists(root.HostPath(mask));

        // A mask as the consul-pkg packages before debhelper's change left it on remove.
        root.Shell($"ln -s /dev/null {mask} && mkdir -p /var/lib/systemd/deb-systemd-helper-masked && touch /var/lib/systemd/deb-systemd-helper-masked/consul.service").EnsureSuccess();
        var reinstall = root.Dpkg("-i", deb);
        TestContext.Out.WriteLine(reinstall);
        var afterReinstall = root.Run("systemctl", "is-enabled", "consul.service").StdOut.Trim();
        var maskAfterReinstall = Path.Exists(root.HostPath(mask));

        root.Dpkg("-r", "consul").EnsureSuccess();
        var purge = root.Dpkg("-P", "consul");
        TestContext.Out.WriteLine(purge);

        Assert.Multiple(() =>
        {
            Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
            Assert.That(unitAfterRemove, Is.False, "the unit went with the package: nothing can start it");
            Assert.That(maskAfterRemove, Is.False, "remove masks nothing");
            Assert.That(reinstall.ExitCode, Is.Zero, reinstall.ToString());
            Assert.That(maskAfterReinstall, Is.False, "postinst lifted an older package's mask");
            Assert.That(afterReinstall, Is.EqualTo("enabled"), "the administrator's enable survives remove and reinstall");
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(Path.Exists(root.HostPath(wants)), Is.False, "purge removed the link 'systemctl enable' made");
            Assert.That(Path.Exists(root.HostPath(mask)), Is.False, "and left no mask");
        });
    }

    [Test]
    public void FailingPostinstLeavesConsulHalfConfiguredAndSaysWhichScriptFailed()
    {
        using DebianRoot root = DebianRoot.Create(RootVariant.Minbase);
        var install = InstallWithFailing("postinst", root);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.EqualTo(1));
            Assert.That(install.StdErr, Does.Contain("consul: postinst failing on purpose"));
            Assert.That(install.StdErr, Does.Contain("installed consul package post-installation script subprocess returned error exit status 1"));
            Assert.That(root.PackageStatus("consul")?["Status"], Is.EqualTo("install ok half-configured"));
            Assert.That(File.Exists(root.HostPath(SeedBinary)), Is.True, "unpacked, not configured");
        });
    }

    [Test]
    public void FailingPreinstOnFirstInstallLeavesNothingInstalledAndSaysWhichScriptFailed()
    {
        using DebianRoot root = DebianRoot.Create(RootVariant.Minbase);
        var install = InstallWithFailing("preinst", root);

        // dpkg calls "postrm abort-install" and forgets the package: nothing is unpacked.
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.EqualTo(1));
            Assert.That(install.StdErr, Does.Contain("consul: preinst failing on purpose"));
            Assert.That(install.StdErr, Does.Contain("new consul package pre-installation script subprocess returned error exit status 1"));
            Assert.That(root.PackageStatus("consul")?["Status"], Is.Null.Or.EqualTo("install ok not-installed"));
            Assert.That(File.Exists(root.HostPath(SeedBinary)), Is.False);
        });
    }


    /// <summary>Builds the package with <paramref name="script"/> replaced by one that exits 1, and runs dpkg -i on it.</summary>
    private ProcessResult InstallWithFailing(string script, DebianRoot root)
    {
        using var templates = new TempDirectory("consul-pkg-templates-");
        File.WriteAllText(templates.Combine(script + ".sbn"),
            $"#!/bin/sh\n# {{{{ package_name }}}} {script} that fails on purpose\necho \"{{{{ package_name }}}}: {script} failing on purpose\" >&2\nexit 1\n");
        var deb = release.Build(iteration: "1", layout: "seed", templates: templates.Path);
        var install = root.Dpkg("-i", root.CopyIn(deb));
        TestContext.Out.WriteLine("What the user sees:\n" + install);
        return install;
    }

    [Test]
    public void UnitVerifiesAndExecStartRunsTheAgentForTheRoleChosenAtInstall()
    {
        using var root = DebianRoot.Create(RootVariant.WithSystemd);
        root.Run("env", "CONSUL_ROLE=server", "dpkg", "-i", root.CopyIn(seedPackage.Value)).EnsureSuccess();

        var verify = root.Run("systemd-analyze", "verify", SeedUnit);
        TestContext.Out.WriteLine(verify);

        // No systemd runs here, so start the service's command the way systemd would: as its
        // User=, with Environment= then EnvironmentFile= applied, ${VAR} expanded.
        var unit = UnitFile.Parse(File.ReadAllText(root.HostPath(SeedUnit)));
        var start = root.Shell(unit.ShellToStart());
        TestContext.Out.WriteLine(start);
        var record = root.HostPath("/tmp/consul-args");
        var recorded = File.Exists(record) ? File.ReadAllText(record) : null;
        Assert.Multiple(() =>
        {
            Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
            Assert.That(verify.StdOut + verify.StdErr, Does.Not.Contain("consul"), verify.ToString());
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(unit.User, Is.EqualTo("consul"));
            Assert.That(recorded, Is.EqualTo("agent\n-config-dir=/etc/consul.d/server\n-config-dir=/etc/consul.d/node\n"));
            Assert.That(File.ReadAllText(root.HostPath(Config("server"))), Does.Contain("\"server\": true").And.Not.Contain("bootstrap"));
            Assert.That(root.Run("runuser", "-u", "consul", "--", "cat", Config("server")).ExitCode, Is.Zero, "the agent can read its config");
            Assert.That(root.Run("runuser", "-u", "nobody", "--", "cat", Config("server")).ExitCode, Is.Not.Zero, "others cannot read the gossip key");
        });
    }

    /// <summary>
    /// The Description the shipped templates render for the fake release, in the control file's
    /// form (synopsis, then each body line indented by a space, an empty one written " ."): derived
    /// from the template rather than copied, so the test follows the template's wording.
    /// </summary>
    private static string ShippedDescription()
    {
        var facts = ConsulPkg.Consul.Versions.ConsulVersionFacts.For(FakeConsulRelease.Version);
        var model = ConsulRenderer.Model(
            facts, $"{FakeConsulRelease.Version}-1", PackageLayout.Seed, new AgentSettings(),
            GossipKey.Parse(FakeConsulRelease.GossipKey, "the fake release's key"));
        var lines = ConsulRenderer.RenderAll(ConsulTemplates.Load(), model, facts).Description.TrimEnd('\n').Split('\n');
        return string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Select(l => l.Length == 0 ? " ." : " " + l)));
    }

    private static string Stat(DebianRoot root, string path) =>
        root.Run("stat", "-c", "%a %U:%G", path).EnsureSuccess().StdOut.TrimEnd('\n');
}
