using ConsulPkg.Debian;
using ConsulPkg.Fpm.Staging;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's <c>--config-files</c> (lib/fpm/package/deb.rb write_conffiles): a path as installed, a
/// directory standing for every regular file below it. A path the package data lacks but the
/// build host has (relative to the working directory, or absolute) is copied into the package at
/// that path and becomes a conffile, as fpm does; that is often not where the user meant
/// (<c>./app.yml</c> lands at <c>/app.yml</c>), so it comes with a warning saying where.
/// </summary>
internal static class FpmConfigFiles
{
    /// <returns>The entries with any host file copied in (sorted by path), and the conffiles.</returns>
    public static (IReadOnlyList<PackageEntry> Entries, IReadOnlyList<string> ConfFiles) Resolve(
        FpmOptions options, IReadOnlyList<PackageEntry> entries, ICollection<string> warnings)
    {
        if (options.ConfigFiles.Count == 0)
        {
            return (entries, []);
        }

        var byPath = entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var confFiles = new List<string>();
        foreach (string given in options.ConfigFiles)
        {
            string path = PackagePath.Normalize(given);
            if (!byPath.TryGetValue(path, out PackageEntry? entry))
            {
                entry = CopyFromHost(options, given, path, byPath);
                warnings.Add($"--config-files {given} is not in the package data: the host's '{Path.GetFullPath(given, options.WorkingDirectory)}' is copied in as {path} and marked a conffile, as fpm does");
            }

            if (entry.Kind == EntryKind.Directory)
            {
                confFiles.AddRange(byPath.Values
                    .Where(e => e.Kind == EntryKind.File && e.Path.StartsWith(path + "/", StringComparison.Ordinal))
                    .Select(e => e.Path)
                    .Order(StringComparer.Ordinal));
            }
            else if (entry.Kind == EntryKind.File)
            {
                confFiles.Add(path);
            }
            else
            {
                throw new PackageException($"config file '{path}' (--config-files {given}) is a {entry.Kind.ToString().ToLowerInvariant()}: only regular files can be conffiles (dpkg refuses any other)");
            }
        }

        return ([.. byPath.Values.OrderBy(e => e.Path, StringComparer.Ordinal)], [.. confFiles.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>fpm's cp_r of the host path into the staging tree: no excludes apply, owners as for every input.</summary>
    private static PackageEntry CopyFromHost(FpmOptions options, string given, string path, Dictionary<string, PackageEntry> byPath)
    {
        string host = Path.GetFullPath(given, options.WorkingDirectory);
        if (!Path.Exists(host))
        {
            throw new PackageException(
                $"config file '{path}' (--config-files {given}) is neither in the package data nor a file on this host ('{host}'): give a path as installed, e.g. /etc/consul.d/consul.json");
        }

        foreach (PackageEntry copied in StagingTree.Collect(host, path, StagingOptions.For(options, "/") with { Excludes = static _ => false }))
        {
            byPath.TryAdd(copied.Path, copied);
        }

        return byPath[path];
    }
}
