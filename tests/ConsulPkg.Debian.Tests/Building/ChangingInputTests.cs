using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Building;

/// <summary>
/// Input files that change between the moment the package is planned (sizes fixed, Installed-Size
/// and tar headers promised) and the moment they are read. The seam is the tar output: the
/// archive is written strictly in order, so a stream that changes the tree when the writer first
/// writes to it, or when it first writes file data, changes it at a known point with no timing.
/// </summary>
[TestFixture]
public sealed class ChangingInputTests
{
    private const int Big = 300 * 1024;
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void AFileReplacedByAFifoIsRefusedWithoutBlocking()
    {
        string b = _temp.WriteFile("b", "bee\n");
        string message = Refusal(layout: [("/a", _temp.WriteFile("a", "a\n")), ("/b", b)], whenWriting: _ =>
        {
            File.Delete(b);
            ProcessRunner.RunUtc("mkfifo", b).EnsureSuccess();
            return true;
        }, unblock: b);
        Assert.That(message, Is.EqualTo($"cannot package '{b}' (for /b): it was replaced while the package was written and is now a FIFO (named pipe), not a regular file"));
    }

    [Test]
    public void AFileWhoseSizeChangedBeforeItWasOpenedIsRefused()
    {
        string b = _temp.WriteFile("b", "bee\n");
        string message = Refusal(layout: [("/b", b)], whenWriting: _ =>
        {
            File.AppendAllText(b, "more\n");
            return true;
        });
        Assert.That(message, Is.EqualTo($"cannot package '{b}' (for /b): the file changed as we read it: it was 4 bytes when the package was planned and is 9 now"));
    }

    [Test]
    public void AFileThatGrowsWhileItIsReadIsRefused()
    {
        string b = WriteBig("b");
        string message = Refusal(layout: [("/b", b)], whenWriting: count =>
        {
            if (count <= 512)
            {
                return false; // a header: the first write of data comes after the first read
            }

            File.AppendAllText(b, "more\n");
            return true;
        });
        Assert.That(message, Is.EqualTo($"cannot package '{b}' (for /b): the file changed as we read it: it has more than the {Big} bytes its size says"));
    }

    [Test]
    public void AFileThatShrinksWhileItIsReadIsRefused()
    {
        string b = WriteBig("b");
        string message = Refusal(layout: [("/b", b)], whenWriting: count =>
        {
            if (count <= 512)
            {
                return false;
            }

            using var file = new FileStream(b, FileMode.Open, FileAccess.Write);
            file.SetLength(1000);
            return true;
        });
        Assert.That(message, Does.StartWith($"cannot package '{b}' (for /b): the file changed as we read it: it ended after "));
    }

    [Test]
    public void AProcFileWithSizeZeroButContentIsRefused()
    {
        // procfs reports 0 bytes for files it generates when read; GNU tar packs them empty.
        var ex = Assert.Throws<PackageException>(() => WritePackage(PackageEntry.FromFile("/status", "/proc/self/status")))!;
        Assert.That(ex.Message, Is.EqualTo("cannot package '/proc/self/status' (for /status): the file changed as we read it: its size is 0 bytes but it has content, as /proc files do: copy it to a regular file and package that"));
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }

    [Test]
    public void ASysFileShorterThanItsSizeIsRefused()
    {
        // sysfs reports a page (4096 bytes) for an attribute of a few bytes.
        const string Online = "/sys/devices/system/cpu/online";
        var ex = Assert.Throws<PackageException>(() => WritePackage(PackageEntry.FromFile("/online", Online)))!;
        Assert.That(ex.Message, Does.Match($@"^cannot package '{Online}' \(for /online\): the file changed as we read it: it ended after \d+ of the 4096 bytes its size says"));
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }

    [Test]
    public void AnEmptyRegularFileIsStillPackaged()
    {
        string empty = _temp.WriteFile("in/empty", "");
        string output = WritePackage(PackageEntry.FromFile("/usr/share/empty", empty), directory: "out");
        Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-c", output).EnsureSuccess().StdOut, Does.Contain(" 0 2016-12-05 16:53 ./usr/share/empty"));
    }

    private string WriteBig(string name)
    {
        string path = _temp.Combine(name);
        File.WriteAllBytes(path, new byte[Big]);
        return path;
    }

    private string WritePackage(PackageEntry entry, string? directory = null)
    {
        string output = Path.Combine(directory is null ? _temp.Path : Directory.CreateDirectory(_temp.Combine(directory)).FullName, "x.deb");
        DebPackageWriter.WriteFile(new DebPackageSpec { Control = TestTrees.Control(), Timestamp = TestTrees.Epoch, Entries = [entry] }, output);
        return output;
    }

    /// <summary>
    /// Plans the layout, then writes data.tar to a stream that calls <paramref name="whenWriting"/>
    /// with each write's length until it says it made its change; returns the refusal's message. A write that blocks (a FIFO opened for reading) fails the test after
    /// a minute and is then released by opening <paramref name="unblock"/> for writing.
    /// </summary>
    private static string Refusal((string Path, string Source)[] layout, Func<int, bool> whenWriting, string? unblock = null)
    {
        var plan = DataLayout.Create(layout.Select(e => PackageEntry.FromFile(e.Path, e.Source)), TestTrees.Epoch.ToUnixTimeSeconds());
        var output = new ChangingOutput(whenWriting);
        Task<string> write = Task.Run(() => DataArchive.Write(output, plan));
        if (!((IAsyncResult)write).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1)))
        {
            if (unblock is not null)
            {
                using var writer = new FileStream(unblock, FileMode.Open, FileAccess.Write);
            }

            Assert.Fail("the writer blocked on its input");
        }

        var ex = Assert.ThrowsAsync<PackageException>(async () => await write)!;
        return ex.Message;
    }

    /// <summary>An output that runs a change once, at the first write it accepts (by the write's length).</summary>
    private sealed class ChangingOutput(Func<int, bool> change) : MemoryStream
    {
        private bool _changed;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            base.Write(buffer);
            _changed = _changed || change(buffer.Length);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            _changed = _changed || change(count);
        }
    }
}
