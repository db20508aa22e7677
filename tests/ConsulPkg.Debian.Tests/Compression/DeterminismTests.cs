using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

/// <summary>
/// The tar writer hands the compressor pieces of whatever size it has: the bytes written must
/// not depend on how the input was split into writes, nor on the thread count.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class DeterminismTests
{
    [TestCase(CompressionFormat.Gzip, 100)]
    [TestCase(CompressionFormat.Gzip, 3_000_000)]
    [TestCase(CompressionFormat.Xz, 100)]
    [TestCase(CompressionFormat.Xz, 3_000_000)]
    [TestCase(CompressionFormat.Zstd, 100)]
    [TestCase(CompressionFormat.Zstd, 300_000)]
    [TestCase(CompressionFormat.Zstd, 3_000_000)]
    public void OutputDoesNotDependOnHowWritesAreSplit(CompressionFormat format, int length)
    {
        byte[] data = TestData.Text(length);
        int? level = format == CompressionFormat.Xz ? 1 : null;

        byte[] inPieces = TestData.Compress(data, format, level, threads: 2);
        byte[] oneWrite;
        using (var output = new MemoryStream())
        {
            using (Stream compressor = Compressors.OpenCompressor(output, format, level, threads: 1))
            {
                compressor.Write(data);
            }

            oneWrite = output.ToArray();
        }

        Assert.That(oneWrite, Is.EqualTo(inPieces));
        Assert.That(TestData.Decompress(oneWrite, format), Is.EqualTo(data));
    }
}
