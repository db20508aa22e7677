using ConsulPkg.Debian.Interop;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Maps a <see cref="CompressionFormat"/> to the stream that writes or reads it, and to the
/// member-name suffix dpkg expects. One switch per direction, throwing on anything unknown.
/// Every writer's output depends only on the data, the format and the level, never on the
/// number of cores: the thread count changes the speed, not the bytes.
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
        CompressionFormat.Bzip2 => throw BzipNotWritable(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "this compression can only be read, not written"),
    };

    /// <summary>
    /// Opens a stream that compresses into <paramref name="output"/>. Disposing it finishes the
    /// compressed stream but leaves <paramref name="output"/> open.
    /// </summary>
    /// <param name="output">Where the compressed bytes go.</param>
    /// <param name="format">The compression; <see cref="CompressionFormat.Bzip2"/> and <see cref="CompressionFormat.Lzma"/> are refused.</param>
    /// <param name="level">Within <see cref="LevelRange"/>; null for <see cref="DefaultLevel"/>.</param>
    /// <param name="threads">How many cores to use; null for all of them. Never changes the output.</param>
    public static Stream OpenCompressor(Stream output, CompressionFormat format, int? level = null, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread");
        }

        int lvl = level ?? DefaultLevel(format);
        int cores = threads ?? Environment.ProcessorCount;
        return format switch
        {
            CompressionFormat.None => new NonClosingStream(output),
            CompressionFormat.Gzip => OpenGzip(output, lvl, cores),
            CompressionFormat.Xz => OpenXz(output, lvl, cores),
            CompressionFormat.Zstd => OpenZstd(output, lvl, cores),
            CompressionFormat.Bzip2 => throw BzipNotWritable(),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "this compression can only be read, not written"),
        };
    }

    /// <summary>
    /// Opens a stream that decompresses <paramref name="input"/>. Disposing it leaves
    /// <paramref name="input"/> open. Corrupt or truncated data raises
    /// <see cref="InvalidDataException"/> when it is read.
    /// </summary>
    public static Stream OpenDecompressor(Stream input, CompressionFormat format)
    {
        ArgumentNullException.ThrowIfNull(input);
        return format switch
        {
            CompressionFormat.None => new NonClosingStream(input),
            CompressionFormat.Gzip => new GzipDecoderStream(input),
            CompressionFormat.Xz => new LzmaDecoderStream(input, alone: false),
            CompressionFormat.Lzma => new LzmaDecoderStream(input, alone: true),
            CompressionFormat.Zstd => new ZstdDecoderStream(input),
            CompressionFormat.Bzip2 => new Bzip2DecoderStream(input),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown compression"),
        };
    }

    /// <summary>
    /// The names a command line may give a writable compression: gz/gzip, xz, zst/zstd, none
    /// (as fpm and dpkg-deb spell them); null for anything else.
    /// </summary>
    public static CompressionFormat? ParseName(string? name) => name switch
    {
        "gz" or "gzip" => CompressionFormat.Gzip,
        "xz" => CompressionFormat.Xz,
        "zst" or "zstd" => CompressionFormat.Zstd,
        "none" => CompressionFormat.None,
        _ => null,
    };

    /// <summary>
    /// The levels <paramref name="format"/>'s encoder accepts, the one place they are decided:
    /// gzip 0 (stored, as zlib and fpm allow) to 9, xz 0 to 9, zstd 1 to libzstd's maximum.
    /// </summary>
    public static (int Min, int Max) LevelRange(CompressionFormat format) => format switch
    {
        CompressionFormat.None => (0, 0),
        CompressionFormat.Gzip => (0, 9),
        CompressionFormat.Xz => (0, 9),
        CompressionFormat.Zstd => (1, LibZstd.MaxCLevel()),
        CompressionFormat.Bzip2 => throw BzipNotWritable(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "this compression can only be read, not written"),
    };

    private static void CheckLevel(CompressionFormat format, int level)
    {
        (int min, int max) = LevelRange(format);
        if (level < min || level > max)
        {
            throw new InvalidSpecException("compression level", $"{format.ToString().ToLowerInvariant()} level {level} is out of range; use {min} to {max}");
        }
    }

    private static ParallelGzipStream OpenGzip(Stream output, int level, int threads)
    {
        CheckLevel(CompressionFormat.Gzip, level);
        return new ParallelGzipStream(output, level, threads);
    }

    private static XzEncoderStream OpenXz(Stream output, int level, int threads)
    {
        CheckLevel(CompressionFormat.Xz, level);
        return new XzEncoderStream(output, level, threads);
    }

    private static ZstdEncoderStream OpenZstd(Stream output, int level, int threads)
    {
        CheckLevel(CompressionFormat.Zstd, level);
        return new ZstdEncoderStream(output, level, threads);
    }

    private static PackageException BzipNotWritable() =>
        new("bzip2 is not supported for writing; use gz, xz or zst");
}
