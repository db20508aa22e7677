using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class XzTests
{
    private const int SmallBlock = 64 * 1024;

    private static byte[] CompressWithBlock(byte[] data, int preset, int threads, ulong blockSize)
    {
        using var output = new MemoryStream();
        using (var xz = new XzEncoderStream(output, preset, threads, blockSize))
        {
            TestData.WriteInPieces(xz, data);
        }

        return output.ToArray();
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(SmallBlock - 1)]
    [TestCase(SmallBlock)]
    [TestCase(SmallBlock + 1)]
    [TestCase(3 * SmallBlock + 17)]
    public void RoundTripsAcrossBlockBoundariesAndPassesXz(int length)
    {
        byte[] data = TestData.Mixed(length);
        byte[] xz = CompressWithBlock(data, preset: 1, threads: 2, SmallBlock);

        Assert.That(TestData.Decompress(xz, CompressionFormat.Xz), Is.EqualTo(data));
        var test = TestData.RunTool("xz", xz, "-t", "--format=xz");
        Assert.That(test.ExitCode, Is.Zero, test.StdErr);
        var decoded = TestData.RunTool("xz", xz, "-dc", "--format=xz");
        Assert.That(decoded.ExitCode, Is.Zero, decoded.StdErr);
        Assert.That(decoded.StdOutBytes, Is.EqualTo(data));
    }

    [TestCase(0)]
    [TestCase(6)]
    [TestCase(9)]
    public void RoundTripsAtLevels(int level)
    {
        byte[] data = TestData.Mixed(3 << 20, seed: level);
        byte[] xz = TestData.Compress(data, CompressionFormat.Xz, level);

        Assert.That(TestData.Decompress(xz, CompressionFormat.Xz), Is.EqualTo(data));
        var decoded = TestData.RunTool("xz", xz, "-dc");
        Assert.That(decoded.StdOutBytes, Is.EqualTo(data), decoded.StdErr);
    }

    [Test]
    public void WritesACrc64CheckLikeXz()
    {
        byte[] xz = TestData.Compress(TestData.Mixed(1000), CompressionFormat.Xz);
        var list = TestData.RunTool("xz", xz, "--robot", "--list");
        Assert.That(list.ExitCode, Is.Zero, list.StdErr);
        Assert.That(System.Text.Encoding.ASCII.GetString(list.StdOutBytes), Does.Contain("\tCRC64\t"));
    }

    [Test]
    public void OutputDoesNotDependOnThreadCount()
    {
        // Five blocks, so two threads genuinely interleave them.
        byte[] data = TestData.Mixed((5 * SmallBlock) + 1234);
        byte[] one = CompressWithBlock(data, preset: 6, threads: 1, SmallBlock);
        byte[] two = CompressWithBlock(data, preset: 6, threads: 2, SmallBlock);
        byte[] eight = CompressWithBlock(data, preset: 6, threads: 8, SmallBlock);

        Assert.That(two, Is.EqualTo(one));
        Assert.That(eight, Is.EqualTo(one));
    }

    [Test]
    public void DefaultBlockSizeOutputDoesNotDependOnThreadCount()
    {
        // Just over two default blocks at the fastest preset: the block size is what decides the bytes.
        byte[] data = TestData.Text((int)(2 * XzEncoderStream.DefaultBlockSize) + 100);
        byte[] one = TestData.Compress(data, CompressionFormat.Xz, level: 0, threads: 1);
        byte[] two = TestData.Compress(data, CompressionFormat.Xz, level: 0, threads: 2);

        Assert.That(two, Is.EqualTo(one));
        Assert.That(TestData.Decompress(two, CompressionFormat.Xz), Is.EqualTo(data));
    }

    [Test]
    public void ReadsConcatenatedStreamsLikeXz()
    {
        byte[] a = TestData.Mixed(5000, seed: 1);
        byte[] b = TestData.Mixed(7000, seed: 2);
        byte[] both = [.. TestData.Compress(a, CompressionFormat.Xz), .. TestData.Compress(b, CompressionFormat.Xz)];

        Assert.That(TestData.Decompress(both, CompressionFormat.Xz), Is.EqualTo((byte[])[.. a, .. b]));
    }

    [Test]
    public void ReadsWhatXzWrites()
    {
        byte[] data = TestData.Mixed(300_000);
        var xz = TestData.RunTool("xz", data, "-c", "-3", "-T1");
        Assert.That(xz.ExitCode, Is.Zero, xz.StdErr);

        Assert.That(TestData.Decompress(xz.StdOutBytes, CompressionFormat.Xz), Is.EqualTo(data));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(300_000)]
    public void ReadsLegacyLzmaFromXz(int length)
    {
        byte[] data = TestData.Mixed(length);
        var lzma = TestData.RunTool("xz", data, "-c", "--format=lzma");
        Assert.That(lzma.ExitCode, Is.Zero, lzma.StdErr);

        Assert.That(TestData.Decompress(lzma.StdOutBytes, CompressionFormat.Lzma), Is.EqualTo(data));
    }

    [Test]
    public void RefusesAnOutOfRangeLevel()
    {
        var e = Assert.Throws<InvalidSpecException>(() => Compressors.OpenCompressor(Stream.Null, CompressionFormat.Xz, 10));
        Assert.That(e!.Message, Does.Contain("xz level 10").And.Contain("0 to 9"));
    }

    [Test]
    public void CapsThreadsToTheMemoryBudgetWithoutChangingTheBlockSize()
    {
        ulong perThread = XzEncoderStream.MemoryUsage(6, 1, XzEncoderStream.BlockSizeFor(6));
        Assert.That(perThread, Is.InRange(80UL << 20, 160UL << 20), "preset 6 with 8 MiB blocks");
        Assert.That(XzEncoderStream.ThreadsWithinBudget(6, 2, XzEncoderStream.BlockSizeFor(6)), Is.EqualTo(2));
        int many = XzEncoderStream.ThreadsWithinBudget(6, 64, XzEncoderStream.BlockSizeFor(6));
        Assert.That(many, Is.InRange(2, 63));
        Assert.That(XzEncoderStream.MemoryUsage(6, many, XzEncoderStream.BlockSizeFor(6)), Is.LessThanOrEqualTo(XzEncoderStream.MemoryBudget));
        Assert.That(XzEncoderStream.ThreadsWithinBudget(9, 64, XzEncoderStream.BlockSizeFor(9)), Is.GreaterThanOrEqualTo(1));
        Assert.That(XzEncoderStream.BlockSizeFor(9), Is.EqualTo(64UL << 20));
    }
}
