using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// The control members <c>consul-pkg fpm</c> writes for fpm's trigger and debconf flags, used by
/// the real dpkg and debconf in a scratch Debian root: a package interested in a file trigger and
/// a named one is called with "triggered" when another package activates them, and a package's
/// debconf question is answered from a preseed its postinst reads.
/// </summary>
[Category(TestCategories.Install)]
public sealed class FpmTriggersAndDebconfTests
{
    [Test]
    public void InterestedPackageRunsItsPostinstWhenAnotherActivatesItsTriggers()
    {
        using var work = new TempDirectory("consul-pkg-fpm-triggers-");
        var watcher = new FpmServicePackage
        {
            WithUnit = false,
            Scripts = ["--after-install"],
            Flags = ["--deb-interest", "/usr/share/hello-plugins", "--deb-interest-noawait", "hello-reload"],
        };
        using var root = DebianRoot.Create(RootVariant.Minbase);
        string hello = root.CopyIn(watcher.Build(work.Path, 1));

        Directory.CreateDirectory(Path.Combine(work.Path, "plugin/usr/share/hello-plugins"));
        File.WriteAllText(Path.Combine(work.Path, "plugin/usr/share/hello-plugins/extra"), "plugin\n");
        ConsulPkgProcess.Run(work.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "hello-plugin", "-v", "1.0", "-a", "all",
            "-m", "Tests <tests@consul-pkg.invalid>", "--description", "a hello plugin", "--deb-activate-noawait", "hello-reload",
            "-p", Path.Combine(work.Path, "hello-plugin.deb"), "-C", Path.Combine(work.Path, "plugin"), ".").EnsureSuccess();
        string plugin = root.CopyIn(Path.Combine(work.Path, "hello-plugin.deb"));

        ProcessResult install = root.Dpkg("-i", hello);
        IReadOnlyList<string> installOrder = FpmServicePackage.Order(root);
        FpmServicePackage.ClearOrder(root);
        ProcessResult activate = root.Dpkg("-i", plugin);
        IReadOnlyList<string> activateOrder = FpmServicePackage.Order(root);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(installOrder, Is.EqualTo(new[] { "after-install configure" }));
            Assert.That(activate.ExitCode, Is.Zero, activate.ToString());
            Assert.That(activateOrder, Has.Count.EqualTo(1), "dpkg ran the interested package's postinst once");
            Assert.That(activateOrder[0], Does.StartWith("after-install triggered ")
                .And.Contain("/usr/share/hello-plugins").And.Contain("hello-reload"));
        });
    }

    [Test]
    public void DebconfConfigAndTemplatesAskTheQuestionThePostinstReads()
    {
        using var work = new TempDirectory("consul-pkg-fpm-debconf-");
        File.WriteAllText(Path.Combine(work.Path, "config"),
            "#!/bin/sh\nset -e\n. /usr/share/debconf/confmodule\ndb_input high hello/port || true\ndb_go || true\n");
        File.WriteAllText(Path.Combine(work.Path, "templates"),
            "Template: hello/port\nType: string\nDefault: 8080\nDescription: Port hello listens on:\n hello serves on this TCP port.\n");
        var package = new FpmServicePackage
        {
            WithUnit = false,
            Scripts = ["--after-install"],
            Bodies = new Dictionary<string, string>
            {
                ["--after-install"] = $"set -e\n. /usr/share/debconf/confmodule\ndb_get hello/port\necho \"port $RET\" >> {FpmServicePackage.OrderLog}",
            },
            Flags = ["--deb-config", Path.Combine(work.Path, "config"), "--deb-templates", Path.Combine(work.Path, "templates")],
        };
        using var root = DebianRoot.Create(RootVariant.Minbase);
        string deb = root.CopyIn(package.Build(work.Path, 1));

        ProcessResult preseed = root.Shell("echo 'hello hello/port string 9090' | debconf-set-selections");
        ProcessResult install = root.Shell($"DEBIAN_FRONTEND=noninteractive dpkg -i {deb}");
        ProcessResult depends = root.Run("dpkg-query", "-W", "-f", "${Depends}", FpmServicePackage.Name);

        Assert.Multiple(() =>
        {
            Assert.That(preseed.ExitCode, Is.Zero, preseed.ToString());
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(FpmServicePackage.Order(root), Is.EqualTo(new[] { "port 9090" }), "the postinst read the preseeded answer through debconf");
            Assert.That(depends.StdOut, Is.EqualTo("debconf (>= 0.5) | debconf-2.0"));
        });
    }
}
