using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class ZstdTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase((128 * 1024) - 1)]
    [TestCase(128 * 1024)]
    [TestCase((128 * 1024) + 1)]
    [TestCase(5_000_000)]
    public void RoundTripsAndPassesZstd(int length)
    {
        byte[] data = TestData.Mixed(length);
        byte[] zst = TestData.Compress(data, CompressionFormat.Zstd);

        Assert.That(TestData.Decompress(zst, CompressionFormat.Zstd), Is.EqualTo(data));
        var test = TestData.RunTool("zstd", zst, "-q", "-t");
        Assert.That(test.ExitCode, Is.Zero, test.StdErr);
        var decoded = TestData.RunTool("zstd", zst, "-q", "-dc");
        Assert.That(decoded.ExitCode, Is.Zero, decoded.StdErr);
        Assert.That(decoded.StdOutBytes, Is.EqualTo(data));
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(19)]
    public void RoundTripsAtLevels(int level)
    {
        byte[] data = TestData.Mixed(1 << 20, seed: level);
        byte[] zst = TestData.Compress(data, CompressionFormat.Zstd, level);

        Assert.That(TestData.Decompress(zst, CompressionFormat.Zstd), Is.EqualTo(data));
    }

    [Test]
    public void CarriesAContentChecksumLikeTheZstdTool()
    {
        byte[] zst = TestData.Compress(TestData.Mixed(1000), CompressionFormat.Zstd);
        var list = TestData.RunTool("zstd", zst, "-lv");
        Assert.That(list.ExitCode, Is.Zero, list.StdErr);
        Assert.That(System.Text.Encoding.ASCII.GetString(list.StdOutBytes), Does.Match(@"Check:\s+XXH64"));
    }

    [Test]
    public void OutputDoesNotDependOnThreadCount()
    {
        // Level 3 jobs are a few MiB: 24 MB gives several jobs in flight at once.
        byte[] data = TestData.Text(24 << 20);
        byte[] one = TestData.Compress(data, CompressionFormat.Zstd, threads: 1);
        byte[] two = TestData.Compress(data, CompressionFormat.Zstd, threads: 2);
        byte[] six = TestData.Compress(data, CompressionFormat.Zstd, threads: 6);

        Assert.That(two, Is.EqualTo(one));
        Assert.That(six, Is.EqualTo(one));
    }

    [Test]
    public void ReadsWhatZstdWritesIncludingConcatenatedFrames()
    {
        byte[] a = TestData.Mixed(200_000, seed: 1);
        byte[] b = TestData.Mixed(3000, seed: 2);
        var za = TestData.RunTool("zstd", a, "-q", "-c", "-19");
        var zb = TestData.RunTool("zstd", b, "-q", "-c", "--no-check");
        Assert.That(za.ExitCode + zb.ExitCode, Is.Zero, za.StdErr + zb.StdErr);

        Assert.That(TestData.Decompress([.. za.StdOutBytes, .. zb.StdOutBytes], CompressionFormat.Zstd), Is.EqualTo((byte[])[.. a, .. b]));
    }

    [Test]
    public void RefusesAnOutOfRangeLevel()
    {
        var e = Assert.Throws<InvalidSpecException>(() => Compressors.OpenCompressor(Stream.Null, CompressionFormat.Zstd, 0));
        Assert.That(e!.Message, Does.Contain("zstd level 0"));
    }
}
