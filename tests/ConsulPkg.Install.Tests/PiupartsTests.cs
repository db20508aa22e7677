using ConsulPkg.Consul;
using ConsulPkg.Install.Tests.Support;
using ConsulPkg.Repository.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 23: piuparts, the judge Debian runs on every package of its archive, on every kind of
/// package consul-pkg builds, in the install tests' Debian 12 root: install and purge, install
/// remove install, and for the Consul package the upgrade from -1 in a repository that
/// <c>consul-pkg repo publish</c> made, served on 127.0.0.1. A failure shows piuparts' own lines.
/// </summary>
[Category("Install")]
[Category("Piuparts")]
[NonParallelizable]
public sealed class PiupartsTests
{
    private const string Suite = "stable";

    /// <summary>
    /// The packages judged, one line each. A case with debconf answers lists them after the
    /// builder, as <c>debconf-set-selections</c> reads them:
    /// <c>new("name", t => t.Consul(...), "consul consul/role select server")</c>.
    /// </summary>
    private static readonly PiupartsCase[] Cases =
    [
        new("consul-seed", t => t.Consul("seed", "1")),
        new("consul-debian", t => t.Consul("debian", "1")),
        new("consul-key-free-server", t => t.Consul("debian", "1", GossipKeyDelivery.AtInstall),
            $"consul consul/gossip-key password {FakeConsulRelease.GossipKey}", "consul consul/role select server"),
        new("consul-key-free-client", t => t.Consul("seed", "1", GossipKeyDelivery.AtInstall),
            $"consul consul/gossip-key password {FakeConsulRelease.GossipKey}"),
        new("fpm-systemd-enable-auto-start", t => t.Fpm(withUnit: true, "--deb-systemd-enable", "--deb-systemd-auto-start")),
        new("fpm-init", t => t.Fpm(withUnit: false, "--deb-init", "hello.init")),
        new("consul-pkg-release", _ => ReleaseBuild.Shared.Deb),
    ];

    private readonly Dictionary<string, string> built = new(StringComparer.Ordinal);
    private FakeConsulRelease release = null!;
    private TempDirectory work = null!;

    private static IEnumerable<TestCaseData> InstallTests =>
        from c in Cases
        from test in new[] { PiupartsTest.InstallPurge, PiupartsTest.InstallRemoveInstall }
        select new TestCaseData(c.Name, test).SetArgDisplayNames(c.Name, test.ToString());

    [OneTimeSetUp]
    public void StartRelease()
    {
        release = new FakeConsulRelease();
        work = new TempDirectory("consul-pkg-piuparts-tests-");
    }

    [OneTimeTearDown]
    public void StopRelease()
    {
        release.Dispose();
        work.Dispose();
    }

    [TestCaseSource(nameof(InstallTests))]
    public void PiupartsPasses(string name, PiupartsTest test)
    {
        PiupartsCase judged = Cases.Single(c => c.Name == name);
        if (!built.TryGetValue(name, out string? deb))
        {
            built[name] = deb = judged.Build(this);
        }

        PiupartsResult result = Piuparts.Run(new PiupartsRun(test, [deb]) { Preseed = judged.Preseed });

        Assert.That(result.Passed, Is.True, result.Failures);
        Assert.Multiple(() =>
        {
            Assert.That(result.Log, Does.Contain("INFO: PASS: Installation and purging test.\n"));
            Assert.That(result.RanAdequate, Is.True, "adequate judged the installed package");
            if (test == PiupartsTest.InstallRemoveInstall)
            {
                Assert.That(result.Log, Does.Contain("INFO: Reinstalling after remove\n"), "the remove-install cycle ran");
            }
        });
    }

