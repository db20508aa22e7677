using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Building;

/// <summary>One data.tar entry after validation: its stored name, resolved mode, size and mtime.</summary>
internal sealed record LaidOutEntry(PackageEntry Source, string RelativePath, string TarName, EntryKind Kind, int Mode, long Size, long MTime, string LinkName);

/// <summary>
/// Turns the spec's entries into the exact sequence data.tar will hold: paths validated and
/// normalised, every parent directory present except the base system's unowned ones
/// (<see cref="SiteDirectories"/>), order depth first and bytewise within a directory (what
/// dpkg-deb's tree walk produces), hard links pointing backwards only.
/// Also derives what the control area needs from the data alone: Installed-Size and conffiles.
/// </summary>
internal sealed class DataLayout
{
    private const int DefaultDirectoryMode = 0b111_101_101;
    private const int DefaultFileMode = 0b110_100_100;

    private readonly HashSet<string> _regularFiles;

    private DataLayout(IReadOnlyList<LaidOutEntry> entries, long installedSizeKiB)
    {
        Entries = entries;
        InstalledSizeKiB = installedSizeKiB;
        _regularFiles = entries.Where(e => e.Kind == EntryKind.File).Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<LaidOutEntry> Entries { get; }

    /// <summary>
    /// dpkg-gencontrol's measure: each regular file and symlink counts its size in KiB rounded up,
    /// every other object (directories included) 1 KiB, each hard-linked file once.
    /// </summary>
    public long InstalledSizeKiB { get; }

    public static DataLayout Create(IEnumerable<PackageEntry> entries, long buildTime)
    {
        var byPath = new Dictionary<string, PackageEntry>(StringComparer.Ordinal);
        foreach (PackageEntry entry in entries)
        {
            string path = PackagePath.Parse(entry.Path).Relative;
            if (byPath.TryGetValue(path, out PackageEntry? existing))
            {
                if (existing.Kind == EntryKind.Directory && entry.Kind == EntryKind.Directory)
                {
                    continue;
                }

                throw new InvalidSpecException($"'{entry.Path}' is given twice in the package data");
            }

            byPath.Add(path, entry);
        }

        // Every parent of every path must be a directory; add the missing ones as 0755 root:root.
        foreach (string path in byPath.Keys.ToList())
        {
            for (string parent = ParentOf(path); parent.Length > 0; parent = ParentOf(parent))
            {
                if (byPath.TryGetValue(parent, out PackageEntry? p))
                {
                    if (p.Kind != EntryKind.Directory)
                    {
                        throw new InvalidSpecException($"'/{parent}' is a {p.Kind.ToString().ToLowerInvariant()} but '/{path}' needs it to be a directory");
                    }

                    break;
                }

                byPath.Add(parent, PackageEntry.Directory("/" + parent));
            }
        }

        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [""] = [] };
        foreach (string path in byPath.Keys)
        {
            if (path.Length == 0)
            {
                continue;
            }

            string parent = ParentOf(path);
            if (!children.TryGetValue(parent, out List<string>? list))
            {
                children[parent] = list = [];
            }

            list.Add(path);
        }

        var ordered = new List<string>(byPath.Count + 1);
        Walk("", children, ordered);

        // dpkg-deb queues symlinks after everything else (src/deb/build.c), so that no symlink
        // precedes a path beneath it in the archive: an extractor can never be led to write
        // through a link the same package created. Same order here, same bytes as dpkg-deb.
        ordered = [.. ordered.Where(p => !IsSymlink(p)), .. ordered.Where(IsSymlink)];
        bool IsSymlink(string p) => p.Length > 0 && byPath[p].Kind == EntryKind.Symlink;

        // The base system's unowned directories are walked (they hold the package's paths) but
        // never listed: listing one would make the package its owner, and purging it remove them.
        ordered.RemoveAll(p => p.Length > 0 && byPath[p].Kind == EntryKind.Directory && SiteDirectories.Contains(PackagePath.ParseFromRoot(p)));

        PackageEntry root = byPath.TryGetValue("", out PackageEntry? r) ? r : PackageEntry.Directory("/");
        var result = new List<LaidOutEntry>(ordered.Count);
        var hardLinkTargets = ResolveHardLinks(byPath, ordered);
        long installed = 0;
        foreach (string path in ordered)
        {
            PackageEntry e = path.Length == 0 ? root : byPath[path];
            LaidOutEntry laid = Lay(path, e, buildTime, hardLinkTargets);
            installed += laid.Kind switch
            {
                EntryKind.File or EntryKind.Symlink => (laid.Kind == EntryKind.Symlink ? UnixName.ByteCount(laid.LinkName) + 1023L : laid.Size + 1023L) / 1024,
                EntryKind.HardLink => 0,
                _ => 1,
            };
            result.Add(laid);
        }

        return new DataLayout(result, installed);
    }

    /// <summary>The regular files under /etc: fpm's and debhelper's default conffiles.</summary>
    public IEnumerable<string> EtcFiles() =>
        Entries.Where(e => e.Kind == EntryKind.File && e.RelativePath.StartsWith("etc/", StringComparison.Ordinal))
               .Select(e => "/" + e.RelativePath);

