using System.Globalization;
using System.Runtime.InteropServices;
using ConsulPkg.Debian.Interop;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Tests.IO;

/// <summary>
/// <see cref="FileStatus"/> reads <c>struct statx</c> through named fields (<see cref="StatxBuffer"/>):
/// the layout is the kernel's, and every field read agrees with what coreutils' stat(1) says of
/// the same file.
/// </summary>
[TestFixture]
public sealed class FileStatusTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void TheStructHasTheKernelsLayout()
    {
        // linux/stat.h: 256 bytes on every architecture; these offsets are the ones FileStatus reads.
        Assert.Multiple(() =>
        {
            Assert.That(Marshal.SizeOf<StatxBuffer>(), Is.EqualTo(256));
            Assert.That(Offset(nameof(StatxBuffer.LinkCount)), Is.EqualTo(16));
            Assert.That(Offset(nameof(StatxBuffer.Uid)), Is.EqualTo(20));
            Assert.That(Offset(nameof(StatxBuffer.Gid)), Is.EqualTo(24));
            Assert.That(Offset(nameof(StatxBuffer.Mode)), Is.EqualTo(28));
            Assert.That(Offset(nameof(StatxBuffer.Inode)), Is.EqualTo(32));
            Assert.That(Offset(nameof(StatxBuffer.Size)), Is.EqualTo(40));
            Assert.That(Offset(nameof(StatxBuffer.ModificationTime)), Is.EqualTo(112));
            Assert.That(Offset(nameof(StatxBuffer.DevMajor)), Is.EqualTo(136));
            Assert.That(Offset(nameof(StatxBuffer.DevMinor)), Is.EqualTo(140));
        });
    }

    [Test]
    public void EveryFieldAgreesWithStat()
    {
        string file = _temp.WriteFile("file", "twelve bytes", (UnixFileMode)0b110_100_000);
        File.CreateSymbolicLink(_temp.Combine("link"), "file");
        File.SetLastWriteTimeUtc(file, new DateTime(2016, 12, 5, 16, 53, 0, DateTimeKind.Utc));
        ProcessRunner.Run("ln", file, _temp.Combine("hard")).EnsureSuccess();
        ProcessRunner.Run("mkfifo", _temp.Combine("fifo")).EnsureSuccess();

        foreach ((string name, UnixFileType type) in new[] { ("file", UnixFileType.Regular), ("link", UnixFileType.Symlink), (".", UnixFileType.Directory), ("fifo", UnixFileType.Fifo) })
        {
            string path = _temp.Combine(name);
            FileStatus status = FileStatus.Get(path, followSymlink: false);
            // raw mode (hex), size, links, inode, uid, gid, mtime, device major and minor.
            string[] stat = ProcessRunner.Run("stat", "-c", "%f %s %h %i %u %g %Y %Hd %Ld", path).EnsureSuccess().StdOut.Split(' ', StringSplitOptions.TrimEntries);
            int rawMode = int.Parse(stat[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.Multiple(() =>
            {
                Assert.That(status.Type, Is.EqualTo(type), name);
                Assert.That(status.Mode, Is.EqualTo(rawMode & 0xFFF), name);
                Assert.That(status.Size, Is.EqualTo(long.Parse(stat[1], CultureInfo.InvariantCulture)), name);
                Assert.That(status.LinkCount, Is.EqualTo(long.Parse(stat[2], CultureInfo.InvariantCulture)), name);
                Assert.That(status.Inode, Is.EqualTo(ulong.Parse(stat[3], CultureInfo.InvariantCulture)), name);
                Assert.That(status.Uid, Is.EqualTo(uint.Parse(stat[4], CultureInfo.InvariantCulture)), name);
                Assert.That(status.Gid, Is.EqualTo(uint.Parse(stat[5], CultureInfo.InvariantCulture)), name);
                Assert.That(status.MTime, Is.EqualTo(long.Parse(stat[6], CultureInfo.InvariantCulture)), name);
                Assert.That(status.Device, Is.EqualTo((ulong.Parse(stat[7], CultureInfo.InvariantCulture) << 32) | ulong.Parse(stat[8], CultureInfo.InvariantCulture)), name);
            });
        }

        Assert.That(FileStatus.Get(file).LinkCount, Is.EqualTo(2), "the hard link counts");
        Assert.That(FileStatus.Get(_temp.Combine("link")).Type, Is.EqualTo(UnixFileType.Regular), "followed, the link is its target");
    }

    [Test]
    public void AMissingPathIsNamed()
    {
        string missing = _temp.Combine("no", "such");
        var e = Assert.Throws<FileNotFoundException>(() => FileStatus.Get(missing));
        Assert.That(e!.Message, Is.EqualTo($"'{missing}' does not exist"));
    }

    private static int Offset(string field) => (int)Marshal.OffsetOf<StatxBuffer>(field);
}
