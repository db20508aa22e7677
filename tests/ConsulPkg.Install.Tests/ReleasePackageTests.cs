using System.Text.RegularExpressions;
using ConsulPkg.Install.Tests.Support;
using ConsulPkg.Testing.Releases;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// build/release.sh's .deb of consul-pkg itself: installed with apt on a clean Debian root (apt
/// resolves its Depends from the mirror), where it then packages, lists and builds with no .NET
/// present, and its bin/dpkg-deb lists as dpkg-deb does; lintian's verdict; the tar.gz holding the same files; the same bytes twice.
/// </summary>
[Category(TestCategories.Install)]
[Category(TestCategories.Publish)]
[NonParallelizable]
public sealed partial class ReleasePackageTests
{
    private static readonly TimeSpan AptTimeout = TimeSpan.FromMinutes(20);

    private string deb = null!;
    private string tarball = null!;

    [OneTimeSetUp]
    public void BuildRelease() => (deb, tarball) = ReleaseBuild.Shared;

    [Test]
    public void AptInstallsItOnAMinimalRootWhereItPackagesListsAndBuildsWithoutDotnet()
    {
        using var server = new FakeReleaseServer();
        new FakeRelease(FakeConsulRelease.Version).Publish(server, TestKeys.Trusted);
        using var root = DebianRoot.Create(RootVariant.Minbase);
        Assert.That(root.PackageStatus("libssl3"), Is.Null, "minbase lacks libssl3, so the Depends line is what brings it");
        var inside = root.CopyIn(deb);
        File.WriteAllText(root.HostPath("/tmp/trusted.asc"), TestKeys.Trusted.ArmoredPublicKey);

        Chroot.Run(root.Path, ["/bin/sh", "-ec", $"apt-get update -q && apt-get install -y -q {inside}"], AptTimeout).EnsureSuccess();

        var dotnet = root.Shell("command -v dotnet || true; find / -xdev \\( -name libcoreclr.so -o -name System.Private.CoreLib.dll \\) -print");
        var version = root.Run("consul-pkg", "--version");
        var fpm = root.Shell(
            "mkdir -p /tmp/tree/usr/bin && printf '#!/bin/sh\\necho hello\\n' > /tmp/tree/usr/bin/hello && chmod 0755 /tmp/tree/usr/bin/hello\n"
            + $"SOURCE_DATE_EPOCH={ConsulPkgProcess.SeedEpoch} consul-pkg fpm -s dir -t deb -n hello -v 1.0 --iteration 1 "
            + "-m 'Ops Team <ops@consul-pkg.invalid>' --description 'says hello' -C /tmp/tree -p /tmp/hello.deb .");
        var contents = root.Run("consul-pkg", "contents", "/tmp/hello.deb");
        var reference = root.Run("dpkg-deb", "-c", "/tmp/hello.deb");
        var ours = root.Run("/usr/lib/consul-pkg/bin/dpkg-deb", "-c", "/tmp/hello.deb");
        var installHello = root.Shell("dpkg -i /tmp/hello.deb >/dev/null && hello");
        var build = root.Shell(
            $"CONSUL_PKG_GOSSIP_KEY={FakeConsulRelease.GossipKey} consul-pkg build --consul-version {FakeConsulRelease.Version} "
            + $"--release-url {server.BaseUrl} --trusted-key /tmp/trusted.asc --output /tmp/consul.deb");
        var built = root.Run("dpkg-deb", "-f", "/tmp/consul.deb", "Package", "Version");
        Assert.Multiple(() =>
        {
            Assert.That(root.PackageStatus("consul-pkg")?["Status"], Is.EqualTo("install ok installed"));
            Assert.That(root.PackageStatus("libssl3")?["Status"], Is.EqualTo("install ok installed"));
            Assert.That(root.PackageStatus("ca-certificates")?["Status"], Is.EqualTo("install ok installed"), "Recommends, which apt installs");
            Assert.That(dotnet.StdOut, Is.Empty, "no .NET on the root");
            Assert.That(version.StdOut, Does.StartWith(ProjectVersion() + "+").Or.EqualTo(ProjectVersion() + "\n"), version.ToString());
            Assert.That(fpm.ExitCode, Is.Zero, fpm.ToString());
            Assert.That(contents.ExitCode, Is.Zero, contents.ToString());
            Assert.That(contents.StdOut, Is.EqualTo(reference.StdOut).And.Contain("./usr/bin/hello\n"));
            Assert.That(ours.StdOut, Is.EqualTo(reference.StdOut), "the dpkg-deb executable of bin/: " + ours);
            Assert.That(installHello.StdOut, Is.EqualTo("hello\n"), installHello.ToString());
            Assert.That(build.ExitCode, Is.Zero, build.ToString());
            Assert.That(build.StdOut + build.StdErr, Does.Not.Contain(FakeConsulRelease.GossipKey));
            Assert.That(built.StdOut, Is.EqualTo($"Package: consul\nVersion: {FakeConsulRelease.Version}-1\n"), built.ToString());
        });
    }

