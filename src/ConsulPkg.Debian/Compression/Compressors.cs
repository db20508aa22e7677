using System.IO.Compression;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Maps a <see cref="CompressionFormat"/> to the stream that writes or reads it, and to the
/// member-name suffix dpkg expects. One switch per direction, throwing on anything unknown.
/// </summary>
public static class Compressors
{
    /// <summary>The suffix dpkg gives a member of this compression: "", ".gz", ".xz", ".zst", ...</summary>
    public static string Suffix(CompressionFormat format) => format switch
    {
        CompressionFormat.None => "",
        CompressionFormat.Gzip => ".gz",
        CompressionFormat.Xz => ".xz",
        CompressionFormat.Zstd => ".zst",
        CompressionFormat.Bzip2 => ".bz2",
        CompressionFormat.Lzma => ".lzma",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown compression"),
    };

    /// <summary>The default level of each writable format, as dpkg-deb and fpm use them.</summary>
    public static int DefaultLevel(CompressionFormat format) => format switch
    {
        CompressionFormat.None => 0,
        CompressionFormat.Gzip => 9,
        CompressionFormat.Xz => 6,
        CompressionFormat.Zstd => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "this compression can only be read, not written"),
    };

    /// <summary>
    /// Opens a stream that compresses into <paramref name="output"/>. Disposing it finishes the
    /// compressed stream but leaves <paramref name="output"/> open.
    /// </summary>
    public static Stream OpenCompressor(Stream output, CompressionFormat format, int? level = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        int lvl = level ?? DefaultLevel(format);
        return format switch
        {
            CompressionFormat.None => new NonClosingStream(output),
            CompressionFormat.Gzip => new GZipStream(output, GzipLevel(lvl), leaveOpen: true),
            CompressionFormat.Xz => throw new NotSupportedException("xz compression is not available yet"),
            CompressionFormat.Zstd => throw new NotSupportedException("zstd compression is not available yet"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "this compression can only be read, not written"),
        };
    }

    /// <summary>
    /// Opens a stream that decompresses <paramref name="input"/>. Disposing it leaves
    /// <paramref name="input"/> open.
    /// </summary>
    public static Stream OpenDecompressor(Stream input, CompressionFormat format)
    {
        ArgumentNullException.ThrowIfNull(input);
        return format switch
        {
            CompressionFormat.None => new NonClosingStream(input),
            CompressionFormat.Gzip => new GZipStream(input, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new NotSupportedException($"{format} decompression is not available yet"),
        };
    }

    private static CompressionLevel GzipLevel(int level) => level switch
    {
        <= 0 => CompressionLevel.NoCompression,
        <= 5 => CompressionLevel.Fastest,
        <= 8 => CompressionLevel.Optimal,
        _ => CompressionLevel.SmallestSize,
    };
}
