using System.Text;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Reads a .deb the way dpkg-deb does (src/deb/extract.c): <c>debian-binary</c> first with a
/// format version 2.x, then <c>control.tar[.gz|.xz|.zst]</c>, then
/// <c>data.tar[.gz|.xz|.zst|.bz2|.lzma]</c>, with only <c>_</c>-prefixed members between them.
/// <para>
/// Opening reads the header and the (small) control member; the data member is streamed once,
/// by one of <see cref="WriteContents"/>, <see cref="ReadDataEntries"/> or <see cref="ExtractTo"/>.
/// Works on unseekable streams. Every problem with the file is a <see cref="PackageException"/>
/// whose message starts with the display name.
/// </para>
/// </summary>
public sealed class DebPackageReader : IDisposable
{
    private const string DebianBinaryMember = "debian-binary";
    private const string ControlMemberPrefix = "control.tar";
    private const string DataMemberPrefix = "data.tar";
    private const int MaxDebianBinarySize = 4096;

    private readonly Stream _stream;
    private readonly CountingReadStream? _counter;
    private readonly long? _knownSize;
    private readonly ArReader _ar;
    private bool _dataConsumed;
    private ControlFields? _fields;

    private DebPackageReader(Stream stream, string displayName, bool leaveOpen, bool keepControlFiles = false)
    {
        DisplayName = displayName;
        if (stream.CanSeek)
        {
            _stream = leaveOpen ? new NonClosingStream(stream) : stream;
            _knownSize = stream.Length;
        }
        else
        {
            _counter = new CountingReadStream(stream, leaveOpen);
            _stream = new BufferedStream(_counter, 1 << 16);
        }
        _ar = new ArReader(_stream, displayName);
        try
        {
            FormatVersion = ReadDebianBinary();
            (Control, ControlMemberSize, ControlCompression) = ReadControlMember(keepControlFiles);
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a package file. Errors name <paramref name="path"/> as given.</summary>
    public static DebPackageReader Open(string path) => Open(path, keepControlFiles: false);

    /// <summary>
    /// Opens a package file; with <paramref name="keepControlFiles"/> the control member's files
    /// (scripts, conffiles, triggers...) are kept in memory, as repackaging needs them.
    /// </summary>
    public static DebPackageReader Open(string path, bool keepControlFiles)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{path}: cannot open: {e.Message}", e);
        }
        return new DebPackageReader(file, path, leaveOpen: false, keepControlFiles);
    }

    /// <summary>Reads a package from any stream (seekable or not), naming it <paramref name="displayName"/> in errors.</summary>
    public static DebPackageReader Open(Stream stream, string displayName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        return new DebPackageReader(stream, displayName, leaveOpen);
    }

    /// <summary>How errors name the package.</summary>
    public string DisplayName { get; }

    /// <summary>The format version from debian-binary, e.g. (2, 0).</summary>
    public (int Major, int Minor) FormatVersion { get; }

    /// <summary>The unpacked control member.</summary>
    public ControlArchive Control { get; }

    /// <summary>Size in bytes of the control.tar* member as stored in the ar archive.</summary>
    public long ControlMemberSize { get; }

    public CompressionFormat ControlCompression { get; }

    /// <summary>The parsed control file (throws a <see cref="PackageException"/> when absent or malformed).</summary>
    public ControlFields Fields => _fields ??= ControlFields.Parse(
        Control.ControlFileBytes ?? throw Error("the control member has no 'control' file"),
        $"{DisplayName}: control");

