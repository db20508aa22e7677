using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

/// <summary>
/// Every decoder, fed truncated, corrupted or foreign data, must raise a clear
/// <see cref="InvalidDataException"/> in bounded time: never hang, never return short data as
/// if it were complete. Each decode runs on a task awaited with a deadline, so a decoder that
/// spins fails the test instead of stalling the run.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class CorruptInputTests
{
    private static readonly byte[] Data = TestData.Mixed(400_000);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Decodes on a task; asserts it ends within <see cref="Deadline"/> and returns what it raised.</summary>
    private static InvalidDataException Raises(byte[] input, CompressionFormat format, string what)
    {
        Task<byte[]> decode = Task.Run(() => TestData.Decompress(input, format));
        bool ended = ((IAsyncResult)decode).AsyncWaitHandle.WaitOne(Deadline);
        Assert.That(ended, Is.True, $"{what}: still decoding after {Deadline.TotalSeconds} s");
        Assert.That(decode.Exception?.InnerException, Is.InstanceOf<InvalidDataException>(), what);
        return (InvalidDataException)decode.Exception!.InnerException!;
    }

    private static IEnumerable<TestCaseData> Formats()
    {
        yield return new TestCaseData(CompressionFormat.Gzip, TestData.Compress(Data, CompressionFormat.Gzip)).SetArgDisplayNames("gzip");
        yield return new TestCaseData(CompressionFormat.Xz, TestData.Compress(Data, CompressionFormat.Xz, level: 1)).SetArgDisplayNames("xz");
        yield return new TestCaseData(CompressionFormat.Zstd, TestData.Compress(Data, CompressionFormat.Zstd)).SetArgDisplayNames("zstd");
        yield return new TestCaseData(CompressionFormat.Bzip2, TestData.RunTool("bzip2", Data, "-c").StdOutBytes).SetArgDisplayNames("bzip2");
        yield return new TestCaseData(CompressionFormat.Lzma, TestData.RunTool("xz", Data, "-c", "-1", "--format=lzma").StdOutBytes).SetArgDisplayNames("lzma");
    }

    [TestCaseSource(nameof(Formats))]
    public void TruncatedInputRaises(CompressionFormat format, byte[] compressed)
    {
        Assert.That(TestData.Decompress(compressed, format), Is.EqualTo(Data), "the intact input decodes");
        foreach (int keep in new[] { 1, 5, 13, compressed.Length / 2, compressed.Length - 1 })
        {
            byte[] truncated = compressed[..keep];
            Raises(truncated, format, $"{format} cut to {keep} bytes");
        }
    }

    [TestCaseSource(nameof(Formats))]
    public void CorruptedInputRaises(CompressionFormat format, byte[] compressed)
    {
        // Flip bits in the middle of the data and near the end (where the checks live).
        foreach (int at in new[] { compressed.Length / 3, compressed.Length / 2, compressed.Length - 6 })
        {
            byte[] corrupt = (byte[])compressed.Clone();
            corrupt[at] ^= 0x5A;
            Raises(corrupt, format, $"{format} with byte {at} flipped");
        }
    }

    [TestCaseSource(nameof(Formats))]
    public void ForeignOrEmptyInputRaises(CompressionFormat format, byte[] compressed)
    {
        Assert.That(compressed, Is.Not.Empty);
        Raises([], format, "empty input");
        Raises(TestData.Mixed(5000), format, "not compressed at all");
    }

    [Test]
    public void XzHeaderClaimingAHugeDictionaryIsRefusedNotAllocated()
    {
        // An .lzma header: properties byte, then a 4 GiB - 1 dictionary size, then an unknown length.
        byte[] header = [0x5D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];
        var e = Raises(header, CompressionFormat.Lzma, "lzma header with a 4 GiB dictionary");
        Assert.That(e.Message, Does.Contain("MiB of memory"));
    }

    [Test]
    public void ZstdFrameClaimingAHugeWindowIsRefused()
    {
        // Frame header: magic, descriptor with a window descriptor of 2^41 (exponent 31), no checksum.
        byte[] frame = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0xF8, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00];
        var e = Raises(frame, CompressionFormat.Zstd, "zstd frame with a 2 TiB window");
        Assert.That(e.Message, Does.StartWith("zstd:"));
    }
}
