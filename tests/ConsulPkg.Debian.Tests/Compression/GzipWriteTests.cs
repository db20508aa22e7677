using System.IO.Compression;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class GzipWriteTests
{
    private const int Block = 64 * 1024;

    private static byte[] CompressWithBlock(byte[] data, int level, int threads, int blockSize, out int backgroundBlocks)
    {
        using var output = new MemoryStream();
        var gzip = new ParallelGzipStream(output, level, threads, blockSize);
        using (gzip)
        {
            TestData.WriteInPieces(gzip, data);
        }

        backgroundBlocks = gzip.BackgroundBlocks;
        return output.ToArray();
    }

    private static void AssertEveryReaderAgrees(byte[] gz, byte[] data)
    {
        var test = TestData.RunTool("gzip", gz, "-t");
        Assert.That(test.ExitCode, Is.Zero, test.StdErr);
        var zcat = TestData.RunTool("zcat", gz);
        Assert.That(zcat.ExitCode, Is.Zero, zcat.StdErr);
        Assert.That(zcat.StdOutBytes, Is.EqualTo(data), "zcat");

        using (var bcl = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress))
        using (var decoded = new MemoryStream())
        {
            bcl.CopyTo(decoded);
            Assert.That(decoded.ToArray(), Is.EqualTo(data), "GZipStream");
        }

        Assert.That(TestData.Decompress(gz, CompressionFormat.Gzip), Is.EqualTo(data), "our reader");
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(Block - 1)]
    [TestCase(Block)]
    [TestCase(Block + 1)]
    [TestCase(2 * Block)]
    [TestCase((7 * Block) + 3)]
    public void RoundTripsAcrossBlockBoundaries(int length)
    {
        byte[] data = TestData.Mixed(length);
        byte[] gz = CompressWithBlock(data, 9, threads: 2, Block, out _);

        AssertEveryReaderAgrees(gz, data);
    }

    [Test]
    public void BlocksReachBackIntoThePreviousBlock()
    {
        // Incompressible 8 KiB pieces, each followed by a copy of itself: half the input is
        // random, half is long matches 8 KiB back. Starting at 4 KiB, one copy straddles every
        // 64 KiB block boundary; without the previous block's tail as a primer, its 4 KiB in
        // the new block would have nothing to match and cost 6% of the input in stored bytes.
        var random = new Random(5);
        var data = new byte[(16 * Block) + (4 * 1024)];
        random.NextBytes(data.AsSpan(0, 4 * 1024));
        for (int at = 4 * 1024; at < data.Length; at += 16 * 1024)
        {
            random.NextBytes(data.AsSpan(at, 8 * 1024));
            data.AsSpan(at, 8 * 1024).CopyTo(data.AsSpan(at + (8 * 1024)));
        }

        byte[] gz = CompressWithBlock(data, 9, threads: 2, Block, out int background);

        AssertEveryReaderAgrees(gz, data);
        Assert.That(background, Is.GreaterThan(0));
        Assert.That(gz.Length, Is.LessThan((data.Length / 2) + (data.Length / 100)));
    }

    [TestCase(1)]
    [TestCase(6)]
    [TestCase(9)]
    public void RoundTripsAtLevelsThroughTheFactory(int level)
    {
        byte[] data = TestData.Mixed(3_000_000, seed: level);
        byte[] gz = TestData.Compress(data, CompressionFormat.Gzip, level);

        AssertEveryReaderAgrees(gz, data);
    }

    [Test]
    public void HeaderIsLikeGzipMinusN()
    {
        byte[] gz = TestData.Compress(TestData.Mixed(100), CompressionFormat.Gzip);

        // magic, deflate, no flags (no name), mtime 0, XFL 2 (level 9), OS 3 (Unix).
        Assert.That(gz[..10], Is.EqualTo(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 2, 3 }));
        var list = TestData.RunTool("gzip", gz, "-lv");
        Assert.That(list.ExitCode, Is.Zero, list.StdErr);
    }

    [Test]
    public void OutputDoesNotDependOnThreadCount()
    {
        byte[] data = TestData.Mixed((9 * Block) + 5);
        byte[] one = CompressWithBlock(data, 9, threads: 1, Block, out int oneBackground);
        byte[] two = CompressWithBlock(data, 9, threads: 2, Block, out int twoBackground);
        byte[] five = CompressWithBlock(data, 9, threads: 5, Block, out _);

        Assert.That(two, Is.EqualTo(one));
        Assert.That(five, Is.EqualTo(one));
        Assert.That(oneBackground, Is.Zero, "one thread compresses inline");
        Assert.That(twoBackground, Is.EqualTo(9), "all but the last block go to workers");
    }

    [Test]
    public void DefaultBlockSizeOutputDoesNotDependOnThreadCount()
    {
        byte[] data = TestData.Mixed((3 * ParallelGzipStream.DefaultBlockSize) + 1);
        byte[] one = TestData.Compress(data, CompressionFormat.Gzip, level: 6, threads: 1);
        byte[] two = TestData.Compress(data, CompressionFormat.Gzip, level: 6, threads: 2);

        Assert.That(two, Is.EqualTo(one));
        AssertEveryReaderAgrees(two, data);
    }

    [Test]
    public void AnInputOfOneBlockStartsNoWorker()
    {
        byte[] data = TestData.Mixed(Block);
        byte[] gz = CompressWithBlock(data, 9, threads: 4, Block, out int background);

        Assert.That(background, Is.Zero);
        Assert.That(TestData.Decompress(gz, CompressionFormat.Gzip), Is.EqualTo(data));
    }

    [Test]
    public void SizeStaysWithinOnePercentOfGzip9()
    {
        byte[] data = TestData.Mixed(6 << 20);
        byte[] ours = TestData.Compress(data, CompressionFormat.Gzip);
        var reference = TestData.RunTool("gzip", data, "-9", "-n", "-c");
        Assert.That(reference.ExitCode, Is.Zero, reference.StdErr);

        Assert.That((double)ours.Length, Is.LessThanOrEqualTo(reference.StdOutBytes.Length * 1.01));
    }

    [Test]
    public void AFailingOutputSurfacesAndDisposeDoesNotHang()
    {
        byte[] data = TestData.Mixed(12 * Block);
        using var output = new FailingStream();
        var gzip = new ParallelGzipStream(output, 9, threads: 2, Block);

        Assert.Throws<IOException>(() =>
        {
            TestData.WriteInPieces(gzip, data);
            gzip.Dispose();
        });
        gzip.Dispose();
    }

    [Test]
    public void RefusesAnOutOfRangeLevel()
    {
        var e = Assert.Throws<InvalidSpecException>(() => Compressors.OpenCompressor(Stream.Null, CompressionFormat.Gzip, 10));
        Assert.That(e!.Message, Is.EqualTo("gzip level 10 is out of range; use 0 to 9"));
    }

    [Test]
    public void LevelZeroStoresAndGzipReadsIt()
    {
        // fpm documents --deb-compression-level 0 as "none or minimal"; zlib's level 0 stores.
        byte[] data = TestData.Mixed(300_000);
        using var compressed = new MemoryStream();
        using (Stream gzip = Compressors.OpenCompressor(compressed, CompressionFormat.Gzip, 0))
        {
            gzip.Write(data);
        }

        var gunzip = TestData.RunTool("gzip", compressed.ToArray(), "-dc");
        Assert.Multiple(() =>
        {
            Assert.That(gunzip.ExitCode, Is.Zero, gunzip.StdErr);
            Assert.That(gunzip.StdOutBytes, Is.EqualTo(data));
            Assert.That(compressed.Length, Is.GreaterThan(data.Length), "stored, not compressed");
        });
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("disk full");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");
    }
}