    [Test]
    public void ControlFieldsNameWhatTheExecutableLoads()
    {
        var fields = ProcessRunner.Run("dpkg-deb", "-f", deb, "Package", "Version", "Architecture", "Depends", "Recommends").EnsureSuccess();
        Assert.That(
            fields.StdOut,
            Does.Match(@"^Package: consul-pkg\nVersion: \d+\.\d+\.\d+\nArchitecture: amd64\n"
                + @"Depends: libc6 \(>= 2\.\d+\), libssl3, liblzma5, libzstd1, zlib1g\nRecommends: ca-certificates\n$"));
    }

    [Test]
    public void LintianFindsNoErrorOrWarningAndEveryOverrideHasAReason()
    {
        var lintian = Lintian.Check(deb);
        var shown = Lintian.CheckShowingOverrides(deb);
        var overrides = ProcessRunner.Run("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - ./usr/share/lintian/overrides/consul-pkg", "sh", deb)
            .EnsureSuccess().StdOut;
        Assert.Multiple(() =>
        {
            Assert.That(lintian.ExitCode, Is.Zero, lintian.ToString());
            Assert.That(Lintian.Tags(lintian, "E", "W"), Is.Empty, lintian.ToString());
            Assert.That(Lintian.Tags(lintian, "I").Select(Lintian.TagName), Does.Not.Contain("unused-override"), lintian.ToString());
            Assert.That(Lintian.Tags(shown, "O").Select(Lintian.TagName).Distinct(), Is.SubsetOf(Lintian.OverriddenTags(overrides)));
            Assert.That(Lintian.UnexplainedOverrides(overrides), Is.Empty, "each override has a '# reason' line above it");
        });
    }

    [Test]
    public void TarballHoldsTheSameProgramFilesAndTheManualPage()
    {
        var name = Path.GetFileName(tarball)[..^".tar.gz".Length];
        var inTarball = ProcessRunner.Run("tar", "-tzf", tarball).EnsureSuccess().StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p[(name.Length + 1)..])
            .Where(p => p.Length > 0 && !p.EndsWith('/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        const string Lib = "./usr/lib/consul-pkg/";
        var inPackage = ProcessRunner.Run("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -tf -", "sh", deb).EnsureSuccess().StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.StartsWith(Lib, StringComparison.Ordinal) && !p.EndsWith('/'))
            .Select(p => p[Lib.Length..])
            .Concat(["LICENSE", "README.md", "consul-pkg.1"])
            .Order(StringComparer.Ordinal)
            .ToList();
        var sameExecutable = ProcessRunner.Run("bash", "-c",
            "cmp <(tar -xzOf \"$1\" \"$2/consul-pkg\") <(dpkg-deb --fsys-tarfile \"$3\" | tar -xOf - ./usr/lib/consul-pkg/consul-pkg)",
            "bash", tarball, name, deb);
        Assert.Multiple(() =>
        {
            Assert.That(name, Does.Match(@"^consul-pkg-\d+\.\d+\.\d+-linux-x64$"));
            Assert.That(inTarball, Is.EqualTo(inPackage));
            Assert.That(inTarball, Does.Contain("consul-pkg").And.Contain("templates/consul.service.sbn").And.Contain("keys/hashicorp-72D7468F.asc").And.Contain("bin/dpkg-deb"));
        });
        Assert.That(sameExecutable.ExitCode, Is.Zero, sameExecutable.ToString());
    }

    [Test]
    public void ASecondReleaseHasTheSameBytes()
    {
        var (again, againTarball) = ReleaseBuild.Build("dist-again");
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(again), Is.EqualTo(File.ReadAllBytes(deb)));
            Assert.That(File.ReadAllBytes(againTarball), Is.EqualTo(File.ReadAllBytes(tarball)));
        });
    }

    private static string ProjectVersion() =>
        VersionPrefix().Match(File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props"))).Groups[1].Value;

    [GeneratedRegex("<VersionPrefix>([^<]+)</VersionPrefix>", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPrefix();

    private static string RepositoryRoot => ReleaseBuild.RepositoryRoot;
}
