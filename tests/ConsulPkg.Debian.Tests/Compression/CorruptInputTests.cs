using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

/// <summary>
/// Every decoder, fed truncated, corrupted or foreign data, must raise a clear
/// <see cref="InvalidDataException"/> in bounded time: never hang, never return short data as
/// if it were complete. Each case is bounded by a timeout rather than a sleep.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class CorruptInputTests
{
    private static readonly byte[] Data = TestData.Mixed(400_000);

    private static IEnumerable<TestCaseData> Formats()
    {
        yield return new TestCaseData(CompressionFormat.Gzip, TestData.Compress(Data, CompressionFormat.Gzip)).SetArgDisplayNames("gzip");
        yield return new TestCaseData(CompressionFormat.Xz, TestData.Compress(Data, CompressionFormat.Xz, level: 1)).SetArgDisplayNames("xz");
        yield return new TestCaseData(CompressionFormat.Zstd, TestData.Compress(Data, CompressionFormat.Zstd)).SetArgDisplayNames("zstd");
        yield return new TestCaseData(CompressionFormat.Bzip2, TestData.RunTool("bzip2", Data, "-c").Stdout).SetArgDisplayNames("bzip2");
        yield return new TestCaseData(CompressionFormat.Lzma, TestData.RunTool("xz", Data, "-c", "-1", "--format=lzma").Stdout).SetArgDisplayNames("lzma");
    }

    [TestCaseSource(nameof(Formats))]
    [CancelAfter(30_000)]
    public void TruncatedInputRaises(CompressionFormat format, byte[] compressed)
    {
        Assert.That(TestData.Decompress(compressed, format), Is.EqualTo(Data), "the intact input decodes");
        foreach (int keep in new[] { 1, 5, 13, compressed.Length / 2, compressed.Length - 1 })
        {
            byte[] truncated = compressed[..keep];
            Assert.Throws<InvalidDataException>(() => TestData.Decompress(truncated, format), $"{format} cut to {keep} bytes");
        }
    }

    [TestCaseSource(nameof(Formats))]
    [CancelAfter(30_000)]
    public void CorruptedInputRaises(CompressionFormat format, byte[] compressed)
    {
        // Flip bits in the middle of the data and near the end (where the checks live).
        foreach (int at in new[] { compressed.Length / 3, compressed.Length / 2, compressed.Length - 6 })
        {
            byte[] corrupt = (byte[])compressed.Clone();
            corrupt[at] ^= 0x5A;
            Assert.Throws<InvalidDataException>(() => TestData.Decompress(corrupt, format), $"{format} with byte {at} flipped");
        }
    }

    [TestCaseSource(nameof(Formats))]
    [CancelAfter(30_000)]
    public void ForeignOrEmptyInputRaises(CompressionFormat format, byte[] compressed)
    {
        Assert.That(compressed, Is.Not.Empty);
        Assert.Throws<InvalidDataException>(() => TestData.Decompress([], format), "empty input");
        Assert.Throws<InvalidDataException>(() => TestData.Decompress(TestData.Mixed(5000), format), "not compressed at all");
    }

    [Test]
    [CancelAfter(30_000)]
    public void XzHeaderClaimingAHugeDictionaryIsRefusedNotAllocated()
    {
        // An .lzma header: properties byte, then a 4 GiB - 1 dictionary size, then an unknown length.
        byte[] header = [0x5D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];
        var e = Assert.Throws<InvalidDataException>(() => TestData.Decompress(header, CompressionFormat.Lzma));
        Assert.That(e!.Message, Does.Contain("MiB of memory"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void ZstdFrameClaimingAHugeWindowIsRefused()
    {
        // Frame header: magic, descriptor with a window descriptor of 2^41 (exponent 31), no checksum.
        byte[] frame = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0xF8, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00];
        var e = Assert.Throws<InvalidDataException>(() => TestData.Decompress(frame, CompressionFormat.Zstd));
        Assert.That(e!.Message, Does.StartWith("zstd:"));
    }
}
