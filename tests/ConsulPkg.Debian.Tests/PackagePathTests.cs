namespace ConsulPkg.Debian.Tests;

/// <summary>The one set of rules for a path on the target system, and the other for member names read from an archive.</summary>
[TestFixture]
public sealed class PackagePathTests
{
    [TestCase("/usr//bin/./x/", "/usr/bin/x", "usr/bin/x")]
    [TestCase("/", "/", "")]
    [TestCase("//./", "/", "")]
    public void ParseNormalises(string given, string absolute, string relative)
    {
        PackagePath path = PackagePath.Parse(given);
        Assert.Multiple(() =>
        {
            Assert.That(path.Absolute, Is.EqualTo(absolute));
            Assert.That(path.Relative, Is.EqualTo(relative));
            Assert.That(path.IsRoot, Is.EqualTo(absolute == "/"));
        });
    }

    [TestCase("usr/bin/x", "must be absolute")]
    [TestCase("/usr/../etc/passwd", "'..' is not allowed")]
    [TestCase("/usr/a\nb", "NUL or newline")]
    [TestCase("/usr/a\0b", "NUL or newline")]
    public void ParseRefusesWithTheReason(string given, string reason)
    {
        var ex = Assert.Throws<InvalidSpecException>(() => PackagePath.Parse(given))!;
        Assert.That(ex.Message, Does.Contain(reason).And.Not.Contain('\n'));
    }

    [Test]
    public void RelativeFromRootAndNavigation()
    {
        PackagePath path = PackagePath.ParseFromRoot("etc/app/app.conf");
        Assert.Multiple(() =>
        {
            Assert.That(path.Absolute, Is.EqualTo("/etc/app/app.conf"));
            Assert.That(path.Parent.Absolute, Is.EqualTo("/etc/app"));
            Assert.That(PackagePath.Parse("/etc").Parent, Is.EqualTo(PackagePath.Root));
            Assert.That(PackagePath.Parse("/etc").Combine("app/./x"), Is.EqualTo(PackagePath.Parse("/etc/app/x")));
            Assert.That(path.IsWithin(PackagePath.Parse("/etc")), Is.True);
            Assert.That(PackagePath.Parse("/etcetera").IsWithin(PackagePath.Parse("/etc")), Is.False);
            Assert.That(() => PackagePath.ParseFromRoot("../x"), Throws.TypeOf<InvalidSpecException>());
        });
    }

    [Test]
    public void ArchiveSegmentsAreBytesAndKeepWhatAReaderMustJudge()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PackagePath.ArchiveSegments("./usr//bin/."u8), Is.EqualTo(new[] { "usr"u8.ToArray(), "bin"u8.ToArray() }));
            byte[] latin1 = [.. "/../caf"u8, 0xe9];
            Assert.That(PackagePath.ArchiveSegments(latin1), Is.EqualTo(new[] { ".."u8.ToArray(), new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xe9 } }));
            Assert.That(PackagePath.ArchiveSegments("./"u8), Is.Empty);
        });
    }
}