    /// <summary>Writes what <c>dpkg-deb -I FILE</c> prints. On an unseekable stream this drains it to learn its size.</summary>
    public void WriteInfo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        InfoFormatter.Write(output, FormatVersion, PackageSize(), ControlMemberSize, Control);
    }

    /// <summary>
    /// Writes what <c>dpkg-deb -f FILE [FIELD...]</c> prints: the raw control file when no field
    /// is named, the value alone for one field, "Name: value" lines for several.
    /// </summary>
    public void WriteFields(Stream output, IReadOnlyList<string> fieldNames)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fieldNames);
        if (fieldNames.Count == 0)
        {
            output.Write(Control.ControlFileBytes ?? throw Error("the control member has no 'control' file"));
            return;
        }
        Fields.WriteFields(output, fieldNames);
    }

    /// <summary>Writes what <c>dpkg-deb -c FILE</c> prints. The options say the caller's time zone and locale.</summary>
    public void WriteContents(Stream output, ListingOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var formatter = new ContentsFormatter(options);
        var buffered = new BufferedStream(output, 1 << 16);
        foreach (TarEntry entry in ReadDataEntries())
        {
            formatter.WriteLine(entry, buffered);
        }
        buffered.Flush();
    }

    /// <summary>
    /// Streams the entries of the data member once. An entry's <see cref="TarEntry.OpenData"/> is
    /// valid until the enumeration moves on.
    /// </summary>
    public IEnumerable<TarEntry> ReadDataEntries()
    {
        if (_dataConsumed)
        {
            throw new InvalidOperationException("The data member of a package can be read only once per reader.");
        }
        _dataConsumed = true;
        return Enumerate();

        IEnumerable<TarEntry> Enumerate()
        {
            (ArMember member, CompressionFormat format) = FindDataMember();
            string where = $"{DisplayName}: {member.Name}";
            using Stream decompressed = OpenDecompressor(member, format, where);
            using var buffered = new BufferedStream(decompressed, 1 << 16);
            var guarded = new DecompressionGuard(buffered, where, member.Name);
            var tar = new TarReader(guarded, where, member.Name);
            while (tar.GetNextEntry() is { } entry)
            {
                yield return entry;
            }
            DrainMember(guarded, member);
        }
    }

    /// <summary>Extracts the data member into <paramref name="directory"/> like <c>dpkg-deb -x</c>, refusing escapes.</summary>
    public void ExtractTo(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        new DebExtractor(directory, DisplayName).Extract(ReadDataEntries());
    }

    public void Dispose() => _stream.Dispose();

    private long PackageSize()
    {
        if (_knownSize is { } size)
        {
            return size;
        }
        _dataConsumed = true;
        StreamSkipper.Skip(_stream, long.MaxValue);
        return _counter!.BytesRead;
    }

    private (int, int) ReadDebianBinary()
    {
        ArMember first = _ar.ReadNextMember() ?? throw Error("empty ar archive; not a Debian package");
        if (first.Name != DebianBinaryMember)
        {
            throw Error($"not a Debian binary package (first member is '{first.Name}', expected '{DebianBinaryMember}')");
        }
        if (first.Size > MaxDebianBinarySize)
        {
            throw Error($"member '{DebianBinaryMember}' is {first.Size} bytes; expected \"2.0\\n\"");
        }
        byte[] content = new byte[first.Size];
        StreamSkipper.ReadFully(first.Data, content);
        if (Array.IndexOf(content, (byte)'\n') < 0)
        {
            throw Error($"member '{DebianBinaryMember}' has no newline; expected \"2.0\\n\"");
        }
        int pos = 0;
        int major = ParseDigits(content, ref pos, out bool hasMajor);
        if (!hasMajor || pos >= content.Length || content[pos] != (byte)'.')
        {
            throw Error($"invalid format version '{Escape(content)}' in '{DebianBinaryMember}'; expected \"2.0\"");
        }
        pos++;
        int minor = ParseDigits(content, ref pos, out bool hasMinor);
        if (!hasMinor || (pos < content.Length && content[pos] is not ((byte)'\n' or 0)))
        {
            throw Error($"invalid format version '{Escape(content)}' in '{DebianBinaryMember}'; expected \"2.0\"");
        }
        if (major != 2)
        {
            throw Error($"package format version {major}.{minor} is not supported (only 2.x)");
        }
        return (major, minor);
    }

    private static int ParseDigits(byte[] content, ref int pos, out bool any)
    {
        int value = 0;
        int start = pos;
        while (pos < content.Length && content[pos] is >= (byte)'0' and <= (byte)'9' && pos - start < 9)
        {
            value = (value * 10) + (content[pos] - '0');
            pos++;
        }
        any = pos > start;
        return value;
    }

    private (ControlArchive, long, CompressionFormat) ReadControlMember(bool keepFiles)
    {
        while (true)
        {
            ArMember member = _ar.ReadNextMember() ?? throw Error($"no '{ControlMemberPrefix}' member; the package is truncated");
            if (member.Name.StartsWith('_'))
            {
                continue;
            }
            if (!member.Name.StartsWith(ControlMemberPrefix, StringComparison.Ordinal))
            {
                throw Error($"premature member '{member.Name}' before '{ControlMemberPrefix}'");
            }
            CompressionFormat format = FormatFromSuffix(member.Name, member.Name[ControlMemberPrefix.Length..]);
            if (!CompressionSettings.AllowedInControlMember(format))
            {
                throw Error($"member '{member.Name}' uses a compression dpkg does not accept for the control member (use gzip, xz, zstd or none)");
            }
            if (member.Size == 0)
            {
                throw Error($"zero-sized tar member '{member.Name}'");
            }
            string where = $"{DisplayName}: {member.Name}";
            using Stream decompressed = OpenDecompressor(member, format, where);
            var guarded = new DecompressionGuard(decompressed, where, member.Name);
            ControlArchive control = ControlArchive.Read(new TarReader(guarded, where, member.Name), where, keepFiles);
            DrainMember(guarded, member);
            return (control, member.Size, format);
        }
    }

    private (ArMember, CompressionFormat) FindDataMember()
    {
        while (true)
        {
            ArMember member = _ar.ReadNextMember() ?? throw Error($"no '{DataMemberPrefix}' member; the package is truncated");
            if (member.Name.StartsWith('_'))
            {
                continue;
            }
            if (member.Name.StartsWith(ControlMemberPrefix, StringComparison.Ordinal))
            {
                throw Error("two control members");
            }
            if (!member.Name.StartsWith(DataMemberPrefix, StringComparison.Ordinal))
            {
                throw Error($"premature member '{member.Name}' before '{DataMemberPrefix}'");
            }
            CompressionFormat format = FormatFromSuffix(member.Name, member.Name[DataMemberPrefix.Length..]);
            if (member.Size == 0)
            {
                throw Error($"zero-sized tar member '{member.Name}'");
            }
            return (member, format);
        }
    }

    /// <summary>
    /// After the tar end-of-archive: reads the decompressor to its end, so a member cut short
    /// (a gzip trailer or xz index missing) fails its format's own check as it does under
    /// dpkg-deb, then insists the ar member itself is complete, as dpkg's copier does.
    /// </summary>
    private static void DrainMember(Stream decompressed, ArMember member)
    {
        StreamSkipper.Skip(decompressed, long.MaxValue);
        ((BoundedReadStream)member.Data).SkipToEnd();
    }

    private CompressionFormat FormatFromSuffix(string memberName, string suffix) =>
        CompressionSettings.FromSuffix(suffix)
        ?? throw Error($"member '{memberName}' uses unknown compression '{suffix}' (expected {CompressionSettings.KnownSuffixes})");

    private static Stream OpenDecompressor(ArMember member, CompressionFormat format, string where)
    {
        try
        {
            return Compressors.OpenDecompressor(member.Data, format);
        }
        catch (NotSupportedException e)
        {
            throw new CodecException($"{where}: {format} decompression is not supported by this build ({e.Message})", e);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidPackageException($"{where}: corrupt compressed data ({e.Message})", member.Name, 0, e);
        }
    }

    private static string Escape(byte[] content)
    {
        var text = new StringBuilder();
        foreach (byte b in content.AsSpan(0, Math.Min(content.Length, 32)))
        {
            text.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        }
        return text.ToString();
    }

    private InvalidPackageException Error(string what) => new($"{DisplayName}: {what}");
}
