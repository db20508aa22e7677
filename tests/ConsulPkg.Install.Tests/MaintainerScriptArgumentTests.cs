using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Every argument dpkg passes each maintainer script is handled and an unknown one fails loudly.
/// The scripts add users, mask units and record systemd state, so they run only inside a scratch
/// Debian root, never on the machine running the tests.
/// </summary>
[Category(TestCategories.Install)]
public sealed class MaintainerScriptArgumentTests
{
    private FakeConsulRelease release = null!;
    private Lazy<string> debianPackage = null!;

    [OneTimeSetUp]
    public void StartRelease()
    {
        release = new FakeConsulRelease();
        debianPackage = new Lazy<string>(() => release.Build(iteration: "1", layout: "debian"));
    }

    [OneTimeTearDown]
    public void StopRelease() => release.Dispose();

    [TestCase("preinst", "install", "upgrade 0.7.1-1", "abort-upgrade 0.7.2-2")]
    [TestCase("postinst", "configure", "abort-upgrade 0.7.2-2", "abort-remove", "abort-deconfigure")]
    [TestCase("prerm", "remove", "upgrade 0.7.2-2", "deconfigure", "failed-upgrade 0.7.2-1")]
    [TestCase("postrm", "remove", "purge", "upgrade 0.7.2-2", "failed-upgrade 0.7.2-1", "abort-install", "abort-upgrade 0.7.1-1", "disappear consul 0.7.2-1")]
    public void ScriptsHandleDpkgArgumentsAndRefuseUnknownOnes(string script, params string[] arguments)
    {
        using var root = DebianRoot.Create(RootVariant.Minbase);
        string deb = root.CopyIn(debianPackage.Value);
        root.Dpkg("--unpack", deb).EnsureSuccess(); // the files and the user the scripts expect
        root.Run("dpkg-deb", "--control", deb, "/tmp/control").EnsureSuccess();
        string file = "/tmp/control/" + script;
        foreach (string argument in arguments)
        {
            ProcessResult ok = root.Run([file, .. argument.Split(' ')]);
            Assert.That(ok.ExitCode, Is.Zero, $"{script} {argument}: {ok}");
        }

        ProcessResult bad = root.Run(file, "frobnicate");
        Assert.Multiple(() =>
        {
            Assert.That(bad.ExitCode, Is.EqualTo(1));
            Assert.That(bad.StdErr, Does.Contain("unknown argument 'frobnicate'"));
        });
    }
}
