using System.Text.RegularExpressions;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.SharedLibraries;

/// <summary>
/// What dpkg-shlibdeps asks of the host's dpkg: which installed packages own a file (the
/// <c>info/*.list</c> files, what <c>dpkg-query --search</c> reads), which symbols file
/// describes a library, and the shlibs line for a library (dpkg's <c>shlibs.override</c>, the
/// package's <c>shlibs</c>, dpkg's <c>shlibs.default</c>, in that order). Each file is read once.
/// </summary>
internal sealed partial class DpkgDatabase(SharedLibraryHost host)
{
    private readonly Dictionary<string, IReadOnlyList<string>> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SymbolsFile> _symbols = new(StringComparer.Ordinal);

    private string Info => Path.Combine(host.AdminDirectory, "info");

    /// <summary>
    /// Finds the owners of <paramref name="paths"/> and of the files they resolve to, with one
    /// pass over the file lists: a path dpkg lists gives its packages to its real path as well, as
    /// dpkg-shlibdeps records them (so /lib/x/libz.so.1, listed, also answers for the
    /// /usr/lib/x/libz.so.1 that names the same file).
    /// </summary>
    public void LoadOwners(IReadOnlyCollection<string> paths)
    {
        var wanted = new HashSet<string>(paths.Where(p => !_owners.ContainsKey(p)), StringComparer.Ordinal);
        wanted.UnionWith(wanted.Select(HostFiles.RealPath).OfType<string>().Where(p => !_owners.ContainsKey(p)).ToList());
        if (wanted.Count == 0)
        {
            return;
        }

        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (Directory.Exists(Info))
        {
            foreach (string list in Directory.GetFiles(Info, "*.list").Order(StringComparer.Ordinal))
            {
                string package = Path.GetFileNameWithoutExtension(list);
                foreach (string line in File.ReadLines(list))
                {
                    if (wanted.Contains(line))
                    {
                        (found.TryGetValue(line, out List<string>? owners) ? owners : found[line] = []).Add(package);
                    }
                }
            }
        }

        foreach (string path in wanted)
        {
            _owners.TryAdd(path, []);
        }

        foreach ((string path, List<string> owners) in found)
        {
            _owners[path] = owners;
            if (HostFiles.RealPath(path) is { } real)
            {
                _owners[real] = owners;
            }
        }
    }

    /// <summary>The packages owning <paramref name="path"/> or, failing that, its real path; empty when none (<see cref="LoadOwners"/> first).</summary>
    public IReadOnlyList<string> Owners(string path) =>
        _owners.GetValueOrDefault(path) is { Count: > 0 } owners ? owners
        : HostFiles.RealPath(path) is { } real ? _owners.GetValueOrDefault(real) ?? [] : [];

    /// <summary>
    /// The symbols of <paramref name="soname"/> from the first of dpkg's files for
    /// <paramref name="package"/> that describes it (<c>/etc/dpkg/symbols/PACKAGE.symbols.ARCH</c>,
    /// <c>/etc/dpkg/symbols/PACKAGE.symbols</c>, the package's own); null when none does.
    /// </summary>
    public SymbolsFile.SharedObject? Symbols(string package, string soname, string architecture)
    {
        foreach (string path in new[]
                 {
                     Path.Combine(host.ConfigDirectory, "symbols", $"{package}.symbols.{architecture}"),
                     Path.Combine(host.ConfigDirectory, "symbols", $"{package}.symbols"),
                     Path.Combine(Info, $"{package}.symbols"),
                 })
        {
            if (File.Exists(path) && Read(path)[soname] is { } shared)
            {
                return shared;
            }
        }

        return null;
    }

    /// <summary>
    /// The dependency a shlibs file gives <paramref name="soname"/> (possibly empty: no
    /// dependency), from dpkg's override, then <paramref name="package"/>'s own file (none for a
    /// file no package owns), then dpkg's defaults; null when none names it.
    /// </summary>
    public string? ShlibsDependency(string? package, string soname)
    {
        if (SplitSoname(soname) is not { } split)
        {
            return null;
        }

        IEnumerable<string> files =
        [
            Path.Combine(host.ConfigDirectory, "shlibs.override"),
            .. package is null ? [] : new[] { Path.Combine(Info, $"{package}.shlibs") },
            Path.Combine(host.ConfigDirectory, "shlibs.default"),
        ];
        foreach (string file in files.Where(File.Exists))
        {
            if (ShlibsLine(file, split.Name, split.Version) is { } dependency)
            {
                return dependency;
            }
        }

        return null;
    }

    /// <summary>
    /// "libz.so.1" is (libz, 1) and "libfoo-2.3.so" is (libfoo, 2.3), as a shlibs line names
    /// them; null for a name of neither form, which has no version a dependency could follow.
    /// </summary>
    public static (string Name, string Version)? SplitSoname(string soname)
    {
        Match match = StableSoname().Match(soname);
        if (!match.Success)
        {
            match = UnstableSoname().Match(soname);
        }

        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    private SymbolsFile Read(string path)
    {
        if (!_symbols.TryGetValue(path, out SymbolsFile? file))
        {
            file = _symbols[path] = SymbolsFile.Read(path);
        }

        return file;
    }

    /// <summary>The line of a shlibs file (deb-shlibs(5)) for the library: one typed "deb:" wins, else the first untyped.</summary>
    private static string? ShlibsLine(string file, string name, string version)
    {
        string? dependency = null;
        foreach (string line in File.ReadLines(file))
        {
            Match match = Shlibs().Match(line.TrimEnd());
            if (line.StartsWith('#') || !match.Success || match.Groups["name"].Value != name || match.Groups["version"].Value != version)
            {
                continue;
            }

            string found = match.Groups["dependency"].Value;
            if (!match.Groups["type"].Success)
            {
                dependency ??= found;
            }
            else if (match.Groups["type"].Value == "deb")
            {
                return found;
            }
        }

        return dependency;
    }

    [GeneratedRegex(@"^\s*(?:(?<type>\S+):\s+)?(?<name>\S+)\s+(?<version>\S+)(?:\s+(?<dependency>\S.*\S))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shlibs();

    [GeneratedRegex(@"^(.+)\.so\.(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex StableSoname();

    [GeneratedRegex(@"^(.+)-(\d.*)\.so$", RegexOptions.CultureInvariant)]
    private static partial Regex UnstableSoname();
}
