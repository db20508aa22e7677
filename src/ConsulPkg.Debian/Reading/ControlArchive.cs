using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>One top-level item of the control member, as dpkg-deb sees it after unpacking.</summary>
public sealed class ControlMember
{
    internal ControlMember(string name, ScriptStats? stats, int mode, byte[]? content = null)
    {
        Name = name;
        Stats = stats;
        Mode = mode;
        Content = content;
    }

    /// <summary>The file's bytes, kept only when the package was opened to repackage it (<see cref="DebPackageReader.Open(string, bool)"/>) or asked for by name.</summary>
    public ReadOnlyMemory<byte>? Content { get; }

    /// <summary>
    /// The file name, e.g. <c>control</c>, <c>postinst</c>, <c>md5sums</c>: its bytes as Latin-1
    /// characters, one per byte, so a name that is not UTF-8 survives and sorts in byte order.
    /// </summary>
    public string Name { get; }

    /// <summary>Permission bits from the tar header.</summary>
    public int Mode { get; }

    /// <summary>Whether the item is a plain file (not a directory, symlink, ...).</summary>
    public bool IsPlainFile => Stats is not null;

    public bool IsExecutable => (Mode & 0x40) != 0;

    /// <summary>Size, line count and interpreter, as dpkg-deb -I prints them; null when not a plain file.</summary>
    internal ScriptStats? Stats { get; }
}

/// <summary>
/// The control member of a package. Items are flattened to the top level as dpkg-deb -I shows
/// them: anything below a subdirectory only makes that subdirectory appear as "not a plain
/// file". Only the <c>control</c> file, and the files a caller asks for, are kept in memory; of
/// every other file the reader keeps what dpkg-deb -I prints (size, lines, interpreter), so
/// memory does not grow with the member.
/// </summary>
public sealed class ControlArchive
{
    /// <summary>Larger than any real control file (they hold a few KiB); past it the package is refused, not buffered.</summary>
    internal const int MaxControlFileSize = 4 << 20;

    /// <summary>Real control members hold a handful of items; more than this is refused rather than indexed.</summary>
    internal const int MaxItems = 10_000;

    private const string ControlFileName = "control";

    private readonly SortedDictionary<string, ControlMember> _members;
    private readonly Dictionary<string, byte[]> _kept;
    private readonly Predicate<string>? _keep;

    private ControlArchive(SortedDictionary<string, ControlMember> members, byte[]? controlFile, Dictionary<string, byte[]> kept, Predicate<string>? keep)
    {
        _members = members;
        ControlFileBytes = controlFile;
        _kept = kept;
        _keep = keep;
    }

    /// <summary>Items in the order dpkg-deb -I lists them (byte order of names).</summary>
    public IReadOnlyCollection<ControlMember> Members => _members.Values;

    /// <summary>The named top-level item, or null.</summary>
    public ControlMember? Find(string name) => _members.GetValueOrDefault(name);

    /// <summary>The bytes of the <c>control</c> file, or null when the archive has none.</summary>
    public byte[]? ControlFileBytes { get; }

    /// <summary>
    /// The content of a plain file (a path as <see cref="NormalizeName"/> gives it, e.g.
    /// <c>postinst</c>) that was kept when the member was read; null when there is no such file.
    /// </summary>
    public ReadOnlyMemory<byte>? Content(string path)
    {
        // Spelled out: a null array would convert to an empty ReadOnlyMemory, not to null.
        if (path == ControlFileName && ControlFileBytes is { } control)
        {
            return control;
        }
        if (_kept.TryGetValue(path, out byte[]? content))
        {
            return content;
        }
        return null;
    }

    /// <summary>Whether every one of <paramref name="paths"/> was asked for when the member was read (so <see cref="Content"/> can answer).</summary>
    public bool Kept(IEnumerable<string> paths) => paths.All(p => p == ControlFileName || (_keep?.Invoke(p) ?? false));

