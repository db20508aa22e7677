using ConsulPkg.Debian.Interop;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Maps a <see cref="CompressionFormat"/> to the stream that writes or reads it: one switch per
/// direction, throwing on anything unknown. What each format is called, its suffix and its
/// levels are <see cref="CompressionSettings"/>' table.
/// Every writer's output depends only on the data, the format and the level, never on the
/// number of cores: the thread count changes the speed, not the bytes.
/// </summary>
public static class Compressors
{
    /// <summary>
    /// Opens a stream that compresses into <paramref name="output"/>. Disposing it finishes the
    /// compressed stream but leaves <paramref name="output"/> open.
    /// </summary>
    /// <param name="output">Where the compressed bytes go.</param>
    /// <param name="format">The compression; a read-only one (bzip2, lzma) is refused.</param>
    /// <param name="level">Within <see cref="CompressionSettings.LevelRange"/>; null for the format's default.</param>
    /// <param name="threads">How many cores to use; null for all of them. Never changes the output.</param>
    public static Stream OpenCompressor(Stream output, CompressionFormat format, int? level = null, int? threads = null) =>
        OpenCompressor(output, CompressionSettings.Create(format, level), threads);

    /// <summary>
    /// Uncompressed bytes per xz block for a text index of a few megabytes (an apt Packages file):
    /// at preset 6 a 5.5 MB index is 2% larger than in one block (1% more than in 1 MiB blocks),
    /// but its blocks compress on every core and each encoder's dictionary is 512 KiB: about 6 MB
    /// per thread where 1 MiB blocks needed 11.5 MB, which kept a publish of 10,000 packages
    /// above 100 MB peak.
    /// </summary>
    public const int SmallXzBlockSize = 1 << 19;

    /// <summary>Opens a stream that compresses into <paramref name="output"/> with <paramref name="settings"/>, checked when they were made.</summary>
    /// <param name="xzBlockSize">For xz only: the fixed block size instead of the preset's (<see cref="SmallXzBlockSize"/>); the output still never depends on the cores.</param>
    public static Stream OpenCompressor(Stream output, CompressionSettings settings, int? threads = null, int? xzBlockSize = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(settings);
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread");
        }

        int cores = threads ?? Environment.ProcessorCount;
        return settings.Format switch
        {
            CompressionFormat.None => new NonClosingStream(output),
            CompressionFormat.Gzip => new ParallelGzipStream(output, settings.Level, cores, strategy: settings.Strategy),
            CompressionFormat.Xz => new XzEncoderStream(output, settings.Level, cores,
                xzBlockSize is { } block ? (ulong)block : XzEncoderStream.BlockSizeFor(settings.Level), extreme: settings.Strategy == CompressionStrategy.Extreme),
            CompressionFormat.Zstd => new ZstdEncoderStream(output, settings.Level, cores),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings, "this compression can only be read, not written"),
        };
    }

    /// <summary>
    /// Opens a stream that decompresses <paramref name="input"/>. Disposing it leaves
    /// <paramref name="input"/> open. Corrupt or truncated data raises
    /// <see cref="InvalidDataException"/> when it is read.
    /// </summary>
    /// <param name="input">The compressed bytes.</param>
    /// <param name="format">Their format.</param>
    /// <param name="asDpkg">
    /// Read as dpkg's own decompressors read a package member (lib/dpkg/compress.c): xz and zstd
    /// stop after their first stream or frame and ignore what follows, zstd input that ends
    /// inside its frame ends the data there without complaint, and gzip input that is not gzip
    /// passes through unchanged (zlib's gzread). Otherwise concatenated streams are read and a
    /// truncated or foreign one is an error, as the xz, zstd and gzip tools do.
    /// </param>
    public static Stream OpenDecompressor(Stream input, CompressionFormat format, bool asDpkg = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return format switch
        {
            CompressionFormat.None => new NonClosingStream(input),
            CompressionFormat.Gzip => new GzipDecoderStream(input, transparent: asDpkg),
            CompressionFormat.Xz => new LzmaDecoderStream(input, alone: false, concatenated: !asDpkg),
            CompressionFormat.Lzma => new LzmaDecoderStream(input, alone: true),
            CompressionFormat.Zstd => new ZstdDecoderStream(input, firstFrameOnly: asDpkg),
            CompressionFormat.Bzip2 => new Bzip2DecoderStream(input),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown compression"),
        };
    }
}
