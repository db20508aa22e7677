using System.Security.Cryptography;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Tests.Support;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary><c>extract</c> must give the tree <c>dpkg-deb -x</c> gives, and refuse to write outside the target.</summary>
[TestFixture]
public sealed class ExtractTests
{
    [TestCase("gzip")]
    [TestCase("none")]
    public void ExtractsTheSameTreeAsDpkgDeb(string compression)
    {
        string deb = PackageFixtures.Instance.Packages[compression];
        using var temp = new TempDirectory();
        string theirs = temp.Combine("theirs");
        string ours = temp.Combine("ours");
        DateTime start = DateTime.UtcNow.AddSeconds(-1);
        ProcessRunner.Run("dpkg-deb", ["-x", deb, theirs]).EnsureSuccess();
        using (DebPackageReader reader = DebPackageReader.Open(new ForwardOnlyStream(File.OpenRead(deb)), deb))
        {
            reader.ExtractTo(ours);
        }
        List<string> expected = Describe(theirs, directoryTimes: false);
        Assert.That(expected, Has.Count.GreaterThan(20));
        List<string> actual = Describe(ours, directoryTimes: false);
        Assert.That(actual.Except(expected), Is.Empty, "ours only");
        Assert.That(expected.Except(actual), Is.Empty, "dpkg-deb only");
        // GNU tar sets a directory's time when extraction leaves it, so one that gets a symlink
        // dpkg-deb queued last ends up with the time of extraction: the same directories do here.
        foreach (string directory in Directory.EnumerateDirectories(theirs, "*", SearchOption.AllDirectories))
        {
            DateTime their = Directory.GetLastWriteTimeUtc(directory);
            DateTime our = Directory.GetLastWriteTimeUtc(Path.Combine(ours, Path.GetRelativePath(theirs, directory)));
            Assert.That(their >= start ? our >= start : our == their, Is.True, $"{Path.GetRelativePath(theirs, directory)}: dpkg-deb {their:O}, ours {our:O}");
        }
    }

    private static IEnumerable<TestCaseData> Escapes()
    {
        yield return new TestCaseData(new RawTarBuilder().Add("./", '5', 0x1ed).Add("../escaped", data: "x"u8.ToArray()).Build(), "contains '..'").SetName("Refuses_dot_dot");
        yield return new TestCaseData(new RawTarBuilder().Add("./a/../../escaped", data: "x"u8.ToArray()).Build(), "contains '..'").SetName("Refuses_dot_dot_inside");
        yield return new TestCaseData(new RawTarBuilder().Add("/tmp/escaped", data: "x"u8.ToArray()).Build(), "absolute path").SetName("Refuses_absolute");
        yield return new TestCaseData(new RawTarBuilder().Add("./link", '2', 0x1ff, link: "OUTSIDE").Add("./link/escaped", data: "x"u8.ToArray()).Build(), "'link' is a symlink").SetName("Refuses_writing_through_symlink");
        yield return new TestCaseData(new RawTarBuilder().Add("./up", '2', 0x1ff, link: "..").Add("./up/escaped", data: "x"u8.ToArray()).Build(), "'up' is a symlink").SetName("Refuses_writing_through_relative_symlink");
        yield return new TestCaseData(new RawTarBuilder().Add("./link", '2', 0x1ff, link: "OUTSIDE").Add("./link/sub/", '5', 0x1ed).Build(), "'link' is a symlink").SetName("Refuses_directory_through_symlink");
        yield return new TestCaseData(new RawTarBuilder().Add("./link", '2', 0x1ff, link: "OUTSIDE").Add("./hard", '1', link: "./link/escaped").Build(), "is a symlink").SetName("Refuses_hard_link_through_symlink");
    }

