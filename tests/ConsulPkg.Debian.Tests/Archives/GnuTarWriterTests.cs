using ConsulPkg.Debian.Archives;

namespace ConsulPkg.Debian.Tests.Archives;

/// <summary>The tar writer refuses to write a header whose promise the data does not keep.</summary>
[TestFixture]
public sealed class GnuTarWriterTests
{
    private static TarEntryHeader File(long size) =>
        new("./usr/bin/tool", TarFieldLayout.TypeRegular, 0b111_101_101, 0, 0, "root", "root", size, 1_480_956_780);

    [Test]
    public void ASourceThatEndsEarlyIsNamed()
    {
        using var tar = new GnuTarWriter(new MemoryStream());
        var ex = Assert.Throws<PackageException>(() => tar.WriteEntry(File(10), new MemoryStream(new byte[4])))!;
        Assert.That(ex.Message, Is.EqualTo("./usr/bin/tool: the file shrank while it was being packaged (4 of 10 bytes read)"));
    }

    [Test]
    public void ASourceLongerThanItsHeaderIsNamed()
    {
        using var tar = new GnuTarWriter(new MemoryStream());
        var ex = Assert.Throws<PackageException>(() => tar.WriteEntry(File(10), new MemoryStream(new byte[11])))!;
        Assert.That(ex.Message, Is.EqualTo("./usr/bin/tool: the file grew while it was being packaged (expected 10 bytes)"));
    }

    [Test]
    public void AnArMemberOverTheFormatsLimitIsRefused()
    {
        var ex = Assert.Throws<InvalidSpecException>(() => ArWriter.FormatHeader("data.tar.xz", 0, 10_000_000_000))!;
        Assert.That(ex.Message, Does.Contain("data.tar.xz").And.Contain("10000000000"));
    }
}
