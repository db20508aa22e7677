using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;
using ConsulPkg.Fpm.Staging;

namespace ConsulPkg.Fpm.Tests.Staging;

[TestFixture]
public sealed class StagingTreeTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void WalkKeepsModesSymlinksAndEmptyDirectoriesInOrdinalOrder()
    {
        _temp.WriteFile("usr/bin/tool", "x", (UnixFileMode)0b111_101_101);
        _temp.WriteFile("usr/bin/Zed", "x", (UnixFileMode)0b110_100_000);
        _temp.WriteFile("usr/bin/a", "x", (UnixFileMode)0b110_100_100 | UnixFileMode.SetUser);
        Directory.CreateDirectory(_temp.Combine("var/lib/empty"));
        File.CreateSymbolicLink(_temp.Combine("usr/bin/link"), "/does/not/exist");
        Directory.CreateSymbolicLink(_temp.Combine("dirlink"), _temp.Combine("usr"));

        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(_temp.Path, "/");

        Assert.That(entries.Select(e => $"{e.Path} {e.Kind} {Convert.ToString(e.Mode ?? -1, 8)} {e.LinkTarget}"), Is.EqualTo(new[]
        {
            $"/dirlink Symlink 777 {_temp.Combine("usr")}",
            "/usr Directory 755 ",
            "/usr/bin Directory 755 ",
            "/usr/bin/Zed File 640 ",
            "/usr/bin/a File 4644 ",
            "/usr/bin/link Symlink 777 /does/not/exist",
            "/usr/bin/tool File 755 ",
            "/var Directory 755 ",
            "/var/lib Directory 755 ",
            "/var/lib/empty Directory 755 ",
        }));
    }

    [Test]
    public void DirectoryBelowATargetKeepsItsOwnEntryAndOwner()
    {
        _temp.WriteFile("src/file", "x");
        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(_temp.Combine("src"), "opt/app/", new StagingOptions { Owner = "consul", Group = "consul" });
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Path), Is.EqualTo(new[] { "/opt/app", "/opt/app/file" }));
            Assert.That(entries.Select(e => e.Owner + ":" + e.Group).Distinct(), Is.EqualTo(new[] { "consul:consul" }));
        });
    }

    [Test]
    public void ExcludedDirectoryIsNotDescended()
    {
        _temp.WriteFile("keep/a", "x");
        _temp.WriteFile("skip/deep/b", "x");
        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(_temp.Path, "/", new StagingOptions { Excludes = p => p == "/skip" });
        Assert.That(entries.Select(e => e.Path), Is.EqualTo(new[] { "/keep", "/keep/a" }));
    }

    [Test]
    public void MissingSourceNamesThePath()
    {
        string missing = _temp.Combine("nope");
        var ex = Assert.Throws<PackageException>(() => StagingTree.Collect(missing, "/"));
        Assert.That(ex!.Message, Is.EqualTo($"cannot package '{missing}': no such file or directory"));
    }

    [Test]
    public void UnreadableFileNamesThePathAndNothingIsWritten()
    {
        // Write-only even for root: procfs checks the mode bits without CAP_DAC_OVERRIDE. The
        // walk does not open files (the writer opens each once), so the writer refuses it.
        const string Unreadable = "/proc/sys/vm/compact_memory";
        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(Unreadable, "/x");
        var ex = Assert.Throws<PackageException>(() => DebPackageWriter.WriteFile(Spec(entries), _temp.Combine("x.deb")));
        Assert.That(ex!.Message, Is.EqualTo($"cannot read '{Unreadable}' (for /x): permission denied"));
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }

    [Test]
    public void DotDotInTargetIsRefused()
    {
        var ex = Assert.Throws<InvalidSpecException>(() => PackagePath.Normalize("/usr/../../etc"));
        Assert.That(ex!.Message, Does.Contain("'..' is not allowed"));
    }

    [Test]
    public void HardLinksBecomeOneFileAndLinks()
    {
        string first = _temp.WriteFile("usr/bin/consul", "binary");
        ProcessResult linked = ProcessRunner.Run("ln", [first, _temp.Combine("usr/bin/consul-agent")]);
        Assert.That(linked.ExitCode, Is.Zero, linked.StdErr);
        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(_temp.Combine("usr"), "/usr");
        Assert.That(entries.Select(e => $"{e.Path} {e.Kind} {e.LinkTarget}"), Is.EqualTo(new[]
        {
            "/usr Directory ", "/usr/bin Directory ", "/usr/bin/consul File ", "/usr/bin/consul-agent HardLink /usr/bin/consul",
        }));
    }

    [Test]
    public void FifoIsRefusedWithoutOpeningIt()
    {
        string fifo = _temp.Combine("pipe");
        ProcessResult made = ProcessRunner.Run("mkfifo", [fifo]);
        Assert.That(made.ExitCode, Is.Zero, made.StdErr);
        var ex = Assert.Throws<PackageException>(() => StagingTree.Collect(_temp.Path, "/"));
        Assert.That(ex!.Message, Does.StartWith($"cannot package '{fifo}': it is a FIFO"));
    }

    [Test]
    public void AFileReplacedByAFifoAfterStagingIsRefusedWithoutBlocking()
    {
        string tool = _temp.WriteFile("tree/usr/bin/tool", "x");
        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(_temp.Combine("tree"), "/");
        File.Delete(tool);
        ProcessResult made = ProcessRunner.Run("mkfifo", [tool]);
        Assert.That(made.ExitCode, Is.Zero, made.StdErr);
        var ex = Assert.Throws<PackageException>(() => DebPackageWriter.WriteFile(Spec(entries), _temp.Combine("x.deb")));
        Assert.That(ex!.Message, Is.EqualTo($"'{tool}' (for /usr/bin/tool) is a FIFO (named pipe), not a regular file"));
        Assert.That(File.Exists(_temp.Combine("x.deb")), Is.False);
    }

    [Test]
    public void CollectsDotFilesAndNamesInOrdinalOrder()
    {
        _temp.WriteFile("b/.hidden", "h");
        _temp.WriteFile("b/Z", "z");
        _temp.WriteFile("b/a", "a");
        _temp.WriteFile(".env", "e");
        Directory.CreateDirectory(_temp.Combine(".config"));

        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(_temp.Path, "/opt/x");

        Assert.That(entries.Select(e => e.Path), Is.EqualTo(new[] { "/opt/x", "/opt/x/.config", "/opt/x/.env", "/opt/x/b", "/opt/x/b/.hidden", "/opt/x/b/Z", "/opt/x/b/a" }));
        Assert.That(entries.All(e => e.Owner == "root" && e.Group == "root"));
    }

    [Test]
    public void OwnerFromTheOptionsIsOnEveryEntry()
    {
        _temp.WriteFile("f", "x");

        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(_temp.Path, "/srv", new StagingOptions { Owner = "consul", Group = "consul" });

        Assert.That(entries.Select(e => (e.Path, e.Owner, e.Group)), Is.EqualTo(new[] { ("/srv", "consul", "consul"), ("/srv/f", "consul", "consul") }));
    }

    private static DebPackageSpec Spec(IReadOnlyList<PackageEntry> entries) => new()
    {
        Control = new ControlFile { Package = "tool", Version = DebianVersion.Parse("1.0"), Architecture = "all", Maintainer = "X <x@example.org>", Description = "x" },
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(0),
        Entries = entries,
    };
}
