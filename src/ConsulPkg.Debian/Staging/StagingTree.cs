namespace ConsulPkg.Debian.Staging;

/// <summary>
/// Turns files on the build host into <see cref="PackageEntry"/> items: a directory tree is walked
/// without following symlinks; modes come from the disk (permission, setuid/setgid and sticky
/// bits); owners are root:root (see <see cref="StagingOptions"/>). The result is sorted by
/// ordinal path, so it never depends on the order the file system enumerates a directory.
/// </summary>
/// <remarks>
/// Hard links are not detected (that would need the inode number, which .NET does not expose):
/// each link is stored as a regular file with its own copy of the bytes. Devices, FIFOs and
/// sockets cannot be told apart from regular files cheaply either and are not expected in a
/// staging tree.
/// </remarks>
public static class StagingTree
{
    /// <summary>
    /// Collects <paramref name="sourcePath"/> as <paramref name="targetPath"/>. A directory
    /// yields itself and everything below it (its own entry is left out when the target is "/");
    /// a file or symlink yields one entry.
    /// </summary>
    public static IReadOnlyList<PackageEntry> Collect(string sourcePath, string targetPath, StagingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(targetPath);
        options ??= StagingOptions.Default;
        string source = Path.GetFullPath(sourcePath);
        string target = PackagePath.Normalize(targetPath);
        var entries = new List<PackageEntry>();

        FileSystemInfo root = Stat(source);
        if (!root.Exists)
        {
            throw new PackageException($"cannot package '{source}': no such file or directory");
        }

        if (options.Excludes(target))
        {
            return [];
        }

        if (root is DirectoryInfo directory && root.LinkTarget is null)
        {
            if (target != "/")
            {
                entries.Add(ToEntry(directory, target, options));
            }

            WalkDirectory(directory, target, options, entries);
        }
        else
        {
            entries.Add(ToEntry(root, target, options));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    private static void WalkDirectory(DirectoryInfo directory, string target, StagingOptions options, List<PackageEntry> entries)
    {
        FileSystemInfo[] children;
        try
        {
            children = directory.GetFileSystemInfos();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read directory '{directory.FullName}': {exception.Message}", exception);
        }

        // Ordinal order, whatever order the file system returned: the output must be reproducible.
        Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (FileSystemInfo child in children)
        {
            string childTarget = PackagePath.Combine(target, child.Name);
            if (options.Excludes(childTarget) || options.SkipSource(child.FullName))
            {
                continue;
            }

            entries.Add(ToEntry(child, childTarget, options));
            if (child is DirectoryInfo childDirectory && child.LinkTarget is null)
            {
                WalkDirectory(childDirectory, childTarget, options, entries);
            }
        }
    }

    private static PackageEntry ToEntry(FileSystemInfo info, string target, StagingOptions options)
    {
        int mode = (int)info.UnixFileMode;
        PackageEntry entry;
        if (info.LinkTarget is { } linkTarget)
        {
            entry = PackageEntry.Symlink(target, linkTarget);
        }
        else if (info is DirectoryInfo)
        {
            entry = PackageEntry.Directory(target, mode);
        }
        else
        {
            EnsureReadable(info.FullName);
            entry = PackageEntry.FromFile(target, info.FullName, mode);
        }

        return entry with { Owner = options.Owner, Group = options.Group };
    }

    /// <summary>Fails now, naming the file, rather than halfway through writing the package.</summary>
    private static void EnsureReadable(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read '{path}': {exception.Message}", exception);
        }
    }

    private static FileSystemInfo Stat(string path)
    {
        var file = new FileInfo(path);
        if (file.LinkTarget is not null)
        {
            return file;
        }

        return Directory.Exists(path) ? new DirectoryInfo(path) : file;
    }
}
