using System.Text;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>One member of a package's container as read: its name, its declared size and, for the control and data members, their compression.</summary>
public sealed record PackageMember(string Name, long Size, CompressionFormat? Compression = null);

/// <summary>
/// Reads a .deb the way dpkg-deb does (src/deb/extract.c). The format 2.x: an ar archive with
/// <c>debian-binary</c> first, then <c>control.tar[.gz|.xz|.zst]</c>, then
/// <c>data.tar[.gz|.xz|.zst|.bz2|.lzma]</c>, with only <c>_</c>-prefixed members (signatures such
/// as debsigs' <c>_gpgorigin</c>) before or between them, which are skipped as dpkg-deb skips
/// them and listed in <see cref="Members"/>. The old format 0.939000: a line with the version, a
/// line with the control member's size, the gzip control member, the gzip data member.
/// <para>
/// Opening reads only the header. The control member is read when first needed, and skipped
/// unread when only the data is wanted (as dpkg-deb -c and -x do, so a damaged control member
/// does not stop them); the data member is streamed once. Works on unseekable streams. Every
/// problem with the file is a <see cref="PackageException"/> whose message starts with the
/// display name.
/// </para>
/// </summary>
public sealed class DebPackageReader : IDisposable
{
    private const string DebianBinaryMember = "debian-binary";
    private const string ControlMemberPrefix = "control.tar";
    private const string DataMemberPrefix = "data.tar";
    private const int MaxDebianBinarySize = 4096;

    /// <summary>The first line of an old-format package starts so; dpkg-deb reads only 0.939000 of them.</summary>
    private const string OldFormatPrefix = "0.93";

    private readonly Stream _stream;
    private readonly CountingReadStream? _counter;
    private readonly long? _declaredSize;
    private readonly bool _keepControlFiles;
    private readonly ArReader? _ar;
    private readonly List<PackageMember> _members = [];
    private readonly Stream _controlData;
    private readonly long _oldFormatHeaderLength;
    private ControlArchive? _control;
    private ControlFields? _fields;
    private bool _keptAll;
    private Stage _stage = Stage.ControlPending;

    private enum Stage { ControlPending, ControlDone, DataTaken }