    /// <summary>
    /// A path in the control area as a file inside the extracted member would be found by it:
    /// "./" and repeated slashes dropped ("./postinst" is "postinst"); null for one that leaves
    /// the area ("..") or names the area itself.
    /// </summary>
    public static string? NormalizeName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        List<byte[]> segments = PackagePath.ArchiveSegments(Encoding.Latin1.GetBytes(path));
        return segments.Count == 0 || segments.Exists(s => s.AsSpan().SequenceEqual(".."u8))
            ? null
            : string.Join('/', segments.Select(s => Encoding.Latin1.GetString(s)));
    }

    /// <summary>
    /// Reads the member; the plain files whose path <paramref name="keep"/> accepts are kept too
    /// (each within <see cref="MaxControlFileSize"/>, all together within four times that).
    /// </summary>
    internal static ControlArchive Read(TarReader tar, string displayName, Predicate<string>? keep = null)
    {
        long kept = 0;
        var members = new SortedDictionary<string, ControlMember>(StringComparer.Ordinal);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byte[]? controlFile = null;
        while (tar.GetNextEntry() is { } entry)
        {
            // What the tar under dpkg-deb extracts: a leading "/" or "./" is dropped, not refused.
            List<byte[]> segments = PackagePath.ArchiveSegments(entry.RawName.Span);
            if (segments.Count == 0 && entry.EntryType != TarEntryType.Directory)
            {
                // tar -x would have to make the extraction directory itself a file, and fails.
                throw new InvalidPackageException($"{displayName}: a member of the control archive that is not a directory names the control area itself");
            }
            if (segments.Count == 0)
            {
                continue;
            }
            bool nested = segments.Count > 1;
            string top = Encoding.Latin1.GetString(segments[0]);
            string path = string.Join('/', segments.Select(s => Encoding.Latin1.GetString(s)));
            if (!members.ContainsKey(top) && members.Count >= MaxItems)
            {
                throw new InvalidPackageException($"{displayName}: the control member holds more than {MaxItems} items; this is not a plausible package");
            }
            bool plain = entry.EntryType is TarEntryType.RegularFile or TarEntryType.ContiguousFile or TarEntryType.HardLink;
            bool wanted = plain && path != ControlFileName && (keep?.Invoke(path) ?? false);
            contents.Remove(path);
            if (plain && entry.EntryType == TarEntryType.HardLink)
            {
                // An extracted hard link is the same file as its target.
                string target = string.Join('/', PackagePath.ArchiveSegments(entry.RawLinkName.Span).Select(s => Encoding.Latin1.GetString(s)));
                if (wanted && contents.TryGetValue(target, out byte[]? linked))
                {
                    contents[path] = linked;
                }
                if (!nested)
                {
                    members[top] = new ControlMember(top, members.GetValueOrDefault(target)?.Stats ?? new ScriptStats(), entry.Mode,
                        wanted ? contents.GetValueOrDefault(path) : null);
                    if (top == ControlFileName)
                    {
                        controlFile = target == ControlFileName ? controlFile : [];
                    }
                }
                continue;
            }
            if (nested || !plain)
            {
                if (wanted)
                {
                    contents[path] = ReadKept(entry, path, displayName, ref kept);
                }
                if (!nested || !members.ContainsKey(top))
                {
                    members[top] = new ControlMember(top, null, entry.Mode);
                }
                continue;
            }
            if (top == ControlFileName)
            {
                controlFile = ReadBounded(entry, ControlFileName, displayName);
                var stats = new ScriptStats();
                stats.Add(controlFile);
                members[top] = new ControlMember(top, stats, entry.Mode, controlFile);
            }
            else if (wanted)
            {
                byte[] content = ReadKept(entry, path, displayName, ref kept);
                contents[path] = content;
                var stats = new ScriptStats();
                stats.Add(content);
                members[top] = new ControlMember(top, stats, entry.Mode, content);
            }
            else
            {
                members[top] = new ControlMember(top, Measure(entry.OpenData()), entry.Mode);
            }
        }
        return new ControlArchive(members, controlFile, contents, keep);
    }

    private static byte[] ReadKept(TarEntry entry, string path, string displayName, ref long kept)
    {
        byte[] content = ReadBounded(entry, path, displayName);
        kept += content.Length;
        if (kept > 4L * MaxControlFileSize)
        {
            throw new InvalidPackageException($"{displayName}: the control member's files hold more than {4 * MaxControlFileSize} bytes; this is not a plausible package");
        }
        return content;
    }

    private static byte[] ReadBounded(TarEntry entry, string name, string displayName)
    {
        if (entry.Size > MaxControlFileSize)
        {
            throw new InvalidPackageException($"{displayName}: the {name} file is {entry.Size} bytes, more than the {MaxControlFileSize} any package needs; this is not a plausible package");
        }
        byte[] content = new byte[entry.Size];
        // A short member ends the read with the tar reader's "truncated" error.
        StreamSkipper.ReadFully(entry.OpenData(), content);
        return content;
    }

    private static ScriptStats Measure(Stream data)
    {
        var stats = new ScriptStats();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
            {
                stats.Add(buffer.AsSpan(0, n));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return stats;
    }
}

/// <summary>
/// What dpkg-deb -I prints of a control file, computed as the bytes stream past (dpkg
/// src/deb/info.c): its size, its newline count and its "#!" interpreter, with dpkg's quirks:
/// the first one or two bytes are consumed while looking for "#!" and, if newlines, not
/// counted; spaces after "#!" are skipped; the interpreter stops at white space or 210 bytes.
/// </summary>
internal sealed class ScriptStats
{
    private const int MaxInterpreter = 210;

    private readonly List<byte> _interpreter = [];
    private State _state;

    private enum State { Start, SawHash, SkippingSpaces, Interpreter, Body }

    public long Size { get; private set; }

    public int Lines { get; private set; }

    /// <summary>"#!..." when the file starts with it, else empty.</summary>
    public byte[] Interpreter => _state == State.SkippingSpaces ? "#!"u8.ToArray() : [.. _interpreter];

    public void Add(ReadOnlySpan<byte> bytes)
    {
        Size += bytes.Length;
        int i = 0;
        for (; i < bytes.Length && _state != State.Body; i++)
        {
            Step(bytes[i]);
        }
        if (i < bytes.Length)
        {
            Lines += System.MemoryExtensions.Count(bytes[i..], (byte)'\n');
        }
    }

    private void Step(byte c)
    {
        switch (_state)
        {
            case State.Start:
                _state = c == (byte)'#' ? State.SawHash : State.Body;
                break;
            case State.SawHash:
                _state = c == (byte)'!' ? State.SkippingSpaces : State.Body;
                break;
            case State.SkippingSpaces when c == (byte)' ':
                break;
            case State.SkippingSpaces:
                _interpreter.Add((byte)'#');
                _interpreter.Add((byte)'!');
                _state = State.Interpreter;
                Step(c);
                break;
            case State.Interpreter when _interpreter.Count < MaxInterpreter && !IsCSpace(c):
                _interpreter.Add(c);
                break;
            case State.Interpreter:
                // The byte that ended the interpreter is consumed here; dpkg counts it if a newline.
                Lines += c == (byte)'\n' ? 1 : 0;
                _state = State.Body;
                break;
            default:
                Lines += c == (byte)'\n' ? 1 : 0;
                break;
        }
    }

    private static bool IsCSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
}
