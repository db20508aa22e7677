using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class GzipReadTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(65_535)]
    [TestCase(65_537)]
    [TestCase(2_000_000)]
    public void ReadsWhatGzipWrites(int length)
    {
        byte[] data = TestData.Mixed(length);
        var gz = TestData.RunTool("gzip", data, "-c", "-9", "-n");
        Assert.That(gz.ExitCode, Is.Zero, gz.StdErr);

        Assert.That(TestData.Decompress(gz.StdOutBytes, CompressionFormat.Gzip), Is.EqualTo(data));
    }

    [Test]
    public void ReadsConcatenatedMembersAndIgnoresTrailingBytesLikeGzip()
    {
        byte[] a = TestData.Mixed(70_000, seed: 1);
        byte[] b = TestData.Mixed(1, seed: 2);
        byte[] za = TestData.RunTool("gzip", a, "-c").StdOutBytes;
        byte[] zb = TestData.RunTool("gzip", b, "-c").StdOutBytes;

        Assert.That(TestData.Decompress([.. za, .. zb], CompressionFormat.Gzip), Is.EqualTo((byte[])[.. a, .. b]));
        Assert.That(TestData.Decompress([.. za, 0, 0, 0], CompressionFormat.Gzip), Is.EqualTo(a));
        Assert.That(TestData.Decompress([.. za, 0x1F], CompressionFormat.Gzip), Is.EqualTo(a));
    }

    [Test]
    public void ASecondMemberCutShortRaises()
    {
        byte[] za = TestData.RunTool("gzip", TestData.Mixed(5000, seed: 1), "-c").StdOutBytes;
        byte[] zb = TestData.RunTool("gzip", TestData.Mixed(5000, seed: 2), "-c").StdOutBytes;

        var e = Assert.Throws<InvalidDataException>(() => TestData.Decompress([.. za, .. zb[..^3]], CompressionFormat.Gzip));
        Assert.That(e!.Message, Is.EqualTo("gzip: compressed data is truncated"));
    }
}
