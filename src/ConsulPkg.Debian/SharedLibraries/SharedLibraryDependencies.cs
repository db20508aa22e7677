using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ConsulPkg.Debian.Elf;

namespace ConsulPkg.Debian.SharedLibraries;

/// <summary>
/// The Depends entries a package's ELF files need, computed as dpkg-shlibdeps computes them from
/// the build host's dpkg database (see docs/fpm.md). For every dynamically linked executable or
/// library in the data (not detached debug symbols), each library it needs (DT_NEEDED) is looked
/// for, in a library of the binary's own ELF format only, first in the package itself (then it
/// needs no dependency), then on the host in its RUNPATH/RPATH and the system's library
/// directories. The package owning the file found gives its symbols file, whose entry for the
/// library starts at the lowest minimum version of its symbols and is raised to the minimum
/// version of each symbol the binary imports (its undefined dynamic symbols, with their
/// versions); without a symbols file, its shlibs line gives the dependency as it stands. One
/// entry per dependency, the highest version any binary needs, in dpkg's order.
/// </summary>
public static partial class SharedLibraryDependencies
{
    /// <summary>The entries, and what was noticed on the way (a library without a version in its name that is not installed).</summary>
    public sealed record Result(IReadOnlyList<Relation> Depends, IReadOnlyList<string> Warnings);

    /// <summary>
    /// The dependencies of <paramref name="entries"/>, a package for <paramref name="architecture"/>
    /// (its Architecture field). A library no installed package provides is a
    /// <see cref="PackageException"/> naming the file that needs it and the library.
    /// </summary>
    public static Result Compute(IReadOnlyList<PackageEntry> entries, string architecture, SharedLibraryHost host)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(host);
        string target = architecture == "all" ? host.BuildArchitecture : architecture;
        var data = new PackageData(entries);
        IReadOnlyList<string> system = LibrarySearchPath.System(host, target);
        var warnings = new List<string>();

        // First every binary and the host files that could be its libraries, so that the file
        // lists are read once for all of them.
        var binaries = new List<Binary>();
        foreach (PackageEntry entry in entries.Where(e => e.Kind == EntryKind.File && !DetachedDebugSymbols().IsMatch(e.Path)).OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            if (PackageData.ReadElf(entry, withSymbols: true) is not { Type: ElfFile.TypeExecutable or ElfFile.TypeSharedObject, HasDynamicSection: true, Needed.Count: > 0 } elf)
            {
                continue;
            }

            string[] directories = [.. LibrarySearchPath.OfBinary(elf.LibraryPath, entry.Path), .. system];
            var libraries = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (string soname in elf.Needed.Distinct(StringComparer.Ordinal))
            {
                if (data.HasLibrary(directories, soname, elf.Format))
                {
                    continue; // the package ships it: nothing to depend on
                }

                List<string> found = HostLibraries(directories, soname, elf.Format);
                if (found.Count == 0)
                {
                    if (DpkgDatabase.SplitSoname(soname) is null)
                    {
                        warnings.Add($"{entry.Path} needs {soname}, which is not installed; a library without a version in its name gets no dependency");
                        continue;
                    }

                    throw new PackageException(
                        $"{entry.Path} needs {soname} ({elf.Format}), which no installed package provides: no library directory of this host has it; install the package that ships it, or list the dependency yourself")
                    {
                        Setting = PackageSettings.AutoDepends,
                    };
                }

                libraries[soname] = found;
            }

            binaries.Add(new Binary(entry.Path, elf, libraries));
        }

        var database = new DpkgDatabase(host);
        database.LoadOwners([.. binaries.SelectMany(b => b.Libraries.Values).SelectMany(l => l).Distinct(StringComparer.Ordinal)]);
        var versions = new MinimumVersions();
        foreach (Binary binary in binaries)
        {
            AddBinary(binary, database, target, versions);
        }

