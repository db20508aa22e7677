using System.Buffers;
using System.Text;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Writes tar entries below one directory like <c>dpkg-deb -x</c> (GNU tar <c>-x -p</c>): files,
/// directories, symlinks, hard links, fifos and (where the process may, as root) devices with
/// their modes and mtimes; directory modes and
/// times are applied last so a read-only directory can still be filled. Names are bytes: what is
/// created has exactly the name in the archive, UTF-8 or not. Refuses, before writing anything
/// for the entry, a name that is absolute, contains "..", or would pass through a symlink (one
/// extracted earlier or already present) to reach its place. Ownership is not changed.
/// <para>
/// Where GNU tar is lenient this follows it: a hard-link target loses a leading "/" and
/// everything up to its last ".." (tar's safer_name_suffix), a volume label (<c>V</c>) is
/// skipped, an unknown type letter is extracted as a regular file, a NUL ends a name (the
/// reader already cut it). Where GNU tar fails, this fails: an empty symlink target, a symlink
/// or FIFO that carries data, a multi-volume continuation (<c>M</c>). Deliberately stricter:
/// member names with a leading "/" or a ".." (tar strips those with a warning; a package holding
/// them is damaged or hostile) and GNU sparse files (<c>S</c>), which dpkg cannot install either.
/// </para>
/// </summary>
internal sealed class DebExtractor
{
    private readonly string _root;
    private readonly byte[] _rootBytes;
    private readonly string _displayName;
    private readonly ExtractOptions _options;

    /// <summary>GNU tar's delayed_set_stat list, newest last: directories whose attributes wait until extraction leaves them.</summary>
    private readonly List<DelayedDirectory> _directories = [];

    /// <summary>GNU tar's delayed_link list, in the order it applies them.</summary>
    private readonly LinkedList<DelayedLink> _links = new();

    private readonly Action<string>? _warning;
    private bool _contiguousWarned;

    public DebExtractor(string directory, string displayName, ExtractOptions options, Action<string>? warning = null)
    {
        _warning = warning;
        _root = Path.GetFullPath(directory);
        _rootBytes = Encoding.UTF8.GetBytes(_root);
        _displayName = displayName;
        _options = options;
    }

    /// <summary>A directory whose mode, owner and time are set once extraction leaves it; tar's name for it (trailing slashes removed).</summary>
    private sealed class DelayedDirectory(byte[] path, string shown, string name, TarEntry entry)
    {
        public byte[] Path { get; } = path;
        public string Shown { get; } = shown;
        public string Name { get; } = name;
        public TarEntry Entry { get; } = entry;

        /// <summary>Set when a delayed link was placed inside: then it waits until the links exist.</summary>
        public bool AfterLinks { get; set; }
    }

    /// <summary>
    /// A symlink whose target is absolute or climbs with "..", or a hard link to one: GNU tar
    /// puts an empty placeholder file there and makes the link only at the end, so that no later
    /// member can be written through it.
    /// </summary>
    private sealed class DelayedLink(TarEntry entry, byte[] target, bool isSymlink, FileStatus placeholder)
    {
        public TarEntry Entry { get; } = entry;
        public byte[] Target { get; } = target;
        public bool IsSymlink { get; } = isSymlink;
        public List<(byte[] Path, string Shown)> Sources { get; } = [];

        /// <summary>Whether a file is still the placeholder made for this link.</summary>
        public bool IsPlaceholder(FileStatus status) =>
            status.Type == UnixFileType.Regular && status.Mode == 0 && status.Size == 0
            && status.Device == placeholder.Device && status.Inode == placeholder.Inode && status.BirthTime == placeholder.BirthTime;
    }

