using System.Buffers;
using System.Text;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Writes tar entries below one directory like <c>dpkg-deb -x</c> (GNU tar <c>-x -p</c>): files,
/// directories, symlinks, hard links and fifos with their modes and mtimes; directory modes and
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
    private readonly List<DeferredDirectory> _directories = [];

    public DebExtractor(string directory, string displayName, ExtractOptions options)
    {
        _root = Path.GetFullPath(directory);
        _rootBytes = Encoding.UTF8.GetBytes(_root);
        _displayName = displayName;
        _options = options;
    }

    /// <summary>A directory whose mode, owner and time are set after everything inside it is written.</summary>
    private readonly record struct DeferredDirectory(byte[] Path, string Shown, TarEntry Entry);

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
                ExtractOne(entry);
            }
            for (int i = _directories.Count - 1; i >= 0; i--)
            {
                DeferredDirectory directory = _directories[i];
                SetAttributes(directory.Path, directory.Entry, () => directory.Shown);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{_displayName}: cannot extract into '{_root}': {e.Message}", e);
        }
    }

    private void ExtractOne(TarEntry entry)
    {
        string shown = Shown(entry.RawName.Span);
        List<byte[]> parts = MemberComponents(entry.RawName.Span, shown);
        if (parts.Count == 0)
        {
            // The "./" root entry: dpkg-deb -x gives the target directory the root's mode and time.
            _directories.Add(new DeferredDirectory(_rootBytes, _root, entry));
            return;
        }
        byte[] target = Below(parts, parts.Count);
        Func<string> where = () => shown;
        EnsureParents(parts, shown);

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                // A symlink in the way is replaced, never followed (GNU tar does the same unless
                // told --keep-directory-symlink): chmod and utime must not reach its target.
                if (ByteNamedFiles.TryGetStatus(target, where) is not { Type: UnixFileType.Directory })
                {
                    ByteNamedFiles.RemoveNonDirectory(target, where);
                    ByteNamedFiles.CreateDirectory(target, where);
                }
                _directories.Add(new DeferredDirectory(target, shown, entry));
                return;
            case TarEntryType.SymbolicLink:
                RefuseData(entry, shown, "symlink");
                if (entry.RawLinkName.IsEmpty)
                {
                    throw Refuse(shown, "it is a symlink with an empty target");
                }
                ByteNamedFiles.RemoveNonDirectory(target, where);
                ByteNamedFiles.CreateSymbolicLink(target, entry.RawLinkName.Span, where);
                ByteNamedFiles.SetModificationTime(target, entry.ModificationTime, where);
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
                ByteNamedFiles.RemoveNonDirectory(target, where);
                ByteNamedFiles.CreateHardLink(target, Below(linkParts, linkParts.Count), where);
                return;
            case TarEntryType.Fifo:
                RefuseData(entry, shown, "FIFO");
                ByteNamedFiles.RemoveNonDirectory(target, where);
                ByteNamedFiles.CreateFifo(target, where);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                throw new InvalidPackageException($"{_displayName}: cannot extract '{shown}': device files are not supported");
            case TarEntryType.Other when entry.TypeFlag == (byte)'V':
                // A volume label names the archive, not a file: GNU tar creates nothing for it.
                return;
            case TarEntryType.Other when entry.TypeFlag == (byte)'M':
                throw Refuse(shown, "it continues a file from another tape volume");
            case TarEntryType.Other when entry.TypeFlag == (byte)'S':
                throw Refuse(shown, "GNU sparse files are not supported (dpkg cannot install them either)");
            default:
                // Regular and contiguous files; GNU tar extracts an unknown type letter as a
                // regular file too.
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
        ByteNamedFiles.SetModificationTime(path, entry.ModificationTime, where);
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
        long uid = (entry.UserName.Length > 0 ? _options.LocalUserId!(entry.UserName) : null) ?? entry.Uid;
        long gid = (entry.GroupName.Length > 0 ? _options.LocalGroupId!(entry.GroupName) : null) ?? entry.Gid;
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
                default:
                    throw new IOException($"'{where()}' is in the way of '{shown}' and is not a directory");
            }
        }
    }

    /// <summary>Refuses when any of the first <paramref name="count"/> components is a symlink.</summary>
    private void EnsureNoSymlinkOnPath(List<byte[]> parts, int count, string shown)
    {
        for (int i = 1; i <= count; i++)
        {
            byte[] path = Below(parts, i);
            if (ByteNamedFiles.TryGetStatus(path, () => shown) is { Type: UnixFileType.Symlink })
            {
                throw SymlinkOnPath(parts, i, shown);
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
