using System.Text;
using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>
/// A command killed on the way (SIGKILL, a power cut) cleans up nothing; the next command that
/// writes does, from the journal: killed while staging, the repository is byte-for-byte as it was;
/// killed while renaming, the rest is renamed. A <see cref="StagedWrites"/> left without
/// <see cref="StagedWrites.Dispose"/> is exactly what a killed process leaves on disk.
/// </summary>
public sealed class InterruptedRunTests : ScratchRepository
{
    [Test]
    public void ARunKilledWhileStagingIsUndoneByteForByte()
    {
        Publish(Repo, [TestDebs.Build(Work.Path, "tool", "1.0-1")]);
        Dictionary<string, string> before = RepositorySnapshot.Take(Repo);
        KillWhileStaging();
        Assert.That(Leftovers(), Has.Some.EndsWith(".staged").And.Some.EndsWith(".previous").And.Some.EqualTo(StagedWrites.JournalName), "what a killed run leaves");

        ProcessResult check = ConsulPkgProcess.Run(["repo", "check", "--repo", Repo], sourceDateEpoch: Date.ToUnixTimeSeconds());
        Assert.That(check.ExitCode, Is.EqualTo(1));
        Assert.That(check.StdOut, Does.Contain($"{StagedWrites.JournalName}: a command was interrupted here"));

        Assert.That(StagedWrites.Recover(Repo), Is.True);
        Assert.That(RepositorySnapshot.Take(Repo), Is.EqualTo(before), "as before the killed run, its new directories gone too");
    }

    [TestCase("publish")]
    [TestCase("remove")]
    [TestCase("copy")]
    public void TheNextCommandRecoversBeforeItReads(string command)
    {
        Publish(Repo, [TestDebs.Build(Work.Path, "tool", "1.0-1"), TestDebs.Build(Work.Path, "tool", "1.1-1")]);
        KillWhileStaging();
        string[] arguments = command switch
        {
            "publish" => ["--suite", "stable", TestDebs.Build(Work.Path, "next", "1.0-1")],
            "remove" => ["--suite", "stable", "tool=1.0-1"],
            _ => ["--from", "stable", "--to", "testing", "tool"],
        };
        ProcessResult result = ConsulPkgProcess.Run(["repo", command, "--repo", Repo, "--signing-key", Keys.RsaArmored, .. arguments], sourceDateEpoch: Date.ToUnixTimeSeconds());
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(Leftovers(), Is.Empty);
        Assert.That(Path.Combine(Repo, "pool/main/f/fresh"), Does.Not.Exist);
        Assert.That(RepositoryChecker.Check(Repo, null, Date).Problems, Is.Empty);
    }

    /// <summary>What a publish killed before its first rename leaves: a new pool file in new directories, replaced indices and Release staged beside hard links of the old ones.</summary>
    private void KillWhileStaging()
    {
        var killed = new StagedWrites(Repo);
        killed.Copy(TestDebs.Build(Work.Path, "fresh", "1.0-1"), Path.Combine(Repo, "pool/main/f/fresh/fresh_1.0-1_amd64.deb"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        killed.Write(Path.Combine(Repo, "dists/stable/main/binary-amd64/Packages"), "not what the Release says\n"u8);
        killed.Write(Path.Combine(Repo, "dists/stable/Release"), "half a release\n"u8);
    }

    [Test]
    public void ARunKilledWhileRenamingIsFinishedInItsOrder()
    {
        Directory.CreateDirectory(Repo);
        File.WriteAllText(Path.Combine(Repo, "kept"), "old kept\n");
        File.WriteAllText(Path.Combine(Repo, "Release"), "old release\n");
        var killed = new StagedWrites(Repo);
        killed.Write(Path.Combine(Repo, "dists/new/index"), "new index\n"u8);
        killed.Write(Path.Combine(Repo, "kept"), "new kept\n"u8);
        killed.Barrier();
        killed.Write(Path.Combine(Repo, "Release"), "new release\n"u8);
        killed.BeginCommit();
        (string temporary, string target) = killed.Pending.First();
        File.Move(temporary, target); // killed after the first rename

        Assert.That(StagedWrites.Recover(Repo), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(Repo, "dists/new/index")), Is.EqualTo("new index\n"));
            Assert.That(File.ReadAllText(Path.Combine(Repo, "kept")), Is.EqualTo("new kept\n"));
            Assert.That(File.ReadAllText(Path.Combine(Repo, "Release")), Is.EqualTo("new release\n"));
            Assert.That(Leftovers(), Is.Empty);
            Assert.That(StagedWrites.Recover(Repo), Is.False, "nothing left to recover");
        });
    }

    [Test]
    public void ACompletedOrFailedRunLeavesNoJournal()
    {
        using (var staged = new StagedWrites(Work.Path))
        {
            staged.Write(Work.Combine("a"), Encoding.ASCII.GetBytes("a\n"));
            staged.Commit();
        }

        using (var abandoned = new StagedWrites(Work.Path))
        {
            abandoned.Write(Work.Combine("b"), Encoding.ASCII.GetBytes("b\n"));
        }

        Assert.That(Directory.EnumerateFileSystemEntries(Work.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a" }));
    }

    /// <summary>Hidden names a command leaves only when it is killed: staged files, hard links of replaced ones, the journal.</summary>
    private List<string> Leftovers() =>
        [.. Directory.EnumerateFiles(Repo, ".*", SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>()
            .Where(n => n != RepositoryLock.FileName)];
}