        return new Result(versions.Relations(), warnings);
    }

    /// <summary>What one binary adds: each library's dependency, then its imported symbols' minimum versions.</summary>
    private static void AddBinary(Binary binary, DpkgDatabase database, string architecture, MinimumVersions versions)
    {
        var symbols = new Dictionary<string, SymbolsFile.SharedObject>(StringComparer.Ordinal);
        foreach ((string soname, IReadOnlyList<string> candidates) in binary.Libraries)
        {
            if (Describe(binary.Path, soname, candidates, database, architecture, versions) is { } shared)
            {
                symbols[soname] = shared;
                versions.Raise(shared.Dependencies[0], shared.SmallestVersion(0));
            }
        }

        foreach (ElfSymbol symbol in binary.Elf.DynamicSymbols.Where(s => !s.IsDefined))
        {
            string key = symbol.Key;
            foreach (string soname in binary.Elf.Needed)
            {
                if (symbols.TryGetValue(soname, out SymbolsFile.SharedObject? shared) && shared.Symbols.TryGetValue(key, out SymbolsFile.Symbol? found) && !found.Deprecated)
                {
                    if (found.DependencyIndex < shared.Dependencies.Count)
                    {
                        versions.Raise(shared.Dependencies[found.DependencyIndex], found.MinimumVersion);
                    }

                    break;
                }
            }
        }
    }

    /// <summary>
    /// The symbols entry describing <paramref name="soname"/>, or null once its shlibs line has
    /// been added (or it is a private library, without a SONAME). The candidates are tried in
    /// search order until one is owned by a package with a symbols or shlibs entry for it.
    /// </summary>
    private static SymbolsFile.SharedObject? Describe(string binary, string soname, IReadOnlyList<string> candidates, DpkgDatabase database, string architecture, MinimumVersions versions)
    {
        foreach (string library in candidates)
        {
            IReadOnlyList<string> owners = database.Owners(library);
            bool missing = false;
            // A file no package owns may still have a line in dpkg's shlibs.override or shlibs.default.
            IEnumerable<string?> packages = owners.Count > 0 ? owners.Select(o => (string?)o) : [null];
            foreach (string? package in packages)
            {
                if (package is not null && database.Symbols(package, soname, architecture) is { } shared)
                {
                    return shared;
                }

                if (ElfFile.Read(library) is not { Type: ElfFile.TypeSharedObject, SoName: not null })
                {
                    continue; // a private library: nothing to depend on
                }

                if (database.ShlibsDependency(package, soname) is { } dependency)
                {
                    foreach (string relation in dependency.Split(',').Select(d => d.Trim()).Where(d => d.Length > 0))
                    {
                        versions.SetUnversioned(relation);
                    }

                    return null;
                }

                missing = true;
            }

            if (missing && DpkgDatabase.SplitSoname(soname) is not null)
            {
                string where = owners.Count == 0 ? "which no installed package provides" : $"and {string.Join(", ", owners)} has no shlibs or symbols entry for it";
                throw new PackageException(
                    $"{binary} needs {soname}, found at {library}, {where}: install the package that ships it, or list the dependency yourself")
                {
                    Setting = PackageSettings.AutoDepends,
                };
            }
        }

        return null;
    }

    /// <summary>Every file named <paramref name="soname"/> in <paramref name="directories"/> that is a library of <paramref name="format"/>, in search order.</summary>
    private static List<string> HostLibraries(IEnumerable<string> directories, string soname, ElfFormat format)
    {
        var found = new List<string>();
        foreach (string directory in directories.Where(d => d.StartsWith('/')))
        {
            string path = CanonicalPath(directory + "/" + soname);
            try
            {
                if (File.Exists(path) && ElfFile.Read(path) is { } library && library.Format == format)
                {
                    found.Add(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or PackageException)
            {
                // unreadable or not a sound ELF file: not a library the binary can load
            }
        }

        return found;
    }

    /// <summary>Repeated '/' and "." parts dropped, ".." kept (Perl's canonpath).</summary>
    private static string CanonicalPath(string path) =>
        "/" + string.Join('/', path.Split('/').Where(p => p.Length > 0 && p != "."));

    private sealed record Binary(string Path, ElfFile Elf, Dictionary<string, IReadOnlyList<string>> Libraries);

    /// <summary>
    /// The dependency templates met and the highest minimum version each needs, as
    /// dpkg-shlibdeps keeps them: a template such as "libc6 #MINVER#" becomes "libc6 (&gt;= 2.34)",
    /// or plain "libc6" without a version.
    /// </summary>
    private sealed class MinimumVersions
    {
        private readonly Dictionary<string, DebianVersion?> _versions = new(StringComparer.Ordinal);

        /// <summary>Each relation of <paramref name="template"/> needs at least <paramref name="version"/> (null: any).</summary>
        public void Raise(string template, DebianVersion? version)
        {
            foreach (string relation in template.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0))
            {
                if (!_versions.TryGetValue(relation, out DebianVersion? current) || current is null || version > current)
                {
                    _versions[relation] = version;
                }
            }
        }

        /// <summary>A shlibs dependency: taken as it stands.</summary>
        public void SetUnversioned(string relation) => _versions[relation] = null;

        public IReadOnlyList<Relation> Relations() => Relation.Sort(_versions
            .Select(p => Relation.Parse(Whitespace().Replace(p.Key.Replace("#MINVER#", p.Value is null ? "" : $"(>= {p.Value})", StringComparison.Ordinal), " "))));
    }

    /// <summary>The package's files, by path, for the libraries it ships itself.</summary>
    private sealed class PackageData(IReadOnlyList<PackageEntry> entries)
    {
        private const int MaxLinks = 16;
        private readonly Dictionary<string, PackageEntry> _byPath = entries.GroupBy(e => e.Path.TrimEnd('/'), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

        /// <summary>Whether the package has, in one of <paramref name="directories"/>, a library <paramref name="soname"/> of <paramref name="format"/>.</summary>
        public bool HasLibrary(IEnumerable<string> directories, string soname, ElfFormat format) =>
            directories.Where(d => d.StartsWith('/'))
                .Select(d => Resolve(Lexical(d + "/" + soname)))
                .Any(e => e is not null && ReadElf(e, withSymbols: false) is { } library && library.Format == format);

        /// <summary>The ELF facts of a file of the package; null when it is not ELF.</summary>
        public static ElfFile? ReadElf(PackageEntry entry, bool withSymbols)
        {
            try
            {
                using Stream stream = Open(entry);
                return ElfFile.Read(stream, entry.Path, withSymbols);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PackageException($"cannot read {entry.SourcePath ?? entry.Path} to find the libraries it needs: {e.Message}", e);
            }
        }

        private static Stream Open(PackageEntry entry)
        {
            if (entry.SourcePath is { } source)
            {
                return new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
            }

            ReadOnlyMemory<byte> content = entry.Content ?? ReadOnlyMemory<byte>.Empty;
            return MemoryMarshal.TryGetArray(content, out ArraySegment<byte> segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(content.ToArray(), writable: false);
        }

        /// <summary>The regular file <paramref name="path"/> names in the package, following its links there; null when it has none.</summary>
        private PackageEntry? Resolve(string path)
        {
            for (int hops = 0; hops < MaxLinks && _byPath.TryGetValue(path, out PackageEntry? entry); hops++)
            {
                switch (entry.Kind)
                {
                    case EntryKind.File:
                        return entry;
                    case EntryKind.HardLink:
                        path = Lexical(entry.LinkTarget!);
                        break;
                    case EntryKind.Symlink:
                        string target = entry.LinkTarget!;
                        path = Lexical(target.StartsWith('/') ? target : path[..path.LastIndexOf('/')] + "/" + target);
                        break;
                    default:
                        return null;
                }
            }

            return null;
        }

        /// <summary>An absolute path with "." and ".." resolved by name, as within the package's tree.</summary>
        private static string Lexical(string path)
        {
            var parts = new List<string>();
            foreach (string part in path.Split('/'))
            {
                if (part == "..")
                {
                    if (parts.Count > 0)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                }
                else if (part.Length > 0 && part != ".")
                {
                    parts.Add(part);
                }
            }

            return "/" + string.Join('/', parts);
        }
    }

    [GeneratedRegex(@"^/usr/lib/debug/(lib|lib64|usr|bin|sbin|opt|dev|emul|\.build-id)/", RegexOptions.CultureInvariant)]
    private static partial Regex DetachedDebugSymbols();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