    [TestCaseSource(nameof(Escapes))]
    public void RefusesEntriesThatWouldEscape(byte[] dataTar, string reason)
    {
        using var temp = new TempDirectory();
        string outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(temp.Combine("escaped"), "original");
        // dpkg-deb makes only the last directory of the target, as mkdir(1) would.
        string target = Directory.CreateDirectory(temp.Combine("target")).CreateSubdirectory("root").FullName;
        byte[] patched = PatchLinks(dataTar, outside);
        byte[] deb = RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.ControlTarGz()), ("data.tar", patched));

        using DebPackageReader reader = DebPackageReader.Open(new MemoryStream(deb), "evil.deb");
        InvalidPackageException error = Assert.Throws<InvalidPackageException>(() => reader.ExtractTo(target))!;

        Assert.That(error.Message, Does.StartWith("evil.deb: refusing to extract '"));
        Assert.That(error.Message, Does.Contain(reason));
        Assert.That(Directory.EnumerateFileSystemEntries(outside), Is.Empty);
        Assert.That(File.ReadAllText(temp.Combine("escaped")), Is.EqualTo("original"));
        Assert.That(File.Exists(Path.Combine(target, "escaped")), Is.False);
    }

    [Test]
    public void ReplacesASymlinkByAFileOfTheSameNameWithoutFollowingIt()
    {
        using var temp = new TempDirectory();
        string outside = temp.Combine("outside.txt");
        File.WriteAllText(outside, "original");
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./name", '2', 0x1ff, link: outside).Add("./name", data: "new"u8.ToArray()).Build();
        byte[] deb = RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.ControlTarGz()), ("data.tar", data));
        using DebPackageReader reader = DebPackageReader.Open(new MemoryStream(deb), "p.deb");
        reader.ExtractTo(temp.Combine("target"));
        Assert.That(File.ReadAllText(outside), Is.EqualTo("original"));
        Assert.That(File.ReadAllText(temp.Combine("target", "name")), Is.EqualTo("new"));
        Assert.That(new FileInfo(temp.Combine("target", "name")).LinkTarget, Is.Null);
    }

    [Test]
    public void ReplacesASymlinkByADirectoryOfTheSameNameWithoutTouchingItsTarget()
    {
        using var temp = new TempDirectory();
        string outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.SetUnixFileMode(outside, (UnixFileMode)0x1c0);
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./name", '2', 0x1ff, link: outside).Add("./name/", '5', 0x1ff, mtime: 86400).Build();
        byte[] deb = RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.ControlTarGz()), ("data.tar", data));
        using DebPackageReader reader = DebPackageReader.Open(new MemoryStream(deb), "p.deb");
        reader.ExtractTo(temp.Combine("target"));
        Assert.That(File.GetUnixFileMode(outside), Is.EqualTo((UnixFileMode)0x1c0));
        Assert.That(Directory.GetLastWriteTimeUtc(outside), Is.Not.EqualTo(DateTime.UnixEpoch.AddSeconds(86400)));
        Assert.That(new FileInfo(temp.Combine("target", "name")).LinkTarget, Is.Null);
        Assert.That(File.GetUnixFileMode(temp.Combine("target", "name")), Is.EqualTo((UnixFileMode)0x1ff));
    }

    /// <summary>Replaces the placeholder link target OUTSIDE by a real directory beside the target.</summary>
    private static byte[] PatchLinks(byte[] tar, string outside)
    {
        byte[] copy = (byte[])tar.Clone();
        byte[] marker = "OUTSIDE"u8.ToArray();
        for (int block = 0; block + 512 <= copy.Length; block += 512)
        {
            if (copy.AsSpan(block + 157, marker.Length).SequenceEqual(marker) && copy[block + 157 + marker.Length] == 0)
            {
                System.Text.Encoding.UTF8.GetBytes(outside).CopyTo(copy, block + 157);
                Array.Clear(copy, block + 148, 8);
                byte[] header = copy[block..(block + 512)];
                RawTarBuilder.SetChecksum(header);
                header.CopyTo(copy, block);
            }
        }
        return copy;
    }

    /// <summary>Every entry below <paramref name="root"/>: path, type, mode, size, mtime, content hash or link target.</summary>
    private static List<string> Describe(string root, bool directoryTimes)
    {
        var lines = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } link)
            {
                long linkTime = (long)(info.LastWriteTimeUtc - DateTime.UnixEpoch).TotalSeconds;
                lines.Add($"{relative} link -> {link} {linkTime}");
                continue;
            }
            UnixFileMode mode = File.GetUnixFileMode(path);
            long mtime = (long)(info.LastWriteTimeUtc - DateTime.UnixEpoch).TotalSeconds;
            string content = Directory.Exists(path)
                ? "dir"
                : $"{info.Length} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}";
            bool showTime = directoryTimes || !Directory.Exists(path);
            lines.Add($"{relative} {Convert.ToString((int)mode, 8)} {(showTime ? mtime : "-")} {content}");
        }
        return lines;
    }
}