    public void Extract(IEnumerable<TarEntry> entries)
    {
        try
        {
            // dpkg-deb creates the target directory itself, one level, like mkdir(2).
            if (!ByteNamedFiles.TryCreateDirectory(_rootBytes, () => _root)
                && (_options.RequireNewDirectory || ByteNamedFiles.TryGetStatus(_rootBytes, () => _root) is not { Type: UnixFileType.Directory }))
            {
                throw new IOException($"'{_root}' already exists{(_options.RequireNewDirectory ? "" : " and is not a directory")}");
            }
            foreach (TarEntry entry in entries)
            {
                _options.Listing?.Invoke(entry);
                ApplyNonAncestors(TarName(entry), afterLinks: false);
                ExtractOne(entry);
            }
            // extract_finish: directories first, then the delayed links, then the directories that waited for them.
            ApplyNonAncestors("", afterLinks: false);
            ApplyDelayedLinks();
            ApplyNonAncestors("", afterLinks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{_displayName}: cannot extract into '{_root}': {e.Message}", e);
        }
    }

    /// <summary>
    /// apply_nonancestor_delayed_set_stat: sets the attributes of the newest delayed directories
    /// that are not ancestors of <paramref name="name"/>, stopping at the first that is (or that
    /// waits for links, unless <paramref name="afterLinks"/>).
    /// </summary>
    private void ApplyNonAncestors(string name, bool afterLinks)
    {
        while (_directories.Count > 0)
        {
            DelayedDirectory directory = _directories[^1];
            if ((!afterLinks && directory.AfterLinks) || IsAncestor(directory.Name, name))
            {
                break;
            }
            SetAttributes(directory.Path, directory.Entry, () => directory.Shown);
            _directories.RemoveAt(_directories.Count - 1);
        }
    }

    /// <summary>
    /// tar's test: <paramref name="directory"/> is a proper prefix of <paramref name="name"/>
    /// ending at a slash. The extraction directory itself (".") counts as an ancestor of every
    /// other name, even one written without "./" in front, as GNU tar 1.34 behaves (observed:
    /// its "." is restored only at the end).
    /// </summary>
    private static bool IsAncestor(string directory, string name) =>
        (directory == "." && name.Length > 0 && name != ".")
        || (directory.Length < name.Length && (name[directory.Length] == '/' || (directory.Length > 0 && directory[^1] == '/'))
            && name.StartsWith(directory, StringComparison.Ordinal));

    /// <summary>The member's name as GNU tar handles it: its bytes, trailing slashes removed ("./" is "."), "." for an empty one.</summary>
    private static string TarName(TarEntry entry)
    {
        ReadOnlySpan<byte> name = entry.RawName.Span;
        int end = name.Length;
        while (end > 1 && name[end - 1] == (byte)'/')
        {
            end--;
        }
        return end == 0 ? "." : Encoding.Latin1.GetString(name[..end]);
    }

    /// <summary>delay_set_stat: a directory already waiting gets the newer member's attributes in its place; another waits on top.</summary>
    private void Delay(byte[] path, string shown, TarEntry entry)
    {
        string name = TarName(entry);
        int existing = _directories.FindIndex(d => d.Name == name);
        if (existing >= 0)
        {
            DelayedDirectory old = _directories[existing];
            _directories[existing] = new DelayedDirectory(old.Path, old.Shown, name, entry) { AfterLinks = old.AfterLinks };
            return;
        }
        _directories.Add(new DelayedDirectory(path, shown, name, entry));
    }

    /// <summary>Replaces each placeholder with its link (apply_delayed_links), newest first.</summary>
    private void ApplyDelayedLinks()
    {
        foreach (DelayedLink link in _links)
        {
            byte[]? valid = null;
            foreach ((byte[] source, string shown) in link.Sources)
            {
                Func<string> where = () => shown;
                // A placeholder replaced by a later member is left alone (a new file may reuse the
                // inode number: GNU tar compares the birth time too, and this the type and mode 0).
                if (ByteNamedFiles.TryGetStatus(source, where) is not { } status || !link.IsPlaceholder(status))
                {
                    continue;
                }
                ByteNamedFiles.RemoveNonDirectory(source, where);
                if (valid is not null)
                {
                    ByteNamedFiles.CreateHardLink(source, valid, where);
                }
                else if (!link.IsSymlink)
                {
                    ByteNamedFiles.CreateHardLink(source, link.Target, where);
                }
                else
                {
                    ByteNamedFiles.CreateSymbolicLink(source, link.Target, where);
                    ByteNamedFiles.SetModificationTime(source, link.Entry.ModificationTime, where, link.Entry.ModificationNanoseconds);
                    SetOwner(source, link.Entry, where);
                    valid = source;
                }
            }
        }
    }

    /// <summary>create_placeholder_file: an empty file (mode 0) where the link goes, and the directory it is in marked to wait.</summary>
    private void CreatePlaceholder(byte[] path, string shown, TarEntry entry, byte[] target, bool isSymlink, LinkedListNode<DelayedLink>? after)
    {
        Func<string> where = () => shown;
        ByteNamedFiles.RemoveNonDirectory(path, where);
        ByteNamedFiles.CreateNew(path, where).Dispose();
        ByteNamedFiles.SetMode(path, 0, where);
        FileStatus status = ByteNamedFiles.TryGetStatus(path, where) ?? throw new IOException($"'{shown}' vanished as it was made");
        var link = new DelayedLink(entry, target, isSymlink, status);
        link.Sources.Add((path, shown));
        if (after is null)
        {
            _links.AddFirst(link);
        }
        else
        {
            _links.AddAfter(after, link);
        }
        string name = TarName(entry);
        int parentEnd = name.LastIndexOf('/');
        int index = _directories.FindLastIndex(d => !d.AfterLinks && parentEnd >= 0 && d.Name.Length == parentEnd && IsAncestor(d.Name, name));
        // mark_after_links: that directory and the older ones before the first already marked.
        for (int i = index; i >= 0 && (i == index || !_directories[i].AfterLinks); i--)
        {
            _directories[i].AfterLinks = true;
        }
    }

    /// <summary>The delayed link whose placeholder <paramref name="path"/> is, if any (find_delayed_link_source).</summary>
    private LinkedListNode<DelayedLink>? DelayedLinkAt(byte[] path, Func<string> where)
    {
        if (_links.Count == 0 || ByteNamedFiles.TryGetStatus(path, where) is not { } status)
        {
            return null;
        }
        for (LinkedListNode<DelayedLink>? node = _links.First; node is not null; node = node.Next)
        {
            if (node.Value.IsPlaceholder(status))
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>contains_dot_dot: a ".." component anywhere.</summary>
    private static bool ContainsDotDot(ReadOnlySpan<byte> name)
    {
        while (true)
        {
            int slash = name.IndexOf((byte)'/');
            ReadOnlySpan<byte> part = slash < 0 ? name : name[..slash];
            if (part.SequenceEqual(".."u8))
            {
                return true;
            }
            if (slash < 0)
            {
                return false;
            }
            name = name[(slash + 1)..];
        }
    }

    private void ExtractOne(TarEntry entry)
    {
        string shown = Shown(entry.RawName.Span);
        List<byte[]> parts = MemberComponents(entry.RawName.Span, shown);
        if (parts.Count == 0 && entry.EntryType != TarEntryType.Directory)
        {
            // GNU tar tries to make it "." and fails, as the directory is there.
            throw Refuse(shown.Length == 0 ? "." : shown, "it names the extraction directory itself");
        }
        if (parts.Count == 0)
        {
            // The "./" root entry: dpkg-deb -x gives the target directory the root's mode and time.
            Delay(_rootBytes, _root, entry);
            return;
        }
        byte[] target = Below(parts, parts.Count);
        Func<string> where = () => shown;
        EnsureParents(parts, shown);

        // GNU tar (prepare_to_extract) makes a contiguous member whose name ends in "/" a directory too.
        bool directory = entry.EntryType == TarEntryType.Directory
            || (entry.EntryType == TarEntryType.ContiguousFile && entry.RawName.Span.EndsWith("/"u8));
        switch (entry.EntryType)
        {
            case TarEntryType.Directory or TarEntryType.ContiguousFile when directory:
                // A symlink in the way is replaced, never followed (GNU tar does the same unless
                // told --keep-directory-symlink): chmod and utime must not reach its target.
                if (ByteNamedFiles.TryGetStatus(target, where) is not { Type: UnixFileType.Directory })
                {
                    ByteNamedFiles.RemoveNonDirectory(target, where);
                    ByteNamedFiles.CreateDirectory(target, where);
                }
                Delay(target, shown, entry);
                return;
            case TarEntryType.SymbolicLink:
                RefuseData(entry, shown, "symlink");
                if (entry.RawLinkName.IsEmpty)
                {
                    throw Refuse(shown, "it is a symlink with an empty target");
                }
                if (entry.RawLinkName.Span[0] == (byte)'/' || ContainsDotDot(entry.RawLinkName.Span))
                {
                    CreatePlaceholder(target, shown, entry, entry.RawLinkName.ToArray(), isSymlink: true, after: null);
                    return;
                }
                ByteNamedFiles.RemoveNonDirectory(target, where);
                ByteNamedFiles.CreateSymbolicLink(target, entry.RawLinkName.Span, where);
                ByteNamedFiles.SetModificationTime(target, entry.ModificationTime, where, entry.ModificationNanoseconds);
                SetOwner(target, entry, where);
                return;
            case TarEntryType.HardLink:
                List<byte[]> linkParts = Components(entry.HardLinkTarget);
                if (linkParts.Count == 0)
                {
                    throw Refuse(shown, $"it is a hard link to the extraction directory itself ('{Shown(entry.RawLinkName.Span)}')");
                }
                // link(2) does not follow a final symlink (a hard link to a symlink is legal), but
                // the directories on the way to the target must not be symlinks.
                EnsureNoSymlinkOnPath(linkParts, linkParts.Count - 1, shown);
                byte[] existing = Below(linkParts, linkParts.Count);
                if (DelayedLinkAt(existing, where) is { } delayed)
                {
                    // A second name for a link not made yet: it waits too, and is linked to it after.
                    CreatePlaceholder(target, shown, entry, existing, isSymlink: false, after: delayed);
                    return;
                }
                ByteNamedFiles.RemoveNonDirectory(target, where);
                ByteNamedFiles.CreateHardLink(target, existing, where);
                return;
            case TarEntryType.Fifo:
                RefuseData(entry, shown, "FIFO");
                ByteNamedFiles.RemoveNonDirectory(target, where);
                ByteNamedFiles.CreateFifo(target, where);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                // As GNU tar: made when the process may (root), a failure otherwise.
                ByteNamedFiles.RemoveNonDirectory(target, where);
                ByteNamedFiles.CreateDevice(target, entry.EntryType == TarEntryType.BlockDevice, entry.DeviceMajor, entry.DeviceMinor, where);
                break;
            case TarEntryType.Other when entry.TypeFlag == (byte)'V':
                // A volume label names the archive, not a file: GNU tar creates nothing for it.
                return;
            case TarEntryType.Other when entry.TypeFlag == (byte)'M':
                throw Refuse(shown, "it continues a file from another tape volume");
            case TarEntryType.Other when entry.TypeFlag == (byte)'S':
                throw Refuse(shown, "GNU sparse files are not supported (dpkg cannot install them either)");
            default:
                // Regular and contiguous files; GNU tar extracts an unknown type letter as a
                // regular file too, and says so once for contiguous files.
                if (entry.EntryType == TarEntryType.ContiguousFile && !_contiguousWarned)
                {
                    _contiguousWarned = true;
                    _warning?.Invoke("Extracting contiguous files as regular files");
                }
                else if (entry.EntryType == TarEntryType.Other)
                {
                    _warning?.Invoke($"{shown}: Unknown file type '{(char)entry.TypeFlag}', extracted as normal file");
                }
                ByteNamedFiles.RemoveNonDirectory(target, where);
                using (FileStream file = ByteNamedFiles.CreateNew(target, where))
                {
                    entry.OpenData().CopyTo(file, 1 << 16);
                }
                break;
        }
        SetAttributes(target, entry, where);
    }

    /// <summary>GNU tar's set_stat: the time, then the owner (which may clear setuid bits), then the mode.</summary>
    private void SetAttributes(byte[] path, TarEntry entry, Func<string> where)
    {
        ByteNamedFiles.SetModificationTime(path, entry.ModificationTime, where, entry.ModificationNanoseconds);
        SetOwner(path, entry, where);
        int mode = _options.PreservePermissions ? entry.Mode : entry.Mode & 0x1ff & ~_options.Umask;
        ByteNamedFiles.SetMode(path, mode, where);
    }

    private void SetOwner(byte[] path, TarEntry entry, Func<string> where)
    {
        if (!_options.RestoresOwners)
        {
            return;
        }
        string user = Encoding.UTF8.GetString(entry.HeaderUserName.Span);
        string group = Encoding.UTF8.GetString(entry.HeaderGroupName.Span);
        long uid = (user.Length > 0 ? _options.LocalUserId!(user) : null) ?? entry.Uid;
        long gid = (group.Length > 0 ? _options.LocalGroupId!(group) : null) ?? entry.Gid;
        ByteNamedFiles.SetOwner(path, uid, gid, where);
    }

    /// <summary>GNU tar extracts a symlink or FIFO without reading the data it declares, then fails on it.</summary>
    private void RefuseData(TarEntry entry, string shown, string what)
    {
        if (entry.Size != 0)
        {
            throw Refuse(shown, $"it is a {what} declaring {entry.Size} bytes of data");
        }
    }

    /// <summary>The components of a member name below the root, without "." and empty parts; refuses absolute names and "..".</summary>
    private List<byte[]> MemberComponents(ReadOnlySpan<byte> name, string shown)
    {
        if (!name.IsEmpty && name[0] == (byte)'/')
        {
            throw Refuse(shown, "it is an absolute path");
        }
        List<byte[]> parts = Components(name);
        if (parts.Exists(p => p.AsSpan().SequenceEqual(".."u8)))
        {
            throw Refuse(shown, "it contains '..'");
        }
        return parts;
    }

    private static List<byte[]> Components(ReadOnlySpan<byte> name) => PackagePath.ArchiveSegments(name);

    /// <summary>The root joined with the first <paramref name="count"/> components.</summary>
    private byte[] Below(List<byte[]> parts, int count)
    {
        var path = new List<byte>(_rootBytes.Length + 64);
        path.AddRange(_rootBytes);
        for (int i = 0; i < count; i++)
        {
            path.Add((byte)'/');
            path.AddRange(parts[i]);
        }
        return [.. path];
    }

    /// <summary>Creates the missing directories on the way to the entry, refusing a symlink among them.</summary>
    private void EnsureParents(List<byte[]> parts, string shown)
    {
        for (int i = 1; i < parts.Count; i++)
        {
            byte[] path = Below(parts, i);
            Func<string> where = () => Shown(path.AsSpan(_rootBytes.Length + 1));
            switch (ByteNamedFiles.TryGetStatus(path, where))
            {
                case null:
                    ByteNamedFiles.CreateDirectory(path, where);
                    break;
                case { Type: UnixFileType.Symlink }:
                    throw SymlinkOnPath(parts, i, shown);
                case { Type: UnixFileType.Directory }:
                    break;
                case { Type: UnixFileType.Regular } when DelayedLinkAt(path, where) is not null:
                    // The placeholder of a symlink made at the end: writing below it would go through the link.
                    throw SymlinkOnPath(parts, i, shown);
                default:
                    throw new IOException($"'{where()}' is in the way of '{shown}' and is not a directory");
            }
        }
    }

    /// <summary>Refuses when any of the first <paramref name="count"/> components is a symlink (or the placeholder of one).</summary>
    private void EnsureNoSymlinkOnPath(List<byte[]> parts, int count, string shown)
    {
        for (int i = 1; i <= count; i++)
        {
            byte[] path = Below(parts, i);
            FileStatus? status = ByteNamedFiles.TryGetStatus(path, () => shown);
            if (status is { Type: UnixFileType.Symlink } || (status is { Type: UnixFileType.Regular } && DelayedLinkAt(path, () => shown) is not null))
            {
                throw SymlinkOnPath(parts, i, shown);
            }
            if (status is not { Type: UnixFileType.Directory })
            {
                // Nothing further along can exist; link(2) will say what is wrong.
                return;
            }
        }
    }

    private InvalidPackageException SymlinkOnPath(List<byte[]> parts, int count, string shown)
    {
        string prefix = Shown(Below(parts, count).AsSpan(_rootBytes.Length + 1));
        return Refuse(shown, $"'{prefix}' is a symlink and writing through it could leave the target directory");
    }

    /// <summary>A name for messages: UTF-8 shown as is, any other byte as GNU tar's octal escape.</summary>
    private static string Shown(ReadOnlySpan<byte> name)
    {
        var quoted = new ArrayBufferWriter<byte>(name.Length + 8);
        TarNameQuoting.Append(quoted, name, utf8Locale: true);
        return Encoding.UTF8.GetString(quoted.WrittenSpan);
    }

    private InvalidPackageException Refuse(string entryName, string why) =>
        new($"{_displayName}: refusing to extract '{entryName}': {why}");
}
