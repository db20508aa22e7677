using System.Text;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Tests.IO;

[TestFixture]
public sealed class AtomicFileTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ContentAppearsOnlyOnCommit()
    {
        string path = _temp.Combine("out");
        using (AtomicFile file = AtomicFile.Create(path))
        {
            file.Stream.Write("complete"u8);
            Assert.Multiple(() =>
            {
                Assert.That(File.Exists(path), Is.False);
                Assert.That(Path.GetDirectoryName(file.TemporaryPath), Is.EqualTo(_temp.Path), "beside the target, so the rename is atomic");
            });
            file.Commit(overwrite: false);
        }

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("complete"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(new[] { "out" }));
        });
    }

    [Test]
    public void DisposingWithoutCommitLeavesTheOldFileAndNoTemporary()
    {
        string path = _temp.WriteFile("out", "old");
        using (AtomicFile file = AtomicFile.Create(path))
        {
            file.Stream.Write("half"u8);
        }

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(new[] { "out" }));
        });
    }

    [Test]
    public void CommitWithoutOverwriteKeepsAnExistingFile()
    {
        string path = _temp.WriteFile("out", "old");
        using (AtomicFile file = AtomicFile.Create(path))
        {
            file.Stream.Write("new"u8);
            Assert.Throws<IOException>(() => file.Commit(overwrite: false));
        }

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(new[] { "out" }));
        });
    }

    [Test]
    public void ModeIsSetBeforeTheFileBecomesVisible()
    {
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        string path = _temp.Combine("secret");
        UnixFileMode? seen = null;
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes("key"), Mode, temporary => seen = File.GetUnixFileMode(temporary));
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(Mode));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(Mode));
        });
    }

    [Test]
    public void CopyReplacesTheTargetWhole()
    {
        string source = _temp.WriteFile("source", "zip bytes");
        string path = _temp.WriteFile("cache/x.zip", "stale");
        AtomicFile.Copy(source, path);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("zip bytes"));
            Assert.That(_temp.Snapshot(), Is.EqualTo(new[] { "cache", "cache/x.zip", "source" }));
        });
    }

    [Test]
    public void CreatingInAMissingDirectoryFailsWithoutLeavingAnything()
    {
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Create(_temp.Combine("missing", "out")));
        Assert.That(_temp.Snapshot(), Is.Empty);
    }
}
