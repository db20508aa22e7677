using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>
/// <c>repo check</c> through the command line: nothing on a clean repository, and each kind of
/// damage planted here found, one line each, exit 1, the repository not written to.
/// </summary>
public sealed class CheckTests
{
    /// <summary>check judges Valid-Until against the real clock: these publishes are dated now.</summary>
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private TempDirectory work = null!;
    private string repo = null!;
    private Dictionary<string, byte[]> firstRelease = null!;

    [SetUp]
    public void PublishTwoSuites()
    {
        work = new TempDirectory();
        repo = work.Combine("repo");
        Publish(repo, [TestDebs.Build(work.Path, "tool", "1.0-1")], suite: "testing", date: Now);
        firstRelease = new[] { "Release", "InRelease", "Release.gpg" }.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(repo, "dists/testing", f)));
        Publish(repo, [TestDebs.Build(work.Path, "other", "2.0-1", "all")], suite: "testing", date: Now.AddSeconds(1));
        CopyAt(Now.AddSeconds(2), repo, "testing", "stable", "tool");
    }

    [TearDown]
    public void RemoveWork() => work.Dispose();

    [Test]
    public void ACleanRepositoryIsConsistent()
    {
        ProcessResult result = Check();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
            Assert.That(result.StdOut, Is.EqualTo("consistent: dists/stable, dists/testing\n"));
        });
    }

    [TestCase("changed pool file", "pool/main/t/tool/tool_1.0-1_amd64.deb: size")]
    [TestCase("missing index", "dists/testing/main/binary-amd64/Packages.gz: missing, listed in the Release")]
    [TestCase("stale release", "dists/testing/main/binary-amd64/Packages: size or hashes differ from the Release")]
    [TestCase("extra pool file", "pool/main/s/stray/stray_1.0_amd64.deb: in the pool but no index lists it")]
    [TestCase("edited release", "dists/stable/Release.gpg: BAD signature: Release.gpg does not match Release")]
    [TestCase("edited release", "dists/stable/InRelease: signs another text than Release")]
    [TestCase("missing by-hash copy", "dists/stable/main/binary-amd64/by-hash/SHA512/")]
    [TestCase("foreign key", "dists/stable/InRelease: InRelease was made by key")]
    [TestCase("expired", "dists/testing/Release: Valid-Until")]
    public void FindsEachKindOfDamage(string damage, string expected)
    {
        switch (damage)
        {
            case "changed pool file":
                File.AppendAllText(Path.Combine(repo, "pool/main/t/tool/tool_1.0-1_amd64.deb"), "x");
                break;
            case "missing index":
                File.Delete(Path.Combine(repo, "dists/testing/main/binary-amd64/Packages.gz"));
                break;
            case "stale release":
                foreach ((string name, byte[] content) in firstRelease)
                {
                    File.WriteAllBytes(Path.Combine(repo, "dists/testing", name), content);
                }

                break;
            case "extra pool file":
                Directory.CreateDirectory(Path.Combine(repo, "pool/main/s/stray"));
                File.Copy(TestDebs.Build(work.Path, "stray", "1.0"), Path.Combine(repo, "pool/main/s/stray/stray_1.0_amd64.deb"));
                break;
            case "edited release":
                File.AppendAllText(Path.Combine(repo, "dists/stable/Release"), "Description: edited\n");
                break;
            case "missing by-hash copy":
                foreach (string file in Directory.GetFiles(Path.Combine(repo, "dists/stable/main/binary-amd64/by-hash/SHA512")))
                {
                    File.Delete(file);
                }

                break;
            case "expired":
                Publish(repo, [TestDebs.Build(work.Path, "late", "1.0")], suite: "testing", date: Now.AddDays(-40));
                break;
            case "foreign key":
                File.Copy(Keys.OtherPublicKeyring, Path.Combine(repo, RepositoryPublisher.KeyringFileName), overwrite: true);
                break;
        }

        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        ProcessResult result = Check();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
            Assert.That(result.StdOut.Split('\n'), Has.Some.StartsWith(expected), result.StdOut);
            Assert.That(result.StdErr, Does.StartWith("consul-pkg: ").And.Contain("problem"));
            Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before), "check writes nothing");
        });
    }

    [Test]
    public void APublishRefusesAnIndexTheReleaseDoesNotDescribe()
    {
        File.AppendAllText(Path.Combine(repo, "dists/testing/main/Contents-all.gz"), "x");
        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        var refused = Assert.Throws<ConsulPkg.Debian.PackageException>(() =>
            Publish(repo, [TestDebs.Build(work.Path, "another", "1.0", "all")], suite: "testing", date: Now.AddSeconds(3)))!;
        Assert.Multiple(() =>
        {
            Assert.That(refused.Message, Does.Contain("Contents-all.gz does not match the SHA256 in its Release"));
            Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before));
        });
    }

    private ProcessResult Check() => ConsulPkgProcess.Run(["repo", "check", "--repo", repo]);
}
