using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// The dpkg life cycle on the clean root with a reference package from <c>dpkg-deb</c>: proves the
/// harness (and documents dpkg's own behaviour) before our packages are judged with it.
/// </summary>
[Category(TestCategories.Install)]
public sealed class HarnessPackageTests
{
    private TempDirectory packages = null!;

    [SetUp]
    public void CreatePackageDirectory() => packages = new TempDirectory();

    [TearDown]
    public void RemovePackageDirectory() => packages.Dispose();

    [Test]
    public void InstallVerifyRemovePurge()
    {
        var package = new StandInPackage("standin")
        {
            Files = { ["/usr/share/standin/data.txt"] = "data\n", ["/etc/standin.conf"] = "setting=1\n" },
            Conffiles = { "/etc/standin.conf" },
            Scripts =
            {
                ["postinst"] = "if [ \"$1\" = configure ]; then mkdir -p /var/lib/standin; fi",
                ["postrm"] = "if [ \"$1\" = purge ]; then rm -rf /var/lib/standin; fi",
            },
        };
        using var root = DebianRoot.Create(RootVariant.Minbase);
        var deb = root.CopyIn(package.Build(packages.Path));

        root.Dpkg("-i", deb).EnsureSuccess();
        var installed = root.PackageStatus("standin");
        var verify = root.Dpkg("-V", "standin");
        Assert.Multiple(() =>
        {
            Assert.That(installed?["Status"], Is.EqualTo("install ok installed"));
            Assert.That(installed?["Version"], Is.EqualTo("1.0-1"));
            Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
            Assert.That(verify.StdOut, Is.Empty, verify.ToString());
            Assert.That(Directory.Exists(root.HostPath("/var/lib/standin")), Is.True);
        });

        // dpkg -V is able to fail: a locally edited conffile shows up.
        File.AppendAllText(root.HostPath("/etc/standin.conf"), "edited=1\n");
        var edited = root.Dpkg("-V", "standin");
        Assert.That(edited.StdOut, Is.EqualTo("??5?????? c /etc/standin.conf\n"), edited.ToString());

        root.Dpkg("-r", "standin").EnsureSuccess();
        var removed = root.PackageStatus("standin");
        Assert.Multiple(() =>
        {
            Assert.That(removed?["Status"], Is.EqualTo("deinstall ok config-files"));
            Assert.That(File.Exists(root.HostPath("/usr/share/standin/data.txt")), Is.False);
            Assert.That(File.Exists(root.HostPath("/etc/standin.conf")), Is.True, "remove keeps conffiles");
            Assert.That(Directory.Exists(root.HostPath("/var/lib/standin")), Is.True, "remove keeps data");
        });

        root.Dpkg("-P", "standin").EnsureSuccess();
        Assert.Multiple(() =>
        {
            Assert.That(root.PackageStatus("standin"), Is.Null);
            Assert.That(File.Exists(root.HostPath("/etc/standin.conf")), Is.False);
            Assert.That(Directory.Exists(root.HostPath("/var/lib/standin")), Is.False);
        });
    }

    [Test]
    public void FailingPostinstLeavesThePackageHalfConfigured()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        var install = InstallWithFailing("standin-broken", "postinst", "echo 'postinst: cannot configure' >&2\nexit 1", root);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.EqualTo(1));
            Assert.That(install.StdErr, Does.Contain("postinst: cannot configure"));
            Assert.That(install.StdErr, Does.Contain(
                "installed standin-broken package post-installation script subprocess returned error exit status 1"));
            Assert.That(root.PackageStatus("standin-broken")?["Status"], Is.EqualTo("install ok half-configured"));
            Assert.That(File.Exists(root.HostPath("/usr/share/standin-broken/data.txt")), Is.True, "files stay unpacked");
        });
    }

    [Test]
    public void FailingPreinstOnFirstInstallLeavesNothingInstalled()
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        var install = InstallWithFailing("standin-refused", "preinst", "echo 'preinst: refusing' >&2\nexit 1", root);

        // dpkg runs "postrm abort-install" and forgets the package; nothing was unpacked.
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.EqualTo(1));
            Assert.That(install.StdErr, Does.Contain(
                "new standin-refused package pre-installation script subprocess returned error exit status 1"));
            Assert.That(root.Dpkg("-s", "standin-refused").StdOut, Does.Not.Contain("Status: install ok installed"));
            Assert.That(root.PackageStatus("standin-refused")?["Status"], Is.Null.Or.EqualTo("install ok not-installed"));
            Assert.That(File.Exists(root.HostPath("/usr/share/standin-refused/data.txt")), Is.False);
        });
    }


    /// <summary>Installs a package NAME holding one data file whose SCRIPT has the given body.</summary>
    private ProcessResult InstallWithFailing(string name, string script, string body, DebianRoot root)
    {
        var package = new StandInPackage(name)
        {
            Files = { [$"/usr/share/{name}/data.txt"] = "data\n" },
            Scripts = { [script] = body },
        };
        var install = root.Dpkg("-i", root.CopyIn(package.Build(packages.Path)));
        TestContext.Out.WriteLine(install);
        return install;
    }

    [Test]
    public void MissingPreDependsIsRefusedByDpkgBeforeAnyScriptRuns()
    {
        var package = new StandInPackage("standin-user")
        {
            PreDepends = "adduser",
            Scripts =
            {
                ["preinst"] = "if [ \"$1\" = install ]; then adduser --system --group --no-create-home standin; fi",
            },
        };
        using var root = DebianRoot.Create(RootVariant.WithoutAdduser);
        var deb = root.CopyIn(package.Build(packages.Path));

        var refused = root.Dpkg("-i", deb);
        TestContext.Out.WriteLine(refused);

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1));
            Assert.That(refused.StdErr, Does.Contain("pre-dependency problem - not installing standin-user"));
            Assert.That(refused.StdErr, Does.Contain("standin-user pre-depends on adduser"));
            Assert.That(refused.StdErr, Does.Not.Contain("not found"), "no shell error from inside a script");
            Assert.That(root.Run("getent", "passwd", "standin").ExitCode, Is.EqualTo(2));
        });

        // Installing the dependency (from the archive debootstrap left in the root: no network) fixes it.
        root.Shell("dpkg -i /var/cache/apt/archives/adduser_*.deb").EnsureSuccess();
        root.Dpkg("-i", deb).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(root.PackageStatus("standin-user")?["Status"], Is.EqualTo("install ok installed"));
            Assert.That(root.Run("getent", "passwd", "standin").StdOut, Does.StartWith("standin:"));
        });
    }
}
