using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>The clean Debian root itself: what it contains, and that tests cannot disturb each other.</summary>
[Category(TestCategories.Install)]
public sealed class DebianRootTests
{
    [Test]
    public void BookwormMinbaseIncludesAdduser()
    {
        // Finding: adduser is Priority: important, yet minbase has it because apt depends on it.
        using var root = DebianRoot.Create(RootVariant.Minbase);

        var status = root.Run("dpkg-query", "-W", "-f=${Status} ${Version}", "adduser");

        Assert.That(status.StdOut, Does.StartWith("install ok installed "), status.ToString());
        TestContext.Out.WriteLine($"minbase adduser: {status.StdOut}");
    }

    [Test]
    public void WithoutAdduserVariantLacksIt()
    {
        using var root = DebianRoot.Create(RootVariant.WithoutAdduser);

        var status = root.Run("dpkg-query", "-W", "-f=${Status}", "adduser");

        Assert.Multiple(() =>
        {
            Assert.That(status.StdOut, Is.Empty.Or.EqualTo("unknown ok not-installed"), status.ToString());
            Assert.That(File.Exists(root.HostPath("/usr/sbin/adduser")), Is.False);
            // Kept from debootstrap, so a test can install the missing dependency without network.
            Assert.That(Directory.GetFiles(root.HostPath("/var/cache/apt/archives"), "adduser_*.deb"), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void CopiesAreIndependent()
    {
        using var first = DebianRoot.Create(RootVariant.Minbase);
        using var second = DebianRoot.Create(RootVariant.Minbase);

        first.Shell("echo changed > /etc/only-in-first; rm /etc/debian_version").EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(first.Path, Is.Not.EqualTo(second.Path));
            Assert.That(File.Exists(second.HostPath("/etc/only-in-first")), Is.False);
            Assert.That(File.Exists(second.HostPath("/etc/debian_version")), Is.True);
            Assert.That(File.Exists(Path.Combine(DebianRootCache.GetBase(RootVariant.Minbase), "etc/debian_version")), Is.True);
        });
    }

    [Test]
    public void ChrootSeesProcAndLeavesNoMountOrDirectoryBehind()
    {
        string path;
        using (var root = DebianRoot.Create(RootVariant.Minbase))
        {
            path = root.Path;
            var inside = root.Shell("test -r /proc/self/status; readlink /proc/self/root; cat /etc/debian_version");

            Assert.That(inside.StdOut, Does.StartWith("/\n12."), inside.ToString());
            Assert.That(Chroot.MountsUnder(root.Path), Is.Empty, "/proc must be mounted only in the command's own namespace");
        }

        Assert.That(Directory.Exists(path), Is.False);
    }

    [Test]
    public void NoSystemdRunsInsideTheRoot()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);

        var probe = root.Shell("if [ -d /run/systemd/system ]; then echo booted; else echo absent; fi; command -v systemctl || true");

        Assert.That(probe.StdOut, Is.EqualTo("absent\n"), probe.ToString());
    }

    [Test]
    public void DisposeKillsWhatAScriptLeftRunning()
    {
        var root = DebianRoot.Create(RootVariant.Minbase);
        // A daemon that a buggy postinst might start: detached from the command, still chrooted.
        root.Shell("setsid tail -f /dev/null > /dev/null 2>&1 < /dev/null &").EnsureSuccess();
        Assert.That(Chroot.ProcessesRootedIn(root.Path), Is.Not.Empty);

        var error = Assert.Throws<InvalidOperationException>(root.Dispose);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("left with processes"));
            Assert.That(Directory.Exists(root.Path), Is.False);
        });
    }
}
