using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Fpm.Staging;

/// <summary>
/// fpm's <c>-s tar</c>: the tarball's tree is the package tree, as if unpacked and packaged with
/// <c>-s dir</c> (fpm runs <c>tar -xf</c> and then its dir input on the result). It is read in
/// memory, so nothing is unpacked on the build host. The compression is chosen by the file name,
/// as fpm does (.tar.gz/.tgz, .tar.bz2, .tar.xz; .tar.zst too).
/// </summary>
public static class TarballInput
{
    /// <summary>
    /// The entries below <paramref name="subdirectory"/> of the tarball (fpm's <c>-C</c> for
    /// <c>-s tar</c> names a directory inside it), placed below <paramref name="targetRoot"/>.
    /// Owners are <see cref="StagingOptions.Owner"/>/<see cref="StagingOptions.Group"/>, or the
    /// tarball's own when <paramref name="keepOwners"/>.
    /// </summary>
    public static IReadOnlyList<PackageEntry> Collect(string tarball, string? subdirectory, string targetRoot, StagingOptions options, bool keepOwners)
    {
        ArgumentNullException.ThrowIfNull(options);
        string inside = subdirectory is null ? "" : PackagePath.Relative(PackagePath.Normalize(subdirectory));
        Stream file;
        try
        {
            file = File.OpenRead(tarball);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read the tarball '{tarball}': {Debian.IO.IoErrorText.Reason(exception)}", exception);
        }

        using (file)
        using (Stream tar = Compressors.OpenDecompressor(file, FormatOf(tarball)))
        {
            try
            {
                return Collect(Members(new TarReader(tar, tarball)), tarball, inside, targetRoot, options, keepOwners);
            }
            catch (InvalidDataException exception)
            {
                throw new PackageException($"cannot read the tarball '{tarball}': {exception.Message}", exception);
            }
        }
    }

    /// <summary>
    /// The tar <paramref name="members"/> below <paramref name="inside"/> as entries below
    /// <paramref name="targetRoot"/>; shared by <c>-s tar</c> and <c>-s deb</c> (a package's data
    /// member is a tarball too). <paramref name="source"/> names the archive in errors.
    /// </summary>
    internal static List<PackageEntry> Collect(IEnumerable<TarEntry> members, string source, string inside, string targetRoot, StagingOptions options, bool keepOwners)
    {
        var entries = new List<PackageEntry>();
        foreach (TarEntry entry in members)
        {
            string relative = PackagePath.Relative(PackagePath.Normalize(entry.Name));
            if (!Within(relative, inside, out string below))
            {
                continue;
            }

            string target = PackagePath.Normalize(targetRoot + "/" + below);
            if (options.Excludes(target) || (target == "/" && entry.EntryType == TarEntryType.Directory))
            {
                continue;
            }

            PackageEntry item = ToEntry(entry, target, inside, targetRoot, source);
            entries.Add(keepOwners && entry.UserName.Length > 0
                ? item with { Owner = entry.UserName, Group = entry.GroupName.Length > 0 ? entry.GroupName : entry.UserName, Uid = (int)entry.Uid, Gid = (int)entry.Gid }
                : item with { Owner = options.Owner, Group = options.Group });
        }

        return entries;
    }

    private static IEnumerable<TarEntry> Members(TarReader reader)
    {
        while (reader.GetNextEntry() is { } entry)
        {
            yield return entry;
        }
    }

    private static CompressionFormat FormatOf(string path) => path switch
    {
        _ when path.EndsWith(".tar.gz", StringComparison.Ordinal) || path.EndsWith(".tgz", StringComparison.Ordinal) => CompressionFormat.Gzip,
        _ when path.EndsWith(".tar.bz2", StringComparison.Ordinal) => CompressionFormat.Bzip2,
        _ when path.EndsWith(".tar.xz", StringComparison.Ordinal) => CompressionFormat.Xz,
        _ when path.EndsWith(".tar.zst", StringComparison.Ordinal) => CompressionFormat.Zstd,
        _ => CompressionFormat.None,
    };

    /// <summary>Whether <paramref name="relative"/> lies in <paramref name="inside"/> ("" is the whole archive), and its path below it.</summary>
    private static bool Within(string relative, string inside, out string below)
    {
        if (inside.Length == 0)
        {
            below = relative;
            return true;
        }

        bool within = relative == inside || relative.StartsWith(inside + "/", StringComparison.Ordinal);
        below = !within ? "" : relative == inside ? "" : relative[(inside.Length + 1)..];
        return within;
    }

    private static PackageEntry ToEntry(TarEntry entry, string target, string inside, string targetRoot, string tarball)
    {
        int mode = entry.Mode & 0xFFF;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                return PackageEntry.Directory(target, mode);
            case TarEntryType.SymbolicLink:
                return PackageEntry.Symlink(target, entry.LinkName);
            case TarEntryType.HardLink:
                string linked = PackagePath.Relative(PackagePath.Normalize(entry.LinkName));
                return Within(linked, inside, out string below)
                    ? new PackageEntry { Path = target, Kind = EntryKind.HardLink, LinkTarget = PackagePath.Normalize(targetRoot + "/" + below), Mode = mode }
                    : throw new PackageException($"cannot package '{entry.Name}' from '{tarball}': it is a hard link to '{entry.LinkName}', outside the -C directory");
            case TarEntryType.RegularFile or TarEntryType.ContiguousFile:
                using (Stream data = entry.OpenData())
                {
                    var content = new MemoryStream(checked((int)entry.Size));
                    data.CopyTo(content);
                    return PackageEntry.FromBytes(target, content.ToArray(), mode);
                }

            default:
                throw new PackageException(
                    $"cannot package '{entry.Name}' from '{tarball}': only regular files, directories and links can be packaged (exclude it with -x)");
        }
    }
}
