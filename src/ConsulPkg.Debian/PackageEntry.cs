namespace ConsulPkg.Debian;

/// <summary>
/// One file, directory or link of a package's data, addressed by its absolute path on the target
/// system ("/usr/bin/consul"). A regular file's bytes come either from <see cref="SourcePath"/>
/// (streamed at write time, never loaded whole) or from <see cref="Content"/> (small rendered
/// files such as configs).
/// </summary>
public sealed record PackageEntry
{
    /// <summary>Absolute path on the target system, "/" separated, no trailing slash.</summary>
    public required string Path { get; init; }

    public EntryKind Kind { get; init; } = EntryKind.File;

    /// <summary>File on the build host whose bytes become this entry (regular files only).</summary>
    public string? SourcePath { get; init; }

    /// <summary>Inline bytes of a regular file; used when <see cref="SourcePath"/> is null.</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    /// <summary>Target of a symlink (as stored), or the absolute package path a hard link points at.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>Permission bits (07777 range). Null: 0755 for directories and executables, else 0644.</summary>
    public int? Mode { get; init; }

    public string Owner { get; init; } = "root";

    public string Group { get; init; } = "root";

    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>
    /// Modification time. Null: the build's timestamp. Later times are clamped to the build's
    /// timestamp, as dpkg-deb's <c>--clamp-mtime</c> does.
    /// </summary>
    public DateTimeOffset? ModificationTime { get; init; }

    /// <summary>Convenience for a regular file read from disk.</summary>
    /// <summary>
    /// Refuses an owner or group name the tar header cannot hold (31 bytes of UTF-8; <paramref name="what"/>
    /// says which, e.g. "user name"), so a front end can check a name before any file is read.
    /// </summary>
    public static void CheckOwnerName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        int count = System.Text.Encoding.UTF8.GetByteCount(name);
        if (count >= Archives.TarFieldLayout.UnameLength)
        {
            throw new InvalidSpecException($"{what} '{MessageText.OneLine(name)}' is {count} bytes long; tar allows at most {Archives.TarFieldLayout.UnameLength - 1}");
        }
    }

    public static PackageEntry FromFile(string path, string sourcePath, int? mode = null) =>
        new() { Path = path, Kind = EntryKind.File, SourcePath = sourcePath, Mode = mode };

    /// <summary>Convenience for a regular file with inline content.</summary>
    public static PackageEntry FromBytes(string path, ReadOnlyMemory<byte> content, int mode = 0b110_100_100) =>
        new() { Path = path, Kind = EntryKind.File, Content = content, Mode = mode };

    public static PackageEntry Directory(string path, int mode = 0b111_101_101) =>
        new() { Path = path, Kind = EntryKind.Directory, Mode = mode };

    public static PackageEntry Symlink(string path, string target) =>
        new() { Path = path, Kind = EntryKind.Symlink, LinkTarget = target, Mode = 0b111_111_111 };
}