    public bool IsRegularFile(PackagePath path) => _regularFiles.Contains(path.Relative);

    private static string ParentOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private static void Walk(string dir, Dictionary<string, List<string>> children, List<string> ordered)
    {
        ordered.Add(dir);
        if (!children.TryGetValue(dir, out List<string>? list))
        {
            return;
        }

        list.Sort(UnixName.Compare); // bytewise, as dpkg-deb's strcmp
        foreach (string child in list)
        {
            Walk(child, children, ordered);
        }
    }

    /// <summary>
    /// A hard link must follow the file it points at in the archive. When the link sorts first,
    /// the two swap roles: the first path in archive order carries the data, the others link to it.
    /// Returns, for each path that ends up a link, the path it links to.
    /// </summary>
    private static Dictionary<string, string> ResolveHardLinks(Dictionary<string, PackageEntry> byPath, List<string> ordered)
    {
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((string path, PackageEntry e) in byPath)
        {
            if (e.Kind != EntryKind.HardLink)
            {
                continue;
            }

            string target = PackagePath.Parse(e.LinkTarget ?? throw new InvalidSpecException($"hard link '{e.Path}' has no target")).Relative;
            if (!byPath.TryGetValue(target, out PackageEntry? t) || t.Kind != EntryKind.File)
            {
                throw new InvalidSpecException($"hard link '{e.Path}' points at '/{target}', which is not a regular file in the package");
            }

            if (!groups.TryGetValue(target, out List<string>? g))
            {
                groups[target] = g = [target];
            }

            g.Add(path);
        }

        if (groups.Count == 0)
        {
            return links;
        }

        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ordered.Count; i++)
        {
            rank[ordered[i]] = i;
        }

        foreach ((string target, List<string> members) in groups)
        {
            string first = members.MinBy(m => rank[m])!;
            foreach (string m in members.Where(m => m != first))
            {
                links[m] = first;
            }

            if (first != target)
            {
                // The data moves to the first path: give it the file's source, keep its own metadata.
                PackageEntry file = byPath[target];
                byPath[first] = file with { Path = "/" + first };
            }
        }

        return links;
    }

    private static LaidOutEntry Lay(string path, PackageEntry e, long buildTime, Dictionary<string, string> hardLinks)
    {
        long mtime = Math.Min(e.ModificationTime?.ToUnixTimeSeconds() ?? buildTime, buildTime);
        string tarName = path.Length == 0 ? "./" : "./" + path;
        if (hardLinks.TryGetValue(path, out string? linkTo))
        {
            int mode = e.Mode ?? DefaultFileMode;
            return new LaidOutEntry(e, path, tarName, EntryKind.HardLink, mode, 0, mtime, "./" + linkTo);
        }

        switch (e.Kind)
        {
            case EntryKind.Directory:
                return new LaidOutEntry(e, path, path.Length == 0 ? tarName : tarName + "/", EntryKind.Directory, CheckMode(e, e.Mode ?? DefaultDirectoryMode), 0, mtime, "");
            case EntryKind.Symlink:
                if (string.IsNullOrEmpty(e.LinkTarget))
                {
                    throw new InvalidSpecException($"symlink '{e.Path}' has no target");
                }

                return new LaidOutEntry(e, path, tarName, EntryKind.Symlink, 0b111_111_111, 0, mtime, e.LinkTarget);
            case EntryKind.File:
                (long size, int mode) = FileFacts(e);
                return new LaidOutEntry(e, path, tarName, EntryKind.File, CheckMode(e, mode), size, mtime, "");
            default:
                throw new InvalidSpecException($"'{e.Path}' has an entry kind ({e.Kind}) that a Debian package cannot hold");
        }
    }

    private static (long Size, int Mode) FileFacts(PackageEntry e)
    {
        if (e.SourcePath is null)
        {
            if (e.Content is null)
            {
                throw new InvalidSpecException($"'{e.Path}' has neither a source file nor content");
            }

            return (e.Content.Value.Length, e.Mode ?? DefaultFileMode);
        }

        string source = UnixName.Printable(e.SourcePath);
        try
        {
            FileStatus status = FileStatus.Get(e.SourcePath);
            if (status.Type != UnixFileType.Regular)
            {
                throw new PackageException($"'{source}' (for {UnixName.Printable(e.Path)}) is a {FileStatus.Describe(status.Type)}, not a regular file");
            }

            return (status.Size, e.Mode ?? status.Mode);
        }
        catch (FileNotFoundException)
        {
            throw new PackageException($"'{source}' (for {UnixName.Printable(e.Path)}) does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read '{source}' (for {UnixName.Printable(e.Path)}): {ex.Message}", ex);
        }
    }

    private static int CheckMode(PackageEntry e, int mode) =>
        mode is >= 0 and <= 0xFFF ? mode : throw new InvalidSpecException($"mode {Convert.ToString(mode, 8)} of '{e.Path}' is not a permission mode (0000-7777 octal)");
}
