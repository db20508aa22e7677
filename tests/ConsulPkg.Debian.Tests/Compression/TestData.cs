using System.Text;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Compression;

/// <summary>Deterministic inputs, round-trip helpers and a runner for the real command-line tools.</summary>
internal static class TestData
{
    private static readonly string[] Words =
    [
        "consul", "agent", "server", "client", "gossip", "raft", "leader", "follower", "serf",
        "datacenter", "0x7f3a", "bootstrap", "encrypt", "retry_join", "\n", "{", "}", "=",
    ];

    /// <summary>
    /// <paramref name="length"/> bytes that compress roughly like a program: text-like runs
    /// mixed with incompressible stretches. Same seed, same bytes.
    /// </summary>
    public static byte[] Mixed(int length, int seed = 42)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        int i = 0;
        while (i < length)
        {
            if (random.Next(4) == 0)
            {
                int n = Math.Min(length - i, random.Next(16, 512));
                random.NextBytes(bytes.AsSpan(i, n));
                i += n;
            }
            else
            {
                byte[] word = Encoding.ASCII.GetBytes(Words[random.Next(Words.Length)] + " ");
                int n = Math.Min(length - i, word.Length);
                word.AsSpan(0, n).CopyTo(bytes.AsSpan(i));
                i += n;
            }
        }

        return bytes;
    }

    /// <summary>
    /// <paramref name="length"/> bytes of word soup: compresses fast at every level, for tests
    /// that need many blocks rather than realistic ratios.
    /// </summary>
    public static byte[] Text(int length, int seed = 7)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        int i = 0;
        while (i < length)
        {
            byte[] word = Encoding.ASCII.GetBytes(Words[random.Next(Words.Length)] + " ");
            int n = Math.Min(length - i, word.Length);
            word.AsSpan(0, n).CopyTo(bytes.AsSpan(i));
            i += n;
        }

        return bytes;
    }

    public static byte[] Compress(byte[] data, CompressionFormat format, int? level = null, int? threads = null)
    {
        using var output = new MemoryStream();
        using (Stream compressor = Compressors.OpenCompressor(output, format, level, threads))
        {
            WriteInPieces(compressor, data);
        }

        return output.ToArray();
    }

    /// <summary>Writes in uneven pieces, so the writers see partial blocks and odd sizes.</summary>
    public static void WriteInPieces(Stream stream, byte[] data)
    {
        int offset = 0;
        int piece = 1;
        while (offset < data.Length)
        {
            int n = Math.Min(piece, data.Length - offset);
            stream.Write(data, offset, n);
            offset += n;
            piece = piece * 7 % 200_003 + 1;
        }
    }

    public static byte[] Decompress(byte[] compressed, CompressionFormat format)
    {
        using var input = new MemoryStream(compressed);
        using Stream decompressor = Compressors.OpenDecompressor(input, format);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// Runs a real tool on <paramref name="input"/> (written to a temporary file, named by the
    /// last argument).
    /// </summary>
    public static ProcessResult RunTool(string tool, byte[] input, params string[] arguments)
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("input");
        File.WriteAllBytes(path, input);
        return ProcessRunner.Run(tool, [.. arguments, path]);
    }
}
