using ConsulPkg.Install.Tests.Support;
using ConsulPkg.Repository.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>A package signed as debsigs signs it (an _gpgorigin member after data.tar) installs with dpkg like any other.</summary>
[Category("Install")]
public sealed class SignedPackageInstallTests
{
    [Test]
    public void DpkgInstallsASignedPackage()
    {
        using var keys = new TestSigningKeys();
        using var work = new TempDirectory("consul-pkg-signed-install-");
        work.WriteFile("tree/usr/share/signed-tool/README", "a signed package\n");
        string deb = work.Combine("signed-tool_1.0_all.deb");
        ConsulPkgProcess.Run(
            ["fpm", "-s", "dir", "-t", "deb", "-n", "signed-tool", "-v", "1.0", "-a", "all", "-m", "Packager <packager@signed.invalid>",
             "-p", deb, "-C", "tree", "--deb-signing-key", keys.Protected, "--passphrase-file", keys.PassphraseFile, "."],
            work.Path, sourceDateEpoch: DateTimeOffset.UtcNow.ToUnixTimeSeconds()).EnsureSuccess();

        using var root = DebianRoot.Create(RootVariant.Minbase);
        ProcessResult install = root.Dpkg("-i", root.CopyIn(deb));
        Assert.Multiple(() =>
        {
            Assert.That(ProcessRunner.Run("ar", "t", deb).StdOut, Does.EndWith("_gpgorigin\n"), "the package is signed");
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(root.PackageStatus("signed-tool")?["Status"], Is.EqualTo("install ok installed"));
            Assert.That(File.ReadAllText(root.HostPath("/usr/share/signed-tool/README")), Is.EqualTo("a signed package\n"));
        });
    }
}
