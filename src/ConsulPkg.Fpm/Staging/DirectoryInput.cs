using ConsulPkg.Debian;
using ConsulPkg.Fpm.Services;

namespace ConsulPkg.Fpm.Staging;

/// <summary>
/// fpm's <c>-s dir</c> (lib/fpm/package/dir.rb): files and directories of the build host, each
/// input a path relative to the chdir directory or a <c>source=target</c> mapping, placed below
/// the prefix. Beside <see cref="TarballInput"/> and <see cref="DebInput"/>.
/// </summary>
internal static class DirectoryInput
{
    /// <summary>
    /// The inputs (and the service flags' files) as entries, sorted by path. Host files the walk
    /// finds that <paramref name="skipSource"/> names (the scripts, the output) are left out.
    /// </summary>
    public static List<PackageEntry> Collect(FpmOptions options, Func<string, bool> skipSource, IReadOnlyList<ServiceFile> serviceFiles)
    {
        string chdir = Path.GetFullPath(options.Chdir ?? ".", options.WorkingDirectory);
        if (!Directory.Exists(chdir))
        {
            throw new PackageException($"cannot change to -C/--chdir directory '{chdir}': no such directory");
        }

        IReadOnlyList<string> inputs = options.Inputs;
        if (inputs.Count == 0)
        {
            // fpm packages the chdir directory itself when -C is given without inputs.
            inputs = options.Chdir is not null
                ? ["."]
                : throw new PackageException("no input paths: give the directory to package, e.g. '.'");
        }

        string prefix = PackagePath.Normalize(options.Prefix ?? "/");
        StagingOptions staging = StagingOptions.For(options, prefix) with { SkipSource = skipSource };

        var byPath = new Dictionary<string, (PackageEntry Entry, string Input)>(StringComparer.Ordinal);
        foreach (string input in inputs)
        {
            (string source, string target) = ResolveInput(input, chdir, prefix, path => byPath.TryGetValue(path, out var e) && e.Entry.Kind == EntryKind.Directory);
            foreach (PackageEntry entry in StagingTree.Collect(source, target, staging))
            {
                Add(entry, input);
            }
        }

        foreach (ServiceFile file in serviceFiles)
        {
            Add(file.Entry, file.Flag);
        }

        return byPath.Values.Select(v => v.Entry).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();

        void Add(PackageEntry entry, string input)
        {
            if (byPath.TryGetValue(entry.Path, out var existing))
            {
                if (existing.Entry.Kind == EntryKind.Directory && entry.Kind == EntryKind.Directory)
                {
                    return;
                }

                throw new PackageException(
                    $"two inputs put something at '{entry.Path}': '{existing.Input}' and '{input}'; exclude one or map it elsewhere");
            }

            byPath.Add(entry.Path, (entry, input));
        }
    }

    /// <summary>
    /// fpm's dir input: "path" keeps its path relative to the chdir directory ("." is the root);
    /// "src=dst" (when no file is literally named so) copies like <c>rsync -a src dst</c>: a
    /// directory ending in "/" gives its contents to dst, any other directory lands as dst/NAME,
    /// and a file becomes dst itself, or dst/NAME when dst ends in "/".
    /// </summary>
    public static (string Source, string Target) ResolveInput(string input, string chdir, string prefix, Func<string, bool>? isStagedDirectory = null)
    {
        int equals = input.IndexOf('=', StringComparison.Ordinal);
        bool isMapping = equals > 0 && equals < input.Length - 1 && !Path.Exists(Path.GetFullPath(input, chdir));
        if (!isMapping)
        {
            string source = Path.GetFullPath(input, chdir);
            string relative = Path.IsPathRooted(input) ? input : Path.GetRelativePath(chdir, source);
            if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal))
            {
                throw new PackageException(
                    $"input '{input}' lies outside the -C/--chdir directory '{chdir}': map it with '{input}=/target/path'");
            }

            return (source, Join(prefix, relative == "." ? "/" : relative));
        }

        string origin = input[..equals];
        string destination = input[(equals + 1)..];
        string originPath = Path.GetFullPath(origin, chdir);
        bool isDirectory = Directory.Exists(originPath) && new DirectoryInfo(originPath).LinkTarget is null;
        string target;
        if (isDirectory && origin.EndsWith('/'))
        {
            target = destination;
        }
        else if (isDirectory || destination.EndsWith('/'))
        {
            target = PackagePath.Combine(PackagePath.Normalize(destination), Path.GetFileName(originPath.TrimEnd('/')));
        }
        else if (IsDirectoryTarget(Join(prefix, destination), prefix, isStagedDirectory))
        {
            // rsync -a FILE DIR: into the directory, whether it is the prefix ("file=.") or one
            // an earlier input put there.
            target = PackagePath.Combine(PackagePath.Normalize(destination), Path.GetFileName(originPath));
        }
        else
        {
            target = destination;
        }

        return (originPath, Join(prefix, target));
    }

    private static bool IsDirectoryTarget(string target, string prefix, Func<string, bool>? isStagedDirectory) =>
        target == prefix || (isStagedDirectory?.Invoke(target) ?? false);

    private static string Join(string prefix, string path) =>
        PackagePath.Normalize(prefix + "/" + path);

}
