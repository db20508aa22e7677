using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;
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
    /// <summary>fpm's <c>-s tar</c>: each input is a tarball, its tree (or its -C subdirectory) placed at the prefix.</summary>
    internal static List<PackageEntry> Collect(FpmOptions options)
    {
        if (options.Inputs.Count == 0)
        {
            throw new PackageException("no input tarball: give the tarball to package, e.g. app-1.0.tar.gz");
        }

        string prefix = PackagePath.Normalize(options.Prefix ?? "/");
        StagingOptions staging = StagingOptions.For(options, prefix);
        var byPath = new Dictionary<string, PackageEntry>(StringComparer.Ordinal);
        foreach (string input in options.Inputs)
        {
            string tarball = Path.GetFullPath(input, options.WorkingDirectory);
            foreach (PackageEntry entry in Collect(tarball, options.Chdir, prefix, staging, options.UseFilePermissions))
            {
                // Later members replace earlier ones, as tar -x does.
                byPath[entry.Path] = entry;
            }
        }

        return byPath.Values.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The entries below <paramref name="subdirectory"/> of the tarball (fpm's <c>-C</c> for
    /// <c>-s tar</c> names a directory inside it), placed below <paramref name="targetRoot"/>.
    /// Owners are <see cref="StagingOptions.Owner"/>/<see cref="StagingOptions.Group"/>, or the
    /// tarball's own when <paramref name="keepOwners"/>.
    /// </summary>
    public static IReadOnlyList<PackageEntry> Collect(string tarball, string? subdirectory, string targetRoot, StagingOptions options, bool keepOwners)
    {
        ArgumentNullException.ThrowIfNull(options);
        string inside = subdirectory is null ? "" : PackagePath.ParseFromRoot(subdirectory).Relative;
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
            // Names are bytes (UnixName), as in a -s dir tree: a Latin-1 name keeps its bytes.
            string relative = PackagePath.ParseFromRoot(UnixName.FromBytes(entry.RawName.Span)).Relative;
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

    /// <summary>A tarball's compression from its name: ".tar" and a member suffix (".tar.gz", ".tar.xz", ...), or ".tgz".</summary>
    private static CompressionFormat FormatOf(string path)
    {
        int tar = path.LastIndexOf(".tar", StringComparison.Ordinal);
        return path.EndsWith(".tgz", StringComparison.Ordinal) ? CompressionFormat.Gzip
            : tar >= 0 && CompressionSettings.FromSuffix(path[(tar + ".tar".Length)..]) is { } format ? format
            : CompressionFormat.None;
    }

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
                return PackageEntry.Symlink(target, UnixName.FromBytes(entry.RawLinkName.Span));
            case TarEntryType.HardLink:
                string linked = PackagePath.ParseFromRoot(UnixName.FromBytes(entry.RawLinkName.Span)).Relative;
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
