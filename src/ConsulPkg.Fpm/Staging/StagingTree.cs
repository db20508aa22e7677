using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Fpm.Staging;

/// <summary>
/// Turns files on the build host into <see cref="PackageEntry"/> items: a directory tree is walked
/// without following symlinks; modes come from the disk (permission, setuid/setgid and sticky
/// bits); owners are root:root unless <see cref="StagingOptions"/> says otherwise; timestamps are
/// left to the build's one timestamp. The result is sorted by ordinal path, so it never depends on
/// the order the file system enumerates a directory.
/// </summary>
/// <remarks>
/// Files that share an inode within one <see cref="Collect"/> call become one file and hard links
/// to it (the first in walk order carries the data). FIFOs, sockets and device nodes are refused:
/// a package cannot carry them portably, and opening a FIFO to read it would block.
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
        var walk = new Walk(options ?? StagingOptions.Default);
        string source = Path.GetFullPath(sourcePath);
        string target = PackagePath.Normalize(targetPath);
        if (walk.Options.Excludes(target))
        {
            return [];
        }

        walk.Add(source, target, isRoot: true);
        walk.Entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return walk.Entries;
    }

    private sealed class Walk(StagingOptions options)
    {
        private readonly Dictionary<(ulong Device, ulong Inode), string> _firstPathOfInode = [];

        public StagingOptions Options { get; } = options;

        public List<PackageEntry> Entries { get; } = [];

        public void Add(string source, string target, bool isRoot)
        {
            FileStatus status = Stat(source);
            switch (status.Type)
            {
                case UnixFileType.Directory:
                    if (!isRoot || target != "/")
                    {
                        Entries.Add(Owned(PackageEntry.Directory(target, status.Mode), status));
                    }

                    foreach (string name in ChildNames(source))
                    {
                        string childSource = Path.Combine(source, name);
                        string childTarget = PackagePath.Combine(target, name);
                        if (!Options.Excludes(childTarget) && !Options.SkipSource(childSource))
                        {
                            Add(childSource, childTarget, isRoot: false);
                        }
                    }

                    break;
                case UnixFileType.Symlink:
                    Entries.Add(Owned(PackageEntry.Symlink(target, ReadSymlink(source)), status));
                    break;
                case UnixFileType.Regular:
                    Entries.Add(Owned(RegularFile(source, target, status), status));
                    break;
                default:
                    throw new PackageException(
                        $"cannot package '{UnixName.Printable(source)}': it is a {FileStatus.Describe(status.Type)}; only regular files, directories and symlinks can be packaged (exclude it with -x)");
            }
        }

        private PackageEntry RegularFile(string source, string target, FileStatus status)
        {
            if (status.LinkCount > 1)
            {
                if (_firstPathOfInode.TryGetValue((status.Device, status.Inode), out string? first))
                {
                    return new PackageEntry { Path = target, Kind = EntryKind.HardLink, LinkTarget = first, Mode = status.Mode };
                }

                _firstPathOfInode.Add((status.Device, status.Inode), target);
            }

            // Not opened here: the data writer opens each file once, and an unreadable one fails
            // the build there, naming it, with nothing written.
            return PackageEntry.FromFile(target, source, status.Mode);
        }

        /// <summary>The entry with its owner on disk, or the options' owner and group; no copy when it already has them (the usual root:root).</summary>
        private PackageEntry Owned(PackageEntry entry, FileStatus status) =>
            Options.DiskOwners is { } accounts
                ? entry with
                {
                    Owner = accounts.UserName(status.Uid),
                    Group = accounts.GroupName(status.Gid),
                    Uid = (int)status.Uid,
                    Gid = (int)status.Gid,
                }
            : string.Equals(entry.Owner, Options.Owner, StringComparison.Ordinal) && string.Equals(entry.Group, Options.Group, StringComparison.Ordinal)
                ? entry
                : entry with { Owner = Options.Owner, Group = Options.Group };

        /// <summary>
        /// Every name, dot files included, read as bytes (a name need not be UTF-8), in ordinal
        /// order whatever order the file system returns: the output must be reproducible.
        /// </summary>
        private static List<string> ChildNames(string directory)
        {
            try
            {
                List<string> names = HostFiles.ChildNames(directory);
                names.Sort(StringComparer.Ordinal);
                return names;
            }
            catch (IOException exception)
            {
                throw new PackageException($"cannot read directory '{UnixName.Printable(directory)}': {IoErrorText.Reason(exception)}", exception);
            }
        }

        private static string ReadSymlink(string path)
        {
            try
            {
                return HostFiles.ReadSymlink(path);
            }
            catch (IOException exception)
            {
                throw new PackageException($"cannot read the symlink '{UnixName.Printable(path)}': {IoErrorText.Reason(exception)}", exception);
            }
        }

        private static FileStatus Stat(string path)
        {
            try
            {
                return FileStatus.Get(path, followSymlink: false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new PackageException($"cannot package '{UnixName.Printable(path)}': {IoErrorText.Reason(exception)}", exception);
            }
        }
    }
}