    private DebPackageReader(Stream stream, string displayName, bool leaveOpen, long? declaredSize, bool keepControlFiles)
    {
        DisplayName = displayName;
        _keepControlFiles = keepControlFiles;
        if (stream.CanSeek)
        {
            _stream = leaveOpen ? new NonClosingStream(stream) : stream;
            _declaredSize = declaredSize ?? stream.Length;
        }
        else
        {
            _counter = new CountingReadStream(stream, leaveOpen);
            _stream = new BufferedStream(_counter, 1 << 16);
            _declaredSize = declaredSize;
        }
        try
        {
            string firstLine = ReadLine(8, "archive magic version number");
            if (firstLine == Encoding.Latin1.GetString(ArReader.Magic))
            {
                _ar = new ArReader(_stream, displayName, magicRead: true);
                FormatVersion = ReadDebianBinary();
                ArMember control = FindControlMember();
                (ControlMemberSize, ControlCompression, ControlMemberName, _controlData) = (control.Size, FormatOf(control), control.Name, control.Data);
            }
            else if (firstLine.StartsWith(OldFormatPrefix, StringComparison.Ordinal))
            {
                FormatVersion = ReadOldFormatVersion(firstLine);
                string sizeLine = ReadLine(1, "archive control member size");
                ControlMemberSize = ParseOldControlSize(sizeLine);
                ControlCompression = CompressionFormat.Gzip;
                ControlMemberName = "control.tar.gz";
                _oldFormatHeaderLength = firstLine.Length + sizeLine.Length;
                _controlData = new BoundedReadStream(_stream, ControlMemberSize,
                    $"{displayName}: truncated control member (the header declares {ControlMemberSize} bytes, the file ends sooner)");
                _members.Add(new PackageMember(ControlMemberName, ControlMemberSize, CompressionFormat.Gzip));
            }
            else
            {
                throw Error(firstLine.StartsWith("!<arch>", StringComparison.Ordinal)
                    ? "not a Debian format archive (corrupted ar magic: was it downloaded in ASCII mode?)"
                    : "not a Debian format archive (missing ar magic \"!<arch>\")");
            }
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
    /// <paramref name="progress"/> hears how far into the file reading has come, plus
    /// <paramref name="progressBefore"/> (the bytes of files read before it in the same work).
    /// </summary>
    public static DebPackageReader Open(string path, bool keepControlFiles, IByteProgress? progress = null, long progressBefore = 0)
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
        Stream stream = progress is null ? file : new ProgressReadStream(file, progress, progressBefore);
        return new DebPackageReader(stream, path, leaveOpen: false, declaredSize: null, keepControlFiles);
    }

    /// <summary>Reads a package from any stream (seekable or not), naming it <paramref name="displayName"/> in errors.</summary>
    public static DebPackageReader Open(Stream stream, string displayName, bool leaveOpen = false) =>
        Open(stream, displayName, declaredSize: null, leaveOpen);

    /// <summary>
    /// Reads a package from any stream. <paramref name="declaredSize"/> is the size the header of
    /// <c>dpkg-deb -I</c> shows, as dpkg-deb takes it from fstat(2) of its input (0 for a pipe);
    /// null: the stream's length, or for an unseekable stream the bytes it turns out to hold.
    /// </summary>
    public static DebPackageReader Open(Stream stream, string displayName, long? declaredSize, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        return new DebPackageReader(stream, displayName, leaveOpen, declaredSize, keepControlFiles: false);
    }

    /// <summary>How errors name the package.</summary>
    public string DisplayName { get; }

    /// <summary>
    /// Receives what GNU tar would warn about while dpkg-deb has it read a member (a name
    /// stripped of a leading "/" or "..", an empty name, a lone zero block), in its words.
    /// </summary>
    public Action<string>? TarWarning { get; set; }

    /// <summary>
    /// Whether this host has a user of a name: GNU tar reads an entry's owner number only when
    /// it has not, so a damaged number beside a known name is no error. Null: every number is read.
    /// </summary>
    public Func<string, bool>? KnownUser { get; set; }

    /// <summary>The same for groups.</summary>
    public Func<string, bool>? KnownGroup { get; set; }

    /// <summary>The format version, e.g. (2, 0); (0, 939000) for the old format.</summary>
    public (int Major, int Minor) FormatVersion { get; }

    /// <summary>Whether this is the old format (0.939000), which dpkg-deb still reads.</summary>
    public bool IsOldFormat => _ar is null;

    /// <summary>The members of the container read so far, in file order (all of them once the data member has been read through).</summary>
    public IReadOnlyList<PackageMember> Members => _members;

    /// <summary>The control member, unpacked (read on first use; fails once the data member has been read).</summary>
    public ControlArchive Control => _control ??= ReadControl();

    /// <summary>The control member's name, e.g. <c>control.tar.xz</c>.</summary>
    public string ControlMemberName { get; }

    /// <summary>Size in bytes of the control.tar* member as stored in the package.</summary>
    public long ControlMemberSize { get; }

    public CompressionFormat ControlCompression { get; }

    /// <summary>The parsed control file (throws a <see cref="PackageException"/> when absent or malformed).</summary>
    public ControlFields Fields => _fields ??= ControlFields.Parse(ControlFileBytes(), $"{DisplayName}: control");

    /// <summary>
    /// The control file read as dpkg reads it (<see cref="DpkgControl"/>), with
    /// <paramref name="nativeArchitecture"/> as the architecture dpkg would run on.
    /// </summary>
    public DpkgControl ParseControl(string nativeArchitecture) =>
        DpkgControl.Parse(ControlFileBytes(), $"{DisplayName}: control", nativeArchitecture);

    /// <summary>
    /// Writes what <c>dpkg-deb -I FILE</c> prints. The size shown is the declared size (see
    /// <see cref="Open(Stream, string, long?, bool)"/>); without one, an unseekable stream is drained to learn it.
    /// </summary>
    public void WriteInfo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ControlArchive control = Control;
        long size = PackageSize();
        if (IsOldFormat)
        {
            InfoFormatter.WriteOldFormat(output, FormatVersion, size, ControlMemberSize, size - ControlMemberSize - _oldFormatHeaderLength, control);
        }
        else
        {
            InfoFormatter.Write(output, FormatVersion, size, ControlMemberSize, control);
        }
    }

