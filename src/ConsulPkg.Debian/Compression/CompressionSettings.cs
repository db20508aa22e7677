using ConsulPkg.Debian.Interop;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// How the members of a package are compressed: a format and a level, checked against the
/// format's codec when made, so a setting its encoder would refuse never reaches the encoder.
/// The one value <c>build</c>, <c>fpm</c> and the writer pass around. The facts per format
/// (command-line names, member suffix, levels, what dpkg accepts where) are the rows of one
/// table here, which the reader's member-name check uses too.
/// </summary>
public sealed record CompressionSettings
{
    /// <summary>One row per compression a .deb member can carry.</summary>
    /// <param name="Names">How a command line may name it (fpm's and dpkg-deb's spellings); none for a read-only format.</param>
    /// <param name="Levels">The levels its encoder accepts, or null when it is only read.</param>
    /// <param name="DefaultLevel">The level dpkg-deb and fpm use when none is given.</param>
    /// <param name="InControlMember">dpkg accepts it for control.tar (bzip2 and lzma only ever compressed data.tar).</param>
    private sealed record Codec(
        CompressionFormat Format, string Suffix, string[] Names, Func<(int Min, int Max)>? Levels, int DefaultLevel, bool InControlMember);

    private static readonly Codec[] Codecs =
    [
        new(CompressionFormat.None, "", ["none"], () => (0, 0), 0, true),

        // Level 0 is stored blocks, as zlib and fpm allow ("0 is none or minimal").
        new(CompressionFormat.Gzip, ".gz", ["gz", "gzip"], () => (0, 9), 9, true),
        new(CompressionFormat.Xz, ".xz", ["xz"], () => (0, 9), 6, true),

        // The maximum is libzstd's own, asked of the library this process loaded.
        new(CompressionFormat.Zstd, ".zst", ["zst", "zstd"], () => (1, LibZstd.MaxCLevel()), 3, true),
        new(CompressionFormat.Bzip2, ".bz2", [], null, 0, false),
        new(CompressionFormat.Lzma, ".lzma", [], null, 0, false),
    ];

    private CompressionSettings(CompressionFormat format, int level)
    {
        Format = format;
        Level = level;
    }

    /// <summary>gzip at level 9: what dpkg-deb and fpm write by default.</summary>
    public static CompressionSettings Default { get; } = Create(CompressionFormat.Gzip);

    public CompressionFormat Format { get; }

    /// <summary>Within <see cref="LevelRange"/> of <see cref="Format"/>; 0 for no compression.</summary>
    public int Level { get; }

    /// <summary>The suffix dpkg gives a member of this compression: "", ".gz", ".xz", ".zst".</summary>
    public string Suffix => SuffixOf(Format);

    /// <summary>
    /// Settings for a writable format; <paramref name="level"/> null is its default level. A
    /// read-only format or a level outside the codec's range is an <see cref="InvalidSpecException"/>.
    /// </summary>
    public static CompressionSettings Create(CompressionFormat format, int? level = null)
    {
        Codec codec = Of(format);
        if (codec.Levels is null)
        {
            throw new InvalidSpecException($"{Name(format)} compression can only be read, not written: use gzip, xz, zstd or none");
        }

        int chosen = level ?? codec.DefaultLevel;
        (int min, int max) = codec.Levels();
        if (chosen < min || chosen > max)
        {
            throw new InvalidSpecException($"{Name(format)} level {chosen} is out of range; use {min} to {max}");
        }

        return new CompressionSettings(format, chosen);
    }

    /// <summary>
    /// The format a command line names: gz/gzip, xz, zst/zstd, none (as fpm and dpkg-deb spell
    /// them); null for anything else, read-only formats included.
    /// </summary>
    public static CompressionFormat? ParseName(string? name) =>
        Array.Find(Codecs, c => Array.IndexOf(c.Names, name) >= 0)?.Format;

    /// <summary>The names <see cref="ParseName"/> accepts, one per format, for messages: "gz, xz, zst or none".</summary>
    public static string WritableNames
    {
        get
        {
            string[] names = [.. Codecs.Where(c => c.Names.Length > 0 && c.Format != CompressionFormat.None).Select(c => c.Names[0])];
            return string.Join(", ", names) + " or none";
        }
    }

    /// <summary>The levels <paramref name="format"/>'s encoder accepts; a read-only format is an <see cref="InvalidSpecException"/>.</summary>
    public static (int Min, int Max) LevelRange(CompressionFormat format) =>
        Of(format).Levels?.Invoke()
        ?? throw new InvalidSpecException($"{Name(format)} compression can only be read, not written: use gzip, xz, zstd or none");

    /// <summary>The suffix dpkg gives a member of <paramref name="format"/>, read-only formats included: "", ".gz", ".bz2", ...</summary>
    public static string SuffixOf(CompressionFormat format) => Of(format).Suffix;

    /// <summary>The format of a member named <c>PREFIX + suffix</c> ("" for none, ".gz", ...), or null for an unknown suffix.</summary>
    public static CompressionFormat? FromSuffix(string suffix) =>
        Array.Find(Codecs, c => c.Suffix == suffix)?.Format;

    /// <summary>Every suffix <see cref="FromSuffix"/> knows, for messages: ".gz, .xz, .zst, .bz2, .lzma or none".</summary>
    public static string KnownSuffixes => string.Join(", ", Codecs.Where(c => c.Suffix.Length > 0).Select(c => c.Suffix)) + " or none";

    /// <summary>Whether dpkg accepts this compression for the control member (control.tar).</summary>
    public static bool AllowedInControlMember(CompressionFormat format) => Of(format).InControlMember;

    /// <summary>
    /// Opens a stream that compresses into <paramref name="output"/> with these settings;
    /// disposing it finishes the compressed stream but leaves <paramref name="output"/> open.
    /// </summary>
    /// <param name="threads">How many cores to use; null for all of them. Never changes the output.</param>
    public Stream OpenCompressor(Stream output, int? threads = null) => Compressors.OpenCompressor(output, Format, Level, threads);

    public override string ToString() => $"{Name(Format)} level {Level}";

    private static string Name(CompressionFormat format) => format.ToString().ToLowerInvariant();

    private static Codec Of(CompressionFormat format) =>
        Array.Find(Codecs, c => c.Format == format)
        ?? throw new ArgumentOutOfRangeException(nameof(format), format, "unknown compression");
}
