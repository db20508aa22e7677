using ConsulPkg.Install.Tests.Support;
using ConsulPkg.Testing.Signing;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 21: what <c>repo remove</c>, <c>repo copy</c>, <c>--keep-versions</c>, Contents and
/// several architectures and components do, judged by real apt (and apt-file) in clean Debian
/// 12 roots whose only source is the repository, served over HTTP on 127.0.0.1.
/// </summary>
[Category(TestCategories.Install)]
public sealed class RepositoryLifecycleTests
{
    private TestSigningKeys keys = null!;
    private ServedRepository served = null!;
    private int clock;

    private TempDirectory Work => served.Work;

    private RepositoryServer Server => served.Server;

    private string Repository => served.Repository;

    private string Keyring => served.Keyring;

    [OneTimeSetUp]
    public void MakeKeys() => keys = new TestSigningKeys();

    [OneTimeTearDown]
    public void RemoveKeys() => keys.Dispose();

    [SetUp]
    public void StartServer() => served = new ServedRepository("consul-pkg-apt-lifecycle-");

    [TearDown]
    public void StopServer() => served.Dispose();

    [Test]
    public void AfterRemoveThePackageIsGoneFromAptCachePolicy()
    {
        Run("publish", "--suite", "stable", Package("tool"), Package("other"));
        using var client = new AptClient(Server.BaseUrl, Keyring);
        client.Update().EnsureSuccess();
        ProcessResult before = client.Root.Run("apt-cache", "policy", "tool");

        Run("remove", "--suite", "stable", "tool");
        ProcessResult update = client.Update();
        ProcessResult after = client.Root.Run("apt-cache", "policy", "tool");
        ProcessResult other = client.Root.Run("apt-cache", "policy", "other");

        Assert.Multiple(() =>
        {
            Assert.That(before.StdOut, Does.Contain("Candidate: 1.0-1"), before.ToString());
            Assert.That(update.ExitCode, Is.Zero, update.ToString());
            Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            Assert.That(after.StdOut, Does.Not.Contain("Candidate: 1.0-1"), after.ToString());
            Assert.That(other.StdOut, Does.Contain("Candidate: 1.0-1"), "the other package stays");
        });
    }

    [Test]
    public void AfterCopyThePromotedVersionInstallsFromTheTargetSuite()
    {
        Run("publish", "--suite", "testing", Package("promoted", "1.0-1"), Package("promoted", "2.0-1"));
        Run("copy", "--from", "testing", "--to", "stable", "promoted=1.0-1");
        using var client = new AptClient(Server.BaseUrl, Keyring, suite: "stable");
        ProcessResult update = client.Update();
        ProcessResult install = client.Install("promoted");

        Assert.Multiple(() =>
        {
            Assert.That(update.ExitCode, Is.Zero, update.ToString());
            Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(client.Root.PackageStatus("promoted")?["Version"], Is.EqualTo("1.0-1"), "the promoted version, not testing's newer one");
            Assert.That(Directory.GetFiles(Path.Combine(Repository, "pool"), "promoted_*", SearchOption.AllDirectories), Has.Length.EqualTo(2), "one pool file per version, shared");
        });
    }

