using System.Globalization;
using ConsulPkg.Install.Tests.Support;
using ConsulPkg.Testing.Signing;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Issue 13: the repository <c>consul-pkg repo publish</c> writes, judged by real apt in a clean
/// Debian 12 root whose only source it is, served over HTTP on 127.0.0.1.
/// </summary>
[Category(TestCategories.Install)]
public sealed class AptRepositoryTests
{
    private const string Suite = "stable";

    /// <summary>How apt refuses an index that is not the one the signed Release describes: its digest, or first its size.</summary>
    private static readonly (string Hash, string Size) IndexRefused = ("Hash Sum mismatch", "File has unexpected size");

    private FakeConsulRelease release = null!;
    private TestSigningKeys keys = null!;
    private string iteration1 = null!;
    private string iteration2 = null!;
    private ServedRepository served = null!;

    private TempDirectory Work => served.Work;

    private RepositoryServer Server => served.Server;

    private string Repository => served.Repository;

    private string Keyring => served.Keyring;

    private string SuiteDirectory => Path.Combine(Repository, "dists", Suite);

    [OneTimeSetUp]
    public void BuildPackagesAndKeys()
    {
        release = new FakeConsulRelease();
        iteration1 = release.Build(iteration: "1");
        iteration2 = release.Build(iteration: "2");
        keys = new TestSigningKeys();
    }

    [OneTimeTearDown]
    public void RemovePackagesAndKeys()
    {
        keys.Dispose();
        release.Dispose();
    }

    [SetUp]
    public void StartServer() => served = new ServedRepository("consul-pkg-apt-");

    [TearDown]
    public void StopServer() => served.Dispose();

    [Test]
    public void AptUpdatesCleanlyInstallsTheFirstIterationAndUpgradesToTheSecond()
    {
        Publish(iteration1);
        using var client = new AptClient(Server.BaseUrl, Keyring);
        ProcessResult update = client.Update();
        ProcessResult install = client.Install("consul");
        string? installed = client.Root.PackageStatus("consul")?["Version"];

        Publish(iteration2);
        ProcessResult secondUpdate = client.Update();
        ProcessResult upgrade = client.Install("--only-upgrade", "consul");
        string? upgraded = client.Root.PackageStatus("consul")?["Version"];
        ProcessResult madison = client.Root.Run("apt-cache", "madison", "consul");

        Assert.Multiple(() =>
        {
            Assert.That(update.ExitCode, Is.Zero, update.ToString());
            Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(installed, Is.EqualTo($"{FakeConsulRelease.Version}-1"));
            Assert.That(secondUpdate.ExitCode, Is.Zero, secondUpdate.ToString());
            Assert.That(AptClient.Complaints(secondUpdate), Is.Empty, secondUpdate.ToString());
            Assert.That(upgrade.ExitCode, Is.Zero, upgrade.ToString());
            Assert.That(upgraded, Is.EqualTo($"{FakeConsulRelease.Version}-2"));
            Assert.That(madison.StdOut, Does.Contain($"{FakeConsulRelease.Version}-1").And.Contain($"{FakeConsulRelease.Version}-2"), "both versions stay listed");
        });
    }

    [Test]
    public void AKeyringWithAnotherKeyIsRefusedWithNoPubkey()
    {
        Publish(iteration1);
        using var client = new AptClient(Server.BaseUrl, keys.OtherPublicKeyring);
        ProcessResult update = client.Update();
        Assert.Multiple(() =>
        {
            Assert.That(update.ExitCode, Is.Not.Zero, update.ToString());
            Assert.That(update.StdOut + update.StdErr, Does.Contain("NO_PUBKEY " + keys.RsaFingerprint[^16..]));
        });
    }

