using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class Bzip2Tests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(899_999)]
    [TestCase(900_001)]
    [TestCase(3_000_000)]
    public void ReadsWhatBzip2Writes(int length)
    {
        byte[] data = TestData.Mixed(length);
        var bz = TestData.RunTool("bzip2", data, "-c", "-9");
        Assert.That(bz.ExitCode, Is.Zero, bz.StdErr);

        Assert.That(TestData.Decompress(bz.StdOutBytes, CompressionFormat.Bzip2), Is.EqualTo(data));
    }

    [Test]
    public void RefusesToWriteBzip2WithAFix()
    {
        var e = Assert.Throws<InvalidSpecException>(() => Compressors.OpenCompressor(Stream.Null, CompressionFormat.Bzip2));
        Assert.That(e!.Message, Is.EqualTo("bzip2 compression can only be read, not written: use gzip, xz, zstd or none"));
    }

    [Test]
    public void RefusesToWriteLzma()
    {
        Assert.Throws<InvalidSpecException>(() => Compressors.OpenCompressor(Stream.Null, CompressionFormat.Lzma));
    }
}
