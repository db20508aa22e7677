using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Writes tar entries below one directory like <c>dpkg-deb -x</c> (GNU tar <c>-x -p</c>): files,
/// directories, symlinks, hard links and fifos with their modes and mtimes; directory modes and
/// times are applied last so a read-only directory can still be filled. Refuses, before writing
/// anything for the entry, a name or hard-link target that is absolute, contains "..", or would
/// pass through a symlink (one extracted earlier or already present) to reach its place.
/// Ownership is not changed.
/// </summary>
internal sealed partial class DebExtractor
{
    private readonly string _root;
    private readonly string _displayName;
    private readonly List<(string Path, TarEntry Entry)> _directories = [];

    public DebExtractor(string directory, string displayName)
    {
        _root = Path.GetFullPath(directory);
        _displayName = displayName;
    }

    public void Extract(IEnumerable<TarEntry> entries)
    {
        try
        {
            // dpkg-deb creates the target directory itself (one level, like mkdir).
            Directory.CreateDirectory(_root);
            foreach (TarEntry entry in entries)
            {
                ExtractOne(entry);
            }
            for (int i = _directories.Count - 1; i >= 0; i--)
            {
                (string path, TarEntry entry) = _directories[i];
                SetMode(path, entry.Mode);
                Directory.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(entry.ModificationTime));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{_displayName}: cannot extract into '{_root}': {e.Message}", e);
        }
    }

    private void ExtractOne(TarEntry entry)
    {
        string relative = SafeRelative(entry.Name, entry.Name);
        if (relative.Length == 0)
        {
            // The "./" root entry: dpkg-deb -x gives the target directory the root's mode and time.
            _directories.Add((_root, entry));
            return;
        }
        string target = Path.Combine(_root, relative);
        EnsureParents(relative, entry.Name);

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!Directory.Exists(target))
                {
                    RemoveNonDirectory(target);
                    Directory.CreateDirectory(target);
                }
                _directories.Add((target, entry));
                return;
            case TarEntryType.RegularFile:
            case TarEntryType.ContiguousFile:
                RemoveExisting(target);
                using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    entry.OpenData().CopyTo(file, 1 << 16);
                }
                break;
            case TarEntryType.SymbolicLink:
                RemoveExisting(target);
                File.CreateSymbolicLink(target, entry.LinkName);
                return;
            case TarEntryType.HardLink:
                string linkRelative = SafeRelative(entry.LinkName, entry.Name);
                EnsureNoSymlinkOnPath(linkRelative, entry.Name, includeLast: true);
                RemoveExisting(target);
                if (Link(Path.Combine(_root, linkRelative), target) != 0)
                {
                    throw new PackageException($"{_displayName}: cannot hard-link '{entry.Name}' to '{entry.LinkName}' (errno {Marshal.GetLastPInvokeError()})");
                }
                return;
            case TarEntryType.Fifo:
                RemoveExisting(target);
                if (MakeFifo(target, 0x180) != 0)
                {
                    throw new PackageException($"{_displayName}: cannot create fifo '{entry.Name}' (errno {Marshal.GetLastPInvokeError()})");
                }
                break;
            default:
                throw new PackageException($"{_displayName}: cannot extract '{entry.Name}': entry type '{(char)entry.TypeFlag}' is not supported");
        }
        SetMode(target, entry.Mode);
        File.SetLastWriteTimeUtc(target, DateTime.UnixEpoch.AddSeconds(entry.ModificationTime));
    }

    /// <summary>The name below the root, without "./" parts; refuses absolute names and "..".</summary>
    private string SafeRelative(string name, string entryName)
    {
        if (name.StartsWith('/'))
        {
            throw Refuse(entryName, $"'{name}' is an absolute path");
        }
        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == "..")
            {
                throw Refuse(entryName, $"'{name}' contains '..'");
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private void EnsureParents(string relative, string entryName)
    {
        EnsureNoSymlinkOnPath(relative, entryName, includeLast: false);
        string? parent = Path.GetDirectoryName(Path.Combine(_root, relative));
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
        }
    }

    /// <summary>Refuses when any directory on the way to <paramref name="relative"/> is a symlink.</summary>
    private void EnsureNoSymlinkOnPath(string relative, string entryName, bool includeLast)
    {
        string[] parts = relative.Split('/');
        string current = _root;
        int count = includeLast ? parts.Length : parts.Length - 1;
        for (int i = 0; i < count; i++)
        {
            current = Path.Combine(current, parts[i]);
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current) || info.LinkTarget is not null)
            {
                if (info.LinkTarget is not null)
                {
                    throw Refuse(entryName, $"'{string.Join('/', parts[..(i + 1)])}' is a symlink and writing through it could leave the target directory");
                }
            }
        }
    }

    private static void RemoveExisting(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
        else if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' exists as a directory");
        }
    }

    private static void RemoveNonDirectory(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
    }

    private static void SetMode(string path, int mode)
    {
        // .deb packages only make sense on Unix; the guard keeps the library portable to build.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
        }
    }

    private PackageException Refuse(string entryName, string why) =>
        new($"{_displayName}: refusing to extract '{entryName}': {why}");

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MakeFifo(string path, uint mode);
}
