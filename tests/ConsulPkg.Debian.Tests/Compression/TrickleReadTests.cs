using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Tests.Compression;

/// <summary>
/// Decoders read from pipes and ar members that hand out a few bytes at a time and cannot
/// seek. Each format is decoded through such a stream, with multi-member or multi-frame input
/// where the format allows it, so every buffer boundary in the decoders is crossed.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class TrickleReadTests
{
    private static readonly byte[] First = TestData.Mixed(150_000, seed: 3);
    private static readonly byte[] Second = TestData.Mixed(20_000, seed: 4);

    private static IEnumerable<TestCaseData> Inputs()
    {
        yield return Case(CompressionFormat.Gzip, [.. TestData.Compress(First, CompressionFormat.Gzip), .. TestData.Compress(Second, CompressionFormat.Gzip)], [.. First, .. Second]);
        yield return Case(CompressionFormat.Xz, [.. TestData.Compress(First, CompressionFormat.Xz, 1), .. TestData.Compress(Second, CompressionFormat.Xz, 1)], [.. First, .. Second]);
        yield return Case(CompressionFormat.Zstd, [.. TestData.Compress(First, CompressionFormat.Zstd), .. TestData.Compress(Second, CompressionFormat.Zstd)], [.. First, .. Second]);
        yield return Case(CompressionFormat.Bzip2, TestData.RunTool("bzip2", First, "-c").StdOutBytes, First);
        yield return Case(CompressionFormat.Lzma, TestData.RunTool("xz", First, "-c", "--format=lzma").StdOutBytes, First);
        yield return Case(CompressionFormat.None, First, First);
    }

    private static TestCaseData Case(CompressionFormat format, byte[] compressed, byte[] expected) =>
        new TestCaseData(format, compressed, expected).SetArgDisplayNames(format.ToString());

    [TestCaseSource(nameof(Inputs))]
    public void DecodesThroughAnUnseekableTrickle(CompressionFormat format, byte[] compressed, byte[] expected)
    {
        // On a task with a deadline, so a decoder that spins on short reads fails instead of stalling the run.
        Task<(byte[] Decoded, int ReadAfterEnd)> decode = Task.Run(() => DecodeTrickled(format, compressed));
        Assert.That(((IAsyncResult)decode).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), Is.True, "still decoding after 60 s");

        Assert.That(decode.Result.Decoded, Is.EqualTo(expected));
        Assert.That(decode.Result.ReadAfterEnd, Is.Zero, "stays at the end");
    }

    private static (byte[] Decoded, int ReadAfterEnd) DecodeTrickled(CompressionFormat format, byte[] compressed)
    {
        using var input = new TrickleStream(compressed);
        using Stream decoder = Compressors.OpenDecompressor(input, format);
        using var output = new MemoryStream();
        var buffer = new byte[3001];
        int n;
        while ((n = decoder.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return (output.ToArray(), decoder.Read(buffer, 0, buffer.Length));
    }

    /// <summary>Hands out 1 to 7 bytes per read, and cannot seek.</summary>
    private sealed class TrickleStream(byte[] data) : ReadOnlyForwardStream
    {
        private int _position;
        private int _turn;

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, (_turn++ % 7) + 1), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
