using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 22: <c>consul-pkg fpm --deb-sysuser NAME[:HOME]</c>, driven by the real dpkg in a Debian
/// root: the user exists before the files are unpacked (so files owned by it install with its
/// owner), lives through upgrade, remove and purge (never removed), is reused on a reinstall
/// after purge, and an existing user with another home is kept, with a warning.
/// </summary>
[Category("Install")]
public sealed class FpmSystemUserTests
{
    private const string Name = "sysapp";
    private const string Home = "/var/lib/sysapp";
    private const string Data = "/usr/share/sysapp/state";

    [Test]
    public void UserComesBeforeTheFilesAndOutlivesUpgradeRemovePurgeAndReinstall()
    {
        using var work = new TempDirectory("consul-pkg-fpm-sysuser-");
        using var root = DebianRoot.Create(RootVariant.Minbase);
        string v1 = root.CopyIn(Build(work, 1, $"{Name}:{Home}"));
        string v2 = root.CopyIn(Build(work, 2, $"{Name}:{Home}"));

        var install = root.Dpkg("-i", v1);
        string? user = Passwd(root);
        string dataOwner = Owner(root, Data);
        string homeOwner = Owner(root, Home);
        string? group = root.Run("getent", "group", Name).StdOut.Trim();

        var upgrade = root.Dpkg("-i", v2);
        string? afterUpgrade = Passwd(root);
        var remove = root.Dpkg("-r", Name);
        string? afterRemove = Passwd(root);
        var purge = root.Dpkg("-P", Name);
        string? afterPurge = Passwd(root);
        bool dataAfterPurge = File.Exists(root.HostPath(Data));
        var reinstall = root.Dpkg("-i", v1);
        string? afterReinstall = Passwd(root);
        string dataOwnerAfterReinstall = Owner(root, Data);
        var preDepends = root.Run("dpkg-query", "-W", "-f=${Pre-Depends}", Name).StdOut;

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(user, Does.Match($"^{Name}:x:[1-9][0-9]{{0,2}}:[0-9]+::{Home}:/usr/sbin/nologin$"), "a system user (uid below 1000), no login shell");
            Assert.That(group, Does.StartWith($"{Name}:x:"), "and its group");
            Assert.That(dataOwner, Is.EqualTo($"{Name}:{Name}"), "dpkg gave the file to the user: it existed before the unpack");
            Assert.That(homeOwner, Is.EqualTo($"{Name}:{Name}"), "HOME created, owned by the user");
            Assert.That(preDepends, Is.EqualTo("adduser"));
            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(afterUpgrade, Is.EqualTo(user), "an upgrade keeps the user as it was");
            Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
            Assert.That(afterRemove, Is.EqualTo(user));
            Assert.That(purge.ExitCode, Is.Zero, purge.ToString());
            Assert.That(afterPurge, Is.EqualTo(user), "never removed on purge: files it owned may remain");
            Assert.That(dataAfterPurge, Is.False);
            Assert.That(reinstall.ExitCode, Is.Zero, reinstall.ToString());
            Assert.That(afterReinstall, Is.EqualTo(user), "a reinstall after purge reuses the user");
            Assert.That(dataOwnerAfterReinstall, Is.EqualTo($"{Name}:{Name}"));
        });
    }

    [Test]
    public void WithoutAHomeNothingIsCreatedAndThePackageListsNoHome()
    {
        using var work = new TempDirectory("consul-pkg-fpm-sysuser-");
        using var root = DebianRoot.Create(RootVariant.Minbase);
        string deb = Build(work, 1, Name);
        var contents = ProcessRunner.RunUtc("dpkg-deb", "-c", deb).EnsureSuccess().StdOut;
        var install = root.Dpkg("-i", root.CopyIn(deb));
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(Passwd(root), Does.EndWith($":/nonexistent:/usr/sbin/nologin"));
            Assert.That(Path.Exists(root.HostPath("/nonexistent")), Is.False);
            Assert.That(contents, Does.Not.Contain("./var/"), "a home is made by adduser, never shipped: the package owns no directory for it");
        });
    }

    [Test]
    public void AnExistingUserWithAnotherHomeIsKeptAndReported()
    {
        using var work = new TempDirectory("consul-pkg-fpm-sysuser-");
        using var root = DebianRoot.Create(RootVariant.Minbase);
        root.Run("adduser", "--system", "--quiet", "--group", "--home", "/srv/elsewhere", Name).EnsureSuccess();
        string? before = Passwd(root);
        var install = root.Dpkg("-i", root.CopyIn(Build(work, 1, $"{Name}:{Home}")));
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(Passwd(root), Is.EqualTo(before), "kept as it was");
            Assert.That(install.StdErr, Does.Contain($"{Name}: warning: the user {Name} exists with the home /srv/elsewhere, kept (this package would give it {Home})"));
            Assert.That(Path.Exists(root.HostPath(Home)), Is.False, "no second home made");
            Assert.That(Owner(root, Data), Is.EqualTo($"{Name}:{Name}"));
        });
    }

    private static string Build(TempDirectory work, int iteration, string sysuser)
    {
        string directory = work.Combine($"{iteration}-{sysuser.Replace('/', '_').Replace(':', '_')}");
        Directory.CreateDirectory(Path.Combine(directory, "tree", "usr/share/sysapp"));
        File.WriteAllText(Path.Combine(directory, "tree", "usr/share/sysapp/state"), $"state {iteration}\n");
        string deb = Path.Combine(directory, $"{Name}_1.0-{iteration}_all.deb");
        ConsulPkgProcess.Run(directory,
            "fpm", "-s", "dir", "-t", "deb", "-n", Name, "-v", "1.0", "--iteration", iteration.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-a", "all", "-m", "Tests <tests@consul-pkg.invalid>", "--description", "system user test", "-f", "-p", deb,
            "--deb-sysuser", sysuser, "--deb-user", Name, "--deb-group", Name, "-C", "tree", "usr/share/sysapp").EnsureSuccess();
        return deb;
    }

    private static string? Passwd(DebianRoot root) =>
        root.Run("getent", "passwd", Name) is { ExitCode: 0 } r ? r.StdOut.Trim() : null;

    private static string Owner(DebianRoot root, string path) => root.Run("stat", "-c", "%U:%G", path).StdOut.Trim();
}
