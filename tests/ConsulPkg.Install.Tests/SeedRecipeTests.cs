using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 4, test 8: the seed's own recipe, packaged the seed's way with <c>consul-pkg fpm</c> and the
/// seed's scripts, installed on the clean root. Records what a first install does.
/// </summary>
[Category(TestCategories.Install)]
public sealed class SeedRecipeTests
{
    // Any valid 16-byte base64 key; the seed's is whatever `consul keygen` printed.
    private const string GossipKey = "cg8StVXbQJ0gPvMd9o7yrg==";

    [Test]
    public void SeedPreInstallFailsOnFirstInstall()
    {
        using var seed = new TempDirectory("consul-pkg-seed-");
        SeedTree.Write(seed.Path, GossipKey);
        ConsulPkgProcess.Run(seed.Path, SeedTree.FpmArguments).EnsureSuccess();
        var deb = Path.Combine(seed.Path, "consul_0.7.2-1_amd64.deb");
        Assert.That(File.Exists(deb), Is.True, "the seed's line yields consul_0.7.2-1_amd64.deb");

        using var root = DebianRoot.Create(RootVariant.Minbase);
        var inside = root.CopyIn(deb);
        var first = root.Dpkg("-i", inside);
        TestContext.Out.WriteLine("First install of the seed's package on a clean root:\n" + first);

        // Finding: the seed's pre-install runs `chown -R consul:consul /etc/consul.d /var/lib/consul`
        // under `set -e` before dpkg has unpacked anything, so on a clean machine the first install
        // always fails. It has already created the user and group by then; they stay behind.
        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.EqualTo(1));
            Assert.That(first.StdErr, Does.Contain("chown: cannot access '/etc/consul.d': No such file or directory"));
            Assert.That(first.StdErr, Does.Contain("new consul package pre-installation script subprocess returned error exit status 1"));
            Assert.That(root.PackageStatus("consul")?["Status"], Is.Null.Or.EqualTo("install ok not-installed"));
            Assert.That(File.Exists(root.HostPath("/usr/local/bin/consul")), Is.False, "nothing was unpacked");
            Assert.That(root.Run("getent", "passwd", "consul").StdOut, Does.StartWith("consul:"), "the user was created before the failure");
        });

        // Retrying does not help: the paths still do not exist. Only creating them by hand does.
        var second = root.Dpkg("-i", inside);
        Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());

        root.Run("mkdir", "-p", "/etc/consul.d", "/var/lib/consul").EnsureSuccess();
        var workaround = root.Dpkg("-i", inside);
        TestContext.Out.WriteLine("After mkdir -p /etc/consul.d /var/lib/consul by hand:\n" + workaround);
        Assert.Multiple(() =>
        {
            Assert.That(workaround.ExitCode, Is.Zero, workaround.ToString());
            Assert.That(root.PackageStatus("consul")?["Status"], Is.EqualTo("install ok installed"));
            // Second finding: the gossip key ends up world-readable, owned by root.
            Assert.That(root.Run("stat", "-c", "%a %U:%G", "/etc/consul.d/server/consul.conf").StdOut, Is.EqualTo("644 root:root\n"));
        });
    }
}
