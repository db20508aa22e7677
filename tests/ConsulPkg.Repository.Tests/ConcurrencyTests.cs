using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>Publishes racing into one directory: the lock file serialises them, so neither loses the other's package.</summary>
public sealed class ConcurrencyTests
{
    [Test]
    public void TwoPublishesAtOnceBothLand()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        Publish(repo, [TestDebs.Build(work.Path, "base", "1.0")]);
        const int Publishers = 4;
        string[] debs = Enumerable.Range(1, Publishers).Select(i => TestDebs.Build(work.Path, $"racer{i}", "1.0")).ToArray();

        // Separate processes, as two pipelines would be; all started before any is awaited.
        Task<ProcessResult>[] runs = debs.Select(deb => Task.Run(() => ConsulPkgProcess.Run(
            ["repo", "publish", "--repo", repo, "--suite", "stable", "--signing-key", Keys.RsaArmored, deb], sourceDateEpoch: Date.ToUnixTimeSeconds()))).ToArray();
        Task.WaitAll(runs);

        Assert.Multiple(() =>
        {
            foreach (Task<ProcessResult> run in runs)
            {
                Assert.That(run.Result.ExitCode, Is.Zero, run.Result.StdErr);
            }

            Assert.That(PublishTests.PackagesOf(Path.Combine(repo, "dists/stable"), "amd64"),
                Is.EqualTo(new[] { "base 1.0 amd64", "racer1 1.0 amd64", "racer2 1.0 amd64", "racer3 1.0 amd64", "racer4 1.0 amd64" }));
            Assert.That(Directory.GetFiles(repo, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no temporary file left");
        });
    }
}
