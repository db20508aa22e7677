using System.Text;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Tests.Support;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary>The raw entries TarReader exposes, read from archives GNU tar writes.</summary>
[TestFixture]
public sealed class TarReaderTests
{
    [TestCase("gnu")]
    [TestCase("pax")]
    [TestCase("ustar")]
    public void ExposesEntriesAsGnuTarWroteThem(string format)
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("root");
        string deep = Path.Combine(root, new string('d', 60), new string('e', 60));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(root, "afile"), "payload");
        File.CreateSymbolicLink(Path.Combine(root, "sym"), "target/of/link");
        ProcessRunner.Run("ln", [Path.Combine(root, "afile"), Path.Combine(deep, "hard")]).EnsureSuccess();
        string tar = temp.Combine("a.tar");
        ProcessRunner.Run("tar", [$"--format={format}", "--sort=name", "--owner=builder:1500", "--group=builders:1600", "--mtime=@1234567890", "-C", root, "-cf", tar, "."]).EnsureSuccess();

        using FileStream stream = File.OpenRead(tar);
        var reader = new TarReader(new ForwardOnlyStream(stream), "a.tar");
        var entries = new List<(TarEntry Entry, string Data)>();
        while (reader.GetNextEntry() is { } entry)
        {
            using var text = new StreamReader(entry.OpenData(), Encoding.UTF8, leaveOpen: true);
            entries.Add((entry, text.ReadToEnd()));
        }

        string deepName = $"./{new string('d', 60)}/{new string('e', 60)}/hard";
        (TarEntry file, string data) = entries.Single(e => e.Entry.Name == "./afile");
        Assert.That(data, Is.EqualTo("payload"));
        Assert.That(file.EntryType, Is.EqualTo(TarEntryType.RegularFile));
        Assert.That(file.Size, Is.EqualTo(7));
        Assert.That((file.Uid, file.Gid, file.UserName, file.GroupName), Is.EqualTo((1500L, 1600L, "builder", "builders")));
        Assert.That(file.ModificationTime, Is.EqualTo(1234567890));
        Assert.That(entries.Single(e => e.Entry.Name == "./sym").Entry.LinkName, Is.EqualTo("target/of/link"));
        TarEntry hard = entries.Single(e => e.Entry.Name == deepName).Entry;
        Assert.That((hard.EntryType, hard.LinkName, hard.Size), Is.EqualTo((TarEntryType.HardLink, "./afile", 0L)));
        Assert.That(entries.Count(e => e.Entry.EntryType == TarEntryType.Directory), Is.EqualTo(3));
    }

    [Test]
    public void RejectsACorruptChecksumNamingTheArchiveAndBlock()
    {
        byte[] tar = new RawTarBuilder().Add("./a", data: "x"u8.ToArray()).Add("./b").Build();
        tar[1024 + 3] ^= 1;
        var reader = new TarReader(new MemoryStream(tar), "t.tar");
        Assert.That(reader.GetNextEntry()!.Name, Is.EqualTo("./a"));
        InvalidPackageException error = Assert.Throws<InvalidPackageException>(() => reader.GetNextEntry())!;
        Assert.That(error.Message, Does.StartWith("t.tar: corrupt tar header at block 2 "), "blocks count from 0: header, data, header");
    }
}