    /// <summary>The judge has teeth: the seed layout's package as it was, listing /usr/local and /usr/local/bin, fails with piuparts' finding.</summary>
    [Test]
    public void ThePackageThatOwnedUsrLocalBinFailsWithPiupartsOwnLines()
    {
        string owning = ListedDirectories.Add(Consul("seed", "1"), work.Combine("owning-alone", $"consul_{FakeConsulRelease.Version}-1_amd64.deb"), "./usr/local/", "./usr/local/bin/");

        PiupartsResult result = Piuparts.Run(new PiupartsRun(PiupartsTest.InstallPurge, [owning]));

        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.False, result.Log);
            Assert.That(result.Failures, Does.Contain("ERROR: FAIL: After purging files have disappeared:\n"));
            Assert.That(result.Failures, Does.Contain("/usr/local/bin/\t owned by: consul\n"));
            Assert.That(result.Failures, Does.Contain("ERROR: FAIL: Installation and purging test.\n"));
        });
    }

    [TestCase("seed")]
    [TestCase("debian")]
    public void UpgradeFromTheFirstIterationInARepositoryPasses(string layout) =>
        AssertUpgradePasses(Consul(layout, "1"), Consul(layout, "2"));

    /// <summary>A key-free -1 from the repository (published 0644, no secret in it) upgraded to a key-free -2, the key preseeded.</summary>
    [Test]
    public void UpgradeOfTheKeyFreePackageInARepositoryPasses() =>
        AssertUpgradePasses(
            Consul("debian", "1", GossipKeyDelivery.AtInstall), Consul("debian", "2", GossipKeyDelivery.AtInstall),
            $"consul consul/gossip-key password {FakeConsulRelease.GossipKey}", "consul consul/role select server");

    /// <summary>The -1 the seed layout was before it stopped listing /usr/local and /usr/local/bin.</summary>
    [Test]
    public void UpgradeFromAFirstIterationThatOwnedUsrLocalBinPasses() =>
        AssertUpgradePasses(
            ListedDirectories.Add(Consul("seed", "1"), work.Combine("owning", $"consul_{FakeConsulRelease.Version}-1_amd64.deb"), "./usr/local/", "./usr/local/bin/"),
            Consul("seed", "2"));

    /// <summary>Publishes <paramref name="first"/> alone into a new repository on 127.0.0.1 and lets piuparts upgrade it to <paramref name="second"/>.</summary>
    private static void AssertUpgradePasses(string first, string second, params string[] preseed)
    {
        using var gpg = new GpgHome();
        using var repositoryWork = new TempDirectory("consul-pkg-piuparts-repo-");
        string repository = repositoryWork.Combine("repo");
        gpg.Generate("Piuparts Repo <piuparts@repo.invalid>", "ed25519");
        string key = gpg.ExportSecret("piuparts@repo.invalid", repositoryWork.Combine("key.asc"), armor: true);
        // Dated now: the Release is valid for the days that follow, as apt checks it. A package that
        // embeds the gossip key is a secret the publisher refuses unless told otherwise.
        string[] allowSecrets = preseed.Length == 0 ? ["--allow-secrets"] : [];
        ConsulPkgProcess.Run(["repo", "publish", "--repo", repository, "--suite", Suite, "--signing-key", key, .. allowSecrets, first],
            repositoryWork.Path, sourceDateEpoch: DateTimeOffset.UtcNow.ToUnixTimeSeconds()).EnsureSuccess();
        using var server = new RepositoryServer(repository);

        PiupartsResult result = Piuparts.Run(new PiupartsRun(PiupartsTest.Upgrade, [second])
        {
            Repository = new PiupartsRepository(server.BaseUrl, Suite, Path.Combine(repository, "archive-keyring.gpg")),
            Preseed = preseed,
        });

        Assert.That(result.Passed, Is.True, result.Failures);
        Assert.Multiple(() =>
        {
            Assert.That(result.Log, Does.Contain("INFO: PASS: Installation, upgrade and purging tests.\n"), "piuparts found the old version");
            Assert.That(result.RanAdequate, Is.True, "adequate judged the upgraded package");
            Assert.That(result.Log, Does.Contain($"Unpacking consul ({FakeConsulRelease.Version}-2) over ({FakeConsulRelease.Version}-1)"));
        });
    }

    private string Consul(string layout, string iteration, GossipKeyDelivery delivery = GossipKeyDelivery.Embedded)
    {
        string key = $"consul-{layout}-{iteration}-{delivery}";
        if (!built.TryGetValue(key, out string? deb))
        {
            built[key] = deb = release.Build(iteration: iteration, layout: layout, delivery: delivery);
        }

        return deb;
    }

    /// <summary>
    /// The install tests' small service package, with the package's own scripts ending in
    /// <c>exit 0</c> and logging nothing (a log file would rightly be reported as left behind).
    /// A flag value naming one of the package's files ("hello.init") is given as its path.
    /// </summary>
    private string Fpm(bool withUnit, params string[] flags)
    {
        string directory = work.Combine("fpm-" + string.Join('-', flags).Replace("--", "", StringComparison.Ordinal));
        Directory.CreateDirectory(directory);
        string[] scripts = ["--before-install", "--after-install", "--before-remove", "--after-remove"];
        var package = new FpmServicePackage
        {
            WithUnit = withUnit,
            Scripts = scripts,
            Bodies = scripts.ToDictionary(s => s, _ => "exit 0"),
            Flags = [.. flags.Select(f => f.StartsWith('-') ? f : Path.Combine(directory, f))],
        };
        return package.Build(directory, 1);
    }

    /// <summary>One package piuparts judges: how the fixture builds it, and the debconf answers it is installed with.</summary>
    private sealed record PiupartsCase(string Name, Func<PiupartsTests, string> Build, params string[] Preseed);
}
