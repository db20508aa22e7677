using System.Security.Cryptography;
using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>
/// A file system that fills while a command writes: on a small tmpfs mounted for the test (the
/// tests run as root), the free space left is stepped down so that the command runs out at every
/// point from its first pool file to its last index. Each attempt either succeeds or fails with
/// one line and exit 1, the repository byte-for-byte as it was.
/// </summary>
public sealed class FullFileSystemTests
{
    private const int SizeKiB = 4096;

    private TempDirectory work = null!;
    private string mount = null!;

    private string Repo => Path.Combine(mount, "repo");

    [SetUp]
    public void MountASmallFileSystem()
    {
        work = new TempDirectory();
        mount = work.Combine("fs");
        Directory.CreateDirectory(mount);
        ProcessRunner.Run("mount", "-t", "tmpfs", "-o", $"size={SizeKiB}k,mode=0755", "tmpfs", mount).EnsureSuccess();
    }

    [TearDown]
    public void Unmount()
    {
        ProcessRunner.Run("umount", mount);
        work.Dispose();
    }

    [TestCase("publish")]
    [TestCase("remove")]
    [TestCase("copy")]
    public void EveryCommandRunningOutOfSpaceLeavesTheRepositoryAsItWas(string command)
    {
        Publish(Repo, [Deb("base", "1.0-1", 20_000), Deb("gone", "1.0-1", 20_000)], suite: "testing");
        Publish(Repo, [Deb("base", "1.0-2", 20_000)], suite: "testing", date: Date.AddHours(1));
        string incoming = Deb("big", "1.0-1", 300_000); // outside the small file system
        string[] arguments = command switch
        {
            "publish" => ["repo", "publish", "--repo", Repo, "--suite", "testing", "--signing-key", Keys.RsaArmored, incoming],
            "remove" => ["repo", "remove", "--repo", Repo, "--suite", "testing", "--signing-key", Keys.RsaArmored, "gone"],
            _ => ["repo", "copy", "--repo", Repo, "--from", "testing", "--to", "stable", "--signing-key", Keys.RsaArmored, "base", "gone"],
        };

        var failures = new List<string>();
        ProcessResult? success = null;
        string filler = Path.Combine(mount, "filler");
        for (long free = 0; free <= 1024 * 1024 && success is null; free += 16 * 1024)
        {
            File.Delete(filler);
            Fill(filler, Available() - free);
            Dictionary<string, string> before = RepositorySnapshot.Take(Repo);
            ProcessResult result = ConsulPkgProcess.Run(arguments, sourceDateEpoch: Date.AddDays(1).ToUnixTimeSeconds());
            if (result.ExitCode == 0)
            {
                success = result;
                break;
            }

            failures.Add(result.StdErr);
            Assert.Multiple(() =>
            {
                Assert.That(result.ExitCode, Is.EqualTo(1), $"{free} bytes free: {result.StdErr}");
                Assert.That(result.StdErr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one line");
                Assert.That(result.StdErr, Does.Contain("No space left on device"));
                Assert.That(RepositorySnapshot.Take(Repo), Is.EqualTo(before), $"{free} bytes free: the repository is as it was");
            });
        }

        File.Delete(filler);
        Assert.Multiple(() =>
        {
            Assert.That(success, Is.Not.Null, "with enough space the command succeeds");
            Assert.That(failures, Has.Count.GreaterThanOrEqualTo(3), "it ran out of space at several points first");
            Assert.That(RepositoryChecker.Check(Repo, null, Date.AddDays(1)).Problems, Is.Empty);
        });
        TestContext.Out.WriteLine($"{command}: {failures.Count} attempts ran out of space before one succeeded");
    }

    private long Available() => new DriveInfo(mount).AvailableFreeSpace;

    private static void Fill(string path, long bytes)
    {
        using FileStream file = File.Create(path);
        byte[] block = new byte[4096];
        for (long written = 0; written + block.Length <= bytes; written += block.Length)
        {
            file.Write(block);
        }
    }

    private string Deb(string name, string version, int size)
    {
        string directory = work.Combine($"{name}-{version}");
        Directory.CreateDirectory(directory);
        // Random bytes do not compress: the package is as large as asked.
        return TestDebs.Build(directory, name, version, payload: Convert.ToBase64String(RandomNumberGenerator.GetBytes(size * 3 / 4)));
    }
}