    /// <summary>
    /// Writes what <c>dpkg-deb -f FILE [FIELD...]</c> prints: the raw control file when no field
    /// is named, the value alone for one field, "Name: value" lines for several, each as dpkg
    /// writes it back from its parse (<see cref="DpkgControl.WriteFields"/>).
    /// </summary>
    public void WriteFields(Stream output, IReadOnlyList<string> fieldNames, string nativeArchitecture = "amd64")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fieldNames);
        if (fieldNames.Count == 0)
        {
            output.Write(ControlFileBytes());
            return;
        }
        ParseControl(nativeArchitecture).WriteFields(output, fieldNames);
    }

    /// <summary>
    /// Writes the named files of the control area one after the other, as <c>dpkg-deb -I FILE
    /// NAME...</c> does; returns the names the package does not have (dpkg-deb then fails).
    /// </summary>
    public IReadOnlyList<string> WriteControlFiles(Stream output, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(names);
        ControlArchive control = ControlKeeping(names);
        var missing = new List<string>();
        foreach (string name in names)
        {
            if (ControlArchive.NormalizeName(name) is { } normalized && control.Content(normalized) is { } content)
            {
                output.Write(content.Span);
            }
            else
            {
                missing.Add(name);
            }
        }
        return missing;
    }

    /// <summary>
    /// The control member, read (if it was not yet) keeping the bytes of the files named in
    /// <paramref name="names"/> too, for <see cref="ControlArchive.Content"/>.
    /// </summary>
    public ControlArchive ControlKeeping(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = new HashSet<string>(names.Select(ControlArchive.NormalizeName).OfType<string>(), StringComparer.Ordinal);
        return _control is null ? ReadControlKeeping(wanted)
            : _control.Kept(wanted) ? _control
            : throw new InvalidOperationException("The control member was read without keeping the files asked for: ask for them first.");
    }

    /// <summary>The control member, read (if it was not yet) keeping every file's bytes, within the limits <see cref="ControlArchive"/> sets.</summary>
    public ControlArchive ControlWithAllFiles() =>
        _control is null ? ReadControlKeeping(null) : _keepControlFiles || _keptAll ? _control
        : throw new InvalidOperationException("The control member was read without keeping its files: ask for them first.");

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
        (Stream data, PackageMember member, Action finish) = TakeDataMember();
        return Enumerate();

        IEnumerable<TarEntry> Enumerate()
        {
            string where = $"{DisplayName}: {member.Name}";
            using Stream decompressed = OpenDecompressor(data, member.Compression!.Value, where, member.Name);
            using var buffered = new BufferedStream(decompressed, 1 << 16);
            var guarded = new DecompressionGuard(buffered, where, member.Name);
            var tar = new TarReader(guarded, where, member.Name, TarWarning, KnownUser, KnownGroup);
            while (tar.GetNextEntry() is { } entry)
            {
                yield return entry;
            }
            StreamSkipper.Skip(guarded, long.MaxValue);
            finish();
        }
    }

    /// <summary>Passes the data member without unpacking it, so that <see cref="Members"/> lists every member.</summary>
    public void SkipData()
    {
        (_, _, Action finish) = TakeDataMember();
        finish();
    }

    /// <summary>Writes the data member decompressed, all of it, as <c>dpkg-deb --fsys-tarfile</c> does.</summary>
    public void CopyDataTar(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        (Stream data, PackageMember member, Action finish) = TakeDataMember();
        CopyDecompressed(data, member.Name, member.Compression!.Value, output);
        finish();
    }

    /// <summary>Writes the control member decompressed, all of it, as <c>dpkg-deb --ctrl-tarfile</c> does.</summary>
    public void CopyControlTar(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        TakeControlMember();
        CopyDecompressed(_controlData, ControlMemberName, ControlCompression, output);
        FinishControlMember();
    }

    /// <summary>Extracts the data member into <paramref name="directory"/> like <c>dpkg-deb -x</c>, refusing escapes.</summary>
    public void ExtractTo(string directory) => ExtractTo(directory, ExtractOptions.Default);

    /// <summary>Extracts the data member into <paramref name="directory"/> as <paramref name="options"/> say.</summary>
    public void ExtractTo(string directory, ExtractOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        new DebExtractor(directory, DisplayName, options, TarWarning).Extract(ReadDataEntries());
    }

    /// <summary>Extracts the control member into <paramref name="directory"/> like <c>dpkg-deb -e</c>.</summary>
    public void ExtractControlTo(string directory, ExtractOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        TakeControlMember();
        string where = $"{DisplayName}: {ControlMemberName}";
        using (Stream decompressed = OpenDecompressor(_controlData, ControlCompression, where, ControlMemberName))
        {
            var guarded = new DecompressionGuard(decompressed, where, ControlMemberName);
            new DebExtractor(directory, DisplayName, options, TarWarning).Extract(Entries(new TarReader(guarded, where, ControlMemberName, TarWarning, KnownUser, KnownGroup)));
            StreamSkipper.Skip(guarded, long.MaxValue);
        }
        FinishControlMember();

        static IEnumerable<TarEntry> Entries(TarReader tar)
        {
            while (tar.GetNextEntry() is { } entry)
            {
                yield return entry;
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    private byte[] ControlFileBytes() => Control.ControlFileBytes ?? throw Error("the control member has no 'control' file");

    private long PackageSize()
    {
        if (_declaredSize is { } size)
        {
            return size;
        }
        _stage = Stage.DataTaken;
        StreamSkipper.Skip(_stream, long.MaxValue);
        return _counter!.BytesRead;
    }

    /// <summary>
    /// dpkg-deb's read_line: <paramref name="first"/> bytes, then one at a time until a newline
    /// (at most 39); bytes after a newline inside the first read are consumed and dropped.
    /// </summary>
    private string ReadLine(int first, string what)
    {
        const int MaxLine = 39;
        byte[] buffer = new byte[MaxLine];
        int n = StreamSkipper.ReadFully(_stream, buffer.AsSpan(0, first));
        if (n == 0)
        {
            throw Error($"unexpected end of file in {what}; not a Debian package");
        }
        while (true)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', 0, n);
            if (newline >= 0)
            {
                return Encoding.Latin1.GetString(buffer, 0, newline + 1);
            }
            if (n >= MaxLine)
            {
                return Encoding.Latin1.GetString(buffer, 0, n);
            }
            int b = _stream.ReadByte();
            if (b < 0)
            {
                return Encoding.Latin1.GetString(buffer, 0, n);
            }
            buffer[n++] = (byte)b;
        }
    }

    /// <summary>The version line of the old format; of the 0.93x formats dpkg-deb reads, only 0.939000 has the layout it can use.</summary>
    private (int, int) ReadOldFormatVersion(string line)
    {
        if (!line.Contains('\n', StringComparison.Ordinal))
        {
            throw Error("old-format header has no newline; the file is damaged");
        }
        (int major, int minor) = ParseFormatVersion(line, "the old-format header");
        int significant = minor;
        while (significant != 0 && significant % 10 == 0)
        {
            significant /= 10;
        }
        if (significant != 939)
        {
            throw Error($"package format version {major}.{minor} predates 0.939000 and is not supported (its control files sit in a DEBIAN/ directory dpkg-deb can no longer use)");
        }
        return (major, minor);
    }

    private long ParseOldControlSize(string line)
    {
        // sscanf("%jd%c"): strtol's number, then exactly a newline.
        int end = DpkgText.Strtol(line, 10, out long size, out bool overflow);
        if (end == 0 || end >= line.Length || line[end] != '\n' || overflow || size < 0)
        {
            throw Error($"old-format header has a malformed control member size '{Escape(Encoding.Latin1.GetBytes(line))}'");
        }
        return size;
    }

    private (int, int) ReadDebianBinary()
    {
        ArMember first = _ar!.ReadNextMember() ?? throw Error("empty ar archive; not a Debian package");
        _members.Add(new PackageMember(first.Name, first.Size));
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
        (int major, int minor) = ParseFormatVersion(Encoding.Latin1.GetString(content), $"'{DebianBinaryMember}'");
        if (major != 2)
        {
            throw Error($"package format version {major}.{minor} is not supported (only 2.x)");
        }
        return (major, minor);
    }

    /// <summary>deb_version_parse: digits, a dot, digits, then a newline or NUL.</summary>
    private (int, int) ParseFormatVersion(string text, string where)
    {
        int pos = 0;
        int major = ParseDigits(text, ref pos, out bool hasMajor);
        if (!hasMajor || pos >= text.Length || text[pos] != '.')
        {
            throw Error($"invalid format version '{Escape(Encoding.Latin1.GetBytes(text))}' in {where}; expected \"2.0\"");
        }
        pos++;
        int minor = ParseDigits(text, ref pos, out bool hasMinor);
        if (!hasMinor || (pos < text.Length && text[pos] is not ('\n' or '\0')))
        {
            throw Error($"invalid format version '{Escape(Encoding.Latin1.GetBytes(text))}' in {where}; expected \"2.0\"");
        }
        return (major, minor);
    }

    private static int ParseDigits(string text, ref int pos, out bool any)
    {
        int value = 0;
        int start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]) && pos - start < 9)
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
        }
        any = pos > start;
        return value;
    }

    /// <summary>The members up to the control member: only '_' members may come first.</summary>
    private ArMember FindControlMember()
    {
        while (true)
        {
            ArMember member = _ar!.ReadNextMember() ?? throw Error($"no '{ControlMemberPrefix}' member; the package is truncated");
            if (member.Name.StartsWith('_'))
            {
                _members.Add(new PackageMember(member.Name, member.Size));
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
            _members.Add(new PackageMember(member.Name, member.Size, format));
            return member;
        }
    }

    private CompressionFormat FormatOf(ArMember control) => FormatFromSuffix(control.Name, control.Name[ControlMemberPrefix.Length..]);

    private ControlArchive ReadControl()
    {
        TakeControlMember();
        ControlArchive control = ReadControlArchive(_keepControlFiles ? _ => true : null);
        FinishControlMember();
        return control;
    }

    /// <summary>Reads the control member keeping <paramref name="wanted"/> files' bytes as well (null: every file's).</summary>
    private ControlArchive ReadControlKeeping(HashSet<string>? wanted)
    {
        TakeControlMember();
        _keptAll = wanted is null;
        _control = ReadControlArchive(name => _keepControlFiles || wanted is null || wanted.Contains(name));
        FinishControlMember();
        return _control;
    }

    private ControlArchive ReadControlArchive(Predicate<string>? keep)
    {
        string where = $"{DisplayName}: {ControlMemberName}";
        using Stream decompressed = OpenDecompressor(_controlData, ControlCompression, where, ControlMemberName);
        var guarded = new DecompressionGuard(decompressed, where, ControlMemberName);
        ControlArchive control = ControlArchive.Read(new TarReader(guarded, where, ControlMemberName, TarWarning, KnownUser, KnownGroup), where, keep);
        StreamSkipper.Skip(guarded, long.MaxValue);
        return control;
    }

    private void TakeControlMember()
    {
        if (_stage != Stage.ControlPending)
        {
            throw new InvalidOperationException("The control member of a package can be read only once per reader, before its data.");
        }
        _stage = Stage.ControlDone;
    }

    /// <summary>Insists the control member is complete in the file, as dpkg's copier does.</summary>
    private void FinishControlMember() => ((BoundedReadStream)_controlData).SkipToEnd();

    /// <summary>Skips the control member if nobody read it, then finds the data member; returns it and what to do after reading it.</summary>
    private (Stream Data, PackageMember Member, Action Finish) TakeDataMember()
    {
        if (_stage == Stage.DataTaken)
        {
            throw new InvalidOperationException("The data member of a package can be read only once per reader.");
        }
        if (_stage == Stage.ControlPending)
        {
            // dpkg-deb -c and -x skip the control member without decompressing it.
            ((BoundedReadStream)_controlData).SkipToEnd();
        }
        _stage = Stage.DataTaken;
        if (_ar is null)
        {
            long length = (_declaredSize ?? -1) - ControlMemberSize - _oldFormatHeaderLength;
            if (_declaredSize is not null && length < 0)
            {
                // dpkg-deb computes the data member's size from fstat's, which a pipe does not have: it fails.
                throw Error("an old-format package's data cannot be read from a pipe: its size is computed from the file's");
            }
            var member = new PackageMember("data.tar.gz", Math.Max(length, 0), CompressionFormat.Gzip);
            _members.Add(member);
            // Without a declared size (a library caller's unseekable stream) the member runs to the end.
            Stream data = _declaredSize is not null && length >= 0
                ? new BoundedReadStream(_stream, length, $"{DisplayName}: truncated data member (the file ends before its declared size)")
                : _stream;
            return (data, member, () => (data as BoundedReadStream)?.SkipToEnd());
        }
        ArMember found = FindDataMember();
        var dataMember = new PackageMember(found.Name, found.Size, FormatFromSuffix(found.Name, found.Name[DataMemberPrefix.Length..]));
        _members.Add(dataMember);
        return (found.Data, dataMember, () => { ((BoundedReadStream)found.Data).SkipToEnd(); ReadTrailingMembers(); });
    }

    private ArMember FindDataMember()
    {
        while (true)
        {
            ArMember member = _ar!.ReadNextMember() ?? throw Error($"no '{DataMemberPrefix}' member; the package is truncated");
            if (member.Name.StartsWith('_'))
            {
                _members.Add(new PackageMember(member.Name, member.Size));
                continue;
            }
            if (member.Name.StartsWith(ControlMemberPrefix, StringComparison.Ordinal))
            {
                FormatFromSuffix(member.Name, member.Name[ControlMemberPrefix.Length..]);
                throw Error("two control members");
            }
            if (!member.Name.StartsWith(DataMemberPrefix, StringComparison.Ordinal))
            {
                throw Error($"premature member '{member.Name}' before '{DataMemberPrefix}'");
            }
            FormatFromSuffix(member.Name, member.Name[DataMemberPrefix.Length..]);
            return member;
        }
    }

    /// <summary>Members after the data member are ignored by dpkg-deb; on a seekable file they are listed, for those who ask.</summary>
    private void ReadTrailingMembers()
    {
        if (!_stream.CanSeek)
        {
            return;
        }
        try
        {
            while (_ar!.ReadNextMember() is { } member)
            {
                _members.Add(new PackageMember(member.Name, member.Size));
            }
        }
        catch (InvalidPackageException)
        {
            // What follows the data member is not dpkg's concern, nor a reason to fail.
        }
    }

    private void CopyDecompressed(Stream member, string name, CompressionFormat format, Stream output)
    {
        string where = $"{DisplayName}: {name}";
        using Stream decompressed = OpenDecompressor(member, format, where, name);
        var guarded = new DecompressionGuard(decompressed, where, name);
        guarded.CopyTo(output, 1 << 16);
    }

    private CompressionFormat FormatFromSuffix(string memberName, string suffix) =>
        CompressionSettings.FromSuffix(suffix)
        ?? throw Error($"member '{memberName}' uses unknown compression '{suffix}' (expected {CompressionSettings.KnownSuffixes})");

    private static Stream OpenDecompressor(Stream data, CompressionFormat format, string where, string member)
    {
        try
        {
            return Compressors.OpenDecompressor(data, format, asDpkg: true);
        }
        catch (NotSupportedException e)
        {
            throw new CodecException($"{where}: {format} decompression is not supported by this build ({e.Message})", e);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidPackageException($"{where}: corrupt compressed data ({e.Message})", member, 0, e);
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