    [Test]
    public void ARepositorySignedByTwoKeysUpdatesClientsTrustingEitherAndNoOther()
    {
        Publish(DateTimeOffset.UtcNow, ["--signing-key", keys.Ed25519Binary], iteration1);
        using var onlyA = new AptClient(Server.BaseUrl, keys.PublicOnly);
        using var onlyB = new AptClient(Server.BaseUrl, keys.Ed25519PublicKeyring);
        using var third = new AptClient(Server.BaseUrl, keys.OtherPublicKeyring);
        ProcessResult a = onlyA.Update();
        ProcessResult b = onlyB.Update();
        ProcessResult other = third.Update();
        Assert.Multiple(() =>
        {
            foreach (ProcessResult update in new[] { a, b })
            {
                Assert.That(update.ExitCode, Is.Zero, update.ToString());
                Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            }

            Assert.That(other.ExitCode, Is.Not.Zero, other.ToString());
            Assert.That(other.StdOut + other.StdErr, Does.Contain("NO_PUBKEY " + keys.RsaFingerprint[^16..]));
        });
    }

    [Test]
    public void ATamperedPackagesIndexIsRefused()
    {
        Publish(iteration1);
        string directory = Path.Combine(SuiteDirectory, "main", "binary-amd64");
        Tamper(directory, text => text.Replace($"Version: {FakeConsulRelease.Version}-1", $"Version: {FakeConsulRelease.Version}-9", StringComparison.Ordinal));

        using var client = new AptClient(Server.BaseUrl, Keyring);
        ProcessResult update = client.Update();
        Assert.Multiple(() =>
        {
            Assert.That(update.ExitCode, Is.Not.Zero, update.ToString());
            Assert.That(update.StdOut + update.StdErr, Does.Contain(IndexRefused.Hash).Or.Contain(IndexRefused.Size));
        });
    }

    [Test]
    public void AnExpiredValidUntilIsRefused()
    {
        ProcessResult publish = Publish(DateTimeOffset.UtcNow.AddDays(-3), ["--valid-for", "1"], iteration1);
        using var client = new AptClient(Server.BaseUrl, Keyring);
        ProcessResult update = client.Update();
        Assert.Multiple(() =>
        {
            Assert.That(publish.StdErr, Does.Contain("is already past"), "the publisher is warned");
            Assert.That(update.ExitCode, Is.Not.Zero, update.ToString());
            Assert.That(update.StdOut + update.StdErr, Does.Contain("is expired"));
        });
    }

    [Test]
    public void AptKeepsUpdatingWhilePublishesRun()
    {
        const int Publishes = 6;
        const int MaxUpdates = 40;
        Publish(iteration1);
        using var client = new AptClient(Server.BaseUrl, Keyring);
        client.Update().EnsureSuccess();
        string[] fillers = Enumerable.Range(1, Publishes).Select(i => new StandInPackage($"filler{i}").Build(Work.Path)).ToArray();

        Task<List<ProcessResult>> publisher = Task.Run(() => fillers.Select(filler => Publish(filler)).ToList());
        var updates = new List<ProcessResult>();
        int duringPublishing = 0;
        while (updates.Count < MaxUpdates && !publisher.IsCompleted)
        {
            updates.Add(client.Update());
            duringPublishing++;
        }

        List<ProcessResult> publishes = publisher.Result; // bounded: each publish has ProcessRunner's timeout
        updates.Add(client.Update());
        ProcessResult madison = client.Root.Run("apt-cache", "madison", $"filler{Publishes}");

        Assert.Multiple(() =>
        {
            Assert.That(publishes.Select(p => p.ExitCode), Is.All.Zero, string.Join('\n', publishes));
            Assert.That(duringPublishing, Is.GreaterThanOrEqualTo(2), "updates overlapped the publishes");
            foreach (ProcessResult update in updates)
            {
                Assert.That(update.ExitCode, Is.Zero, update.ToString());
                Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            }

            Assert.That(madison.StdOut, Does.Contain($"filler{Publishes}"), "the last publish reached the client");
        });
        TestContext.Out.WriteLine($"{duringPublishing} updates ran during {Publishes} publishes");
    }

