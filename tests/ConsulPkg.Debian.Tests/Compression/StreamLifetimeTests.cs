using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Compression;

/// <summary>
/// The native streams own their library state through SafeHandles: disposing frees it once (a
/// second dispose is harmless), and a stream used after disposal says so instead of handing a
/// freed pointer to the library.
/// </summary>
[TestFixture]
public sealed class StreamLifetimeTests
{
    private static readonly byte[] Data = TestData.Mixed(300_000);

    [TestCase(CompressionFormat.Gzip)]
    [TestCase(CompressionFormat.Xz)]
    [TestCase(CompressionFormat.Zstd)]
    public void ADisposedDecoderRefusesToRead(CompressionFormat format)
    {
        using var input = new MemoryStream(TestData.Compress(Data, format));
        Stream decoder = Compressors.OpenDecompressor(input, format);
        byte[] buffer = new byte[1000];
        decoder.ReadExactly(buffer);
        decoder.Dispose();
        decoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => decoder.ReadExactly(buffer));
    }

    [TestCase(CompressionFormat.Xz)]
    [TestCase(CompressionFormat.Zstd)]
    public void ADisposedEncoderRefusesToWriteAndItsStreamIsComplete(CompressionFormat format)
    {
        using var output = new MemoryStream();
        Stream encoder = Compressors.OpenCompressor(output, format, level: null, threads: 2);
        encoder.Write(Data);
        encoder.Dispose();
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Write(Data));
        Assert.That(TestData.Decompress(output.ToArray(), format), Is.EqualTo(Data), "the first dispose finished the stream, the second added nothing");
    }

    [TestCase(CompressionFormat.Gzip)]
    [TestCase(CompressionFormat.Xz)]
    [TestCase(CompressionFormat.Zstd)]
    public void DecodersLeftToTheCollectorAreFreedWithoutHarm(CompressionFormat format)
    {
        byte[] compressed = TestData.Compress(Data, format);
        for (int i = 0; i < 50; i++)
        {
            // Not disposed: the SafeHandles' finalizers free the native state.
            Stream decoder = Compressors.OpenDecompressor(new MemoryStream(compressed), format);
            decoder.ReadExactly(new byte[100]);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(TestData.Decompress(compressed, format), Is.EqualTo(Data), "the libraries still work after those releases");
    }
}