    [Test]
    public void KeepVersionsLeavesTwoAndAClientHoldingTheInReleaseFromTwoPublishesAgoStillUpdatesAndInstalls()
    {
        string[] releaseFiles = ["InRelease", "Release", "Release.gpg"];
        Dictionary<string, byte[]>? twoAgo = null;
        for (int i = 1; i <= 4; i++)
        {
            Run("publish", "--suite", "stable", "--keep-versions", "2", Package("kept", $"{i}.0-1"));
            if (i == 2)
            {
                twoAgo = releaseFiles.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(Repository, "dists/stable", f)));
            }
        }

        using var current = new AptClient(Server.BaseUrl, Keyring);
        current.Update().EnsureSuccess();
        ProcessResult madison = current.Root.Run("apt-cache", "madison", "kept");

        foreach ((string name, byte[] content) in twoAgo!)
        {
            Server.Pin($"/dists/stable/{name}", content);
        }

        using var behind = new AptClient(Server.BaseUrl, Keyring);
        ProcessResult update = behind.Update();
        ProcessResult install = behind.Install("kept=1.0-1");

        Assert.Multiple(() =>
        {
            Assert.That(madison.StdOut, Does.Contain("3.0-1").And.Contain("4.0-1").And.Not.Contain("2.0-1").And.Not.Contain("1.0-1"), madison.ToString());
            Assert.That(update.ExitCode, Is.Zero, update.ToString());
            Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            Assert.That(install.ExitCode, Is.Zero, "the pool file its index lists is still there: " + install);
        });
    }

    [Test]
    public void AptFileFindsAFileOfAPublishedPackageThroughContents()
    {
        var arch = new StandInPackage("located", "1.0-1") { Architecture = "amd64" };
        arch.Files["/usr/share/located/marker-amd64.txt"] = "x\n";
        var any = new StandInPackage("located-data", "1.0-1");
        any.Files["/usr/share/located-data/marker-all.txt"] = "x\n";
        Run("publish", "--suite", "stable", arch.Build(Work.Path), any.Build(Work.Path));

        using var client = new AptClient(Server.BaseUrl, Keyring, variant: RootVariant.WithAptFile);
        ProcessResult update = client.Update();
        ProcessResult amd64 = client.Root.Run("apt-file", "search", "marker-amd64.txt");
        ProcessResult all = client.Root.Run("apt-file", "search", "marker-all.txt");

        Assert.Multiple(() =>
        {
            Assert.That(update.ExitCode, Is.Zero, update.ToString());
            Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            Assert.That(update.StdOut, Does.Contain("main amd64 Contents (deb)").And.Contain("main all Contents (deb)"), "apt fetched both Contents indices");
            Assert.That(amd64.StdOut, Is.EqualTo("located: /usr/share/located/marker-amd64.txt\n"), amd64.ToString());
            Assert.That(all.StdOut, Is.EqualTo("located-data: /usr/share/located-data/marker-all.txt\n"), all.ToString());
        });
    }

    [Test]
    public void AnArm64AndAnAmd64ClientEachSeeTheirOwnPackagesInEveryComponent()
    {
        Run("publish", "--suite", "stable", Package("tool", architecture: "amd64"), Package("tool", architecture: "arm64"), Package("x86only", architecture: "amd64"), Package("armonly", architecture: "arm64"), Package("shared"));
        Run("publish", "--suite", "stable", "--component", "contrib", Package("extra", architecture: "arm64"), Package("extra", architecture: "amd64"));
        using var amd64 = new AptClient(Server.BaseUrl, Keyring, components: "main contrib", architecture: "amd64");
        using var arm64 = new AptClient(Server.BaseUrl, Keyring, components: "main contrib", architecture: "arm64");
        ProcessResult amd64Update = amd64.Update();
        ProcessResult arm64Update = arm64.Update();
        string Seen(AptClient client) => client.Root.Run("apt-cache", "madison", "tool", "x86only", "armonly", "shared", "extra").StdOut;
        string amd64Seen = Seen(amd64);
        string arm64Seen = Seen(arm64);

        Assert.Multiple(() =>
        {
            foreach (ProcessResult update in new[] { amd64Update, arm64Update })
            {
                Assert.That(update.ExitCode, Is.Zero, update.ToString());
                Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            }

            Assert.That(amd64Update.StdOut, Does.Contain("main amd64 Packages").And.Not.Contain("arm64"), amd64Update.StdOut);
            Assert.That(arm64Update.StdOut, Does.Contain("main arm64 Packages").And.Not.Contain("amd64"), arm64Update.StdOut);
            Assert.That(amd64Seen, Does.Contain("x86only").And.Contain("shared").And.Contain("tool").And.Contain("contrib amd64").And.Not.Contain("armonly"), amd64Seen);
            Assert.That(arm64Seen, Does.Contain("armonly").And.Contain("shared").And.Contain("tool").And.Contain("contrib arm64").And.Not.Contain("x86only"), arm64Seen);
        });
    }

    private string Package(string name, string version = "1.0-1", string architecture = "all")
    {
        string directory = Work.Combine($"debs/{name}-{version}-{architecture}");
        Directory.CreateDirectory(directory);
        var package = new StandInPackage(name, version) { Architecture = architecture };
        package.Files[$"/usr/share/{name}/README"] = $"{name} {version}\n";
        return package.Build(directory);
    }

    /// <summary>One repo command on the repository with the test key, each a second later than the last and none in the future (apt refuses a Release not valid yet).</summary>
    private void Run(string command, params string[] arguments)
    {
        clock++;
        ConsulPkgProcess.Run(
            ["repo", command, "--repo", Repository, "--signing-key", keys.RsaArmored, .. arguments],
            Work.Path, sourceDateEpoch: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600 + clock)
            .EnsureSuccess();
    }
}