    [Test]
    public void AClientHoldingThePreviousReleaseStillUpdatesThroughByHash()
    {
        Publish(iteration1);
        string[] releaseFiles = ["InRelease", "Release", "Release.gpg"];
        Dictionary<string, byte[]> previous = releaseFiles.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(SuiteDirectory, f)));
        Publish(iteration2);

        // The client fetched the Release files just before the publish, and its indices after.
        foreach ((string name, byte[] content) in previous)
        {
            Server.Pin($"/dists/{Suite}/{name}", content);
        }

        using var client = new AptClient(Server.BaseUrl, Keyring);
        ProcessResult update = client.Update();
        ProcessResult madison = client.Root.Run("apt-cache", "madison", "consul");
        using var withoutByHash = new AptClient(Server.BaseUrl, Keyring);
        ProcessResult plainNames = withoutByHash.Update("-o", "Acquire::By-Hash=no");

        Assert.Multiple(() =>
        {
            Assert.That(update.ExitCode, Is.Zero, update.ToString());
            Assert.That(AptClient.Complaints(update), Is.Empty, update.ToString());
            Assert.That(madison.StdOut, Does.Contain($"{FakeConsulRelease.Version}-1").And.Not.Contain($"{FakeConsulRelease.Version}-2"), "the previous generation's index");
            Assert.That(plainNames.ExitCode, Is.Not.Zero, "without by-hash the same client meets the new index: " + plainNames);
            Assert.That(plainNames.StdOut + plainNames.StdErr, Does.Contain(IndexRefused.Hash).Or.Contain(IndexRefused.Size));
        });
    }

    private ProcessResult Publish(params string[] debs) => Publish(DateTimeOffset.UtcNow, [], debs);

    private ProcessResult Publish(DateTimeOffset date, string[] options, params string[] debs)
    {
        return ConsulPkgProcess.Run(
            // The recipe's packages here embed the gossip key: published as the secrets they are.
            ["repo", "publish", "--repo", Repository, "--suite", Suite, "--signing-key", keys.RsaArmored, "--origin", "consul-pkg tests", "--allow-secrets", .. options, .. debs],
            Work.Path, sourceDateEpoch: date.ToUnixTimeSeconds())
            .EnsureSuccess();
    }

    /// <summary>
    /// Rewrites every index in <paramref name="directory"/> (plain, gzip, xz and their by-hash
    /// copies, under the same names) with an edited text, leaving the signed Release alone.
    /// </summary>
    private static void Tamper(string directory, Func<string, string> edit)
    {
        string plainPath = Path.Combine(directory, "Packages");
        byte[] original = File.ReadAllBytes(plainPath);
        byte[] originalGz = File.ReadAllBytes(plainPath + ".gz");
        byte[] originalXz = File.ReadAllBytes(plainPath + ".xz");
        string tampered = edit(File.ReadAllText(plainPath));
        Assert.That(tampered, Is.Not.EqualTo(File.ReadAllText(plainPath)), "the edit changes the index");
        File.WriteAllText(plainPath, tampered);
        ProcessRunner.Run("/bin/sh", "-c", $"gzip -9n -c '{plainPath}' > '{plainPath}.gz' && xz -c '{plainPath}' > '{plainPath}.xz'").EnsureSuccess();

        foreach (string file in Directory.GetFiles(Path.Combine(directory, "by-hash"), "*", SearchOption.AllDirectories))
        {
            byte[] content = File.ReadAllBytes(file);
            string replacement = content.AsSpan().SequenceEqual(original) ? plainPath
                : content.AsSpan().SequenceEqual(originalGz) ? plainPath + ".gz"
                : content.AsSpan().SequenceEqual(originalXz) ? plainPath + ".xz"
                : throw new InvalidOperationException($"{file} is none of the indices");
            File.Copy(replacement, file, overwrite: true);
        }
    }
}
