namespace ConsulPkg.Debian.Reading;

/// <summary>One top-level item of the control member, as dpkg-deb sees it after unpacking.</summary>
public sealed class ControlMember
{
    internal ControlMember(string name, byte[]? content, int mode)
    {
        Name = name;
        Content = content;
        Mode = mode;
    }

    /// <summary>The file name, e.g. <c>control</c>, <c>postinst</c>, <c>md5sums</c>.</summary>
    public string Name { get; }

    /// <summary>The file's bytes; null when the item is not a plain file (a directory, a symlink, ...).</summary>
    public byte[]? Content { get; }

    /// <summary>Permission bits from the tar header.</summary>
    public int Mode { get; }

    public bool IsPlainFile => Content is not null;

    public bool IsExecutable => (Mode & 0x40) != 0;
}

/// <summary>
/// The control member of a package, held in memory (it is small and bounded here). Items are
/// flattened to the top level as dpkg-deb -I shows them: anything below a subdirectory only
/// makes that subdirectory appear as "not a plain file".
/// </summary>
public sealed class ControlArchive
{
    /// <summary>dpkg's control archives hold a few KiB; anything past this is refused rather than buffered.</summary>
    internal const long MaxTotalSize = 64L << 20;

    private readonly SortedDictionary<string, ControlMember> _members;

    private ControlArchive(SortedDictionary<string, ControlMember> members) => _members = members;

    /// <summary>Items in the order dpkg-deb -I lists them (byte order of names).</summary>
    public IReadOnlyCollection<ControlMember> Members => _members.Values;

    /// <summary>The named top-level item, or null.</summary>
    public ControlMember? Find(string name) => _members.GetValueOrDefault(name);

    /// <summary>The bytes of the <c>control</c> file, or null when the archive has none.</summary>
    public byte[]? ControlFileBytes => Find("control")?.Content;

    internal static ControlArchive Read(TarReader tar, string displayName)
    {
        var members = new SortedDictionary<string, ControlMember>(StringComparer.Ordinal);
        long total = 0;
        while (tar.GetNextEntry() is { } entry)
        {
            string path = StripLeading(entry.Name);
            if (path.Length == 0)
            {
                continue;
            }
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            bool nested = slash >= 0 && slash < path.Length - 1;
            string top = slash >= 0 ? path[..slash] : path;
            if (nested || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.ContiguousFile or TarEntryType.HardLink))
            {
                if (!nested || !members.ContainsKey(top))
                {
                    members[top] = new ControlMember(top, null, entry.Mode);
                }
                continue;
            }
            byte[] content;
            if (entry.EntryType == TarEntryType.HardLink)
            {
                // An extracted hard link is the same file as its target.
                string target = StripLeading(entry.LinkName);
                content = members.GetValueOrDefault(target)?.Content ?? [];
            }
            else
            {
                total += entry.Size;
                if (total > MaxTotalSize)
                {
                    throw new InvalidPackageException($"{displayName}: control member holds more than {MaxTotalSize} bytes of files; this is not a plausible package");
                }
                // Grow with the bytes that actually arrive: a declared size is only a claim.
                using var buffer = new MemoryStream();
                entry.OpenData().CopyTo(buffer);
                content = buffer.ToArray();
            }
            members[top] = new ControlMember(top, content, entry.Mode);
        }
        return new ControlArchive(members);
    }

    /// <summary>Removes what tar strips before extracting: leading "/" and "./" components.</summary>
    internal static string StripLeading(string name)
    {
        int i = 0;
        while (true)
        {
            if (i < name.Length && name[i] == '/')
            {
                i++;
            }
            else if (i + 1 < name.Length && name[i] == '.' && name[i + 1] == '/')
            {
                i += 2;
            }
            else if (i + 1 == name.Length && name[i] == '.')
            {
                i++;
            }
            else
            {
                break;
            }
        }
        return name[i..];
    }
}
