using System.Text.RegularExpressions;

namespace ConsulPkg.Debian.SharedLibraries;

/// <summary>
/// A package's <c>symbols</c> file (deb-symbols(5)) as dpkg-shlibdeps reads it
/// (Dpkg::Shlibs::SymbolFile): per SONAME, the dependency templates (the first on the header
/// line, alternatives on <c>|</c> lines, chosen by a symbol's dependency index), and each
/// symbol's minimum version. Patterns (<c>(c++)</c>, <c>(symver)</c>, <c>(regex)</c> tags) never
/// match a symbol by name in dpkg-shlibdeps, so they are not kept; installed files hold none.
/// </summary>
internal sealed partial class SymbolsFile
{
    private readonly Dictionary<string, SharedObject> _objects = new(StringComparer.Ordinal);

    private SymbolsFile()
    {
    }

    public SharedObject? this[string soname] => _objects.GetValueOrDefault(soname);

    public static SymbolsFile Read(string path) => Parse(File.ReadLines(path));

    public static SymbolsFile Parse(IEnumerable<string> lines)
    {
        var file = new SymbolsFile();
        SharedObject? current = null;
        foreach (string line in lines)
        {
            Match symbol = SymbolLine().Match(line);
            if (symbol.Success)
            {
                if (current is not null && Symbol.Parse(symbol.Groups["spec"].Value, deprecated: symbol.Groups["deprecated"].Success) is { } parsed)
                {
                    current.Symbols[parsed.Name] = parsed; // a later line replaces an earlier one, as in dpkg
                }

                continue;
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue; // comments, and #include, which only source templates use
            }

            if (line.StartsWith('|'))
            {
                current?.Dependencies.Add(line[1..].Trim());
            }
            else if (!line.StartsWith('*') && HeaderLine().Match(line) is { Success: true } header)
            {
                string soname = header.Groups["soname"].Value;
                if (file._objects.TryGetValue(soname, out current))
                {
                    current.Dependencies.Clear();
                    current.Dependencies.Add(header.Groups["dependency"].Value);
                }
                else
                {
                    current = file._objects[soname] = new SharedObject([header.Groups["dependency"].Value]);
                }
            }
        }

        return file;
    }

    /// <summary>One SONAME's entry: dependency templates by index, and the symbols by <c>name@version</c>.</summary>
    internal sealed class SharedObject(List<string> dependencies)
    {
        public List<string> Dependencies { get; } = dependencies;

        public Dictionary<string, Symbol> Symbols { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// The lowest minimum version among the symbols of dependency <paramref name="index"/>,
        /// deprecated ones included (dpkg's get_smallest_version); null when none has one.
        /// </summary>
        public DebianVersion? SmallestVersion(int index) =>
            Symbols.Values.Where(s => s.DependencyIndex == index && s.MinimumVersion is not null)
                .Select(s => s.MinimumVersion).Min();
    }

    /// <summary>A symbol line: name, minimum version (null when dpkg could not read it as a version), dependency index.</summary>
    internal sealed partial record Symbol(string Name, DebianVersion? MinimumVersion, int DependencyIndex, bool Deprecated)
    {
        public static Symbol? Parse(string spec, bool deprecated)
        {
            string name;
            string rest;
            Match tagged = TaggedSymbol().Match(spec);
            if (tagged.Success)
            {
                string[] tags = tagged.Groups["tags"].Value.Split('|').Select(t => t.Split('=')[0]).ToArray();
                if (tags.Any(t => t is "c++" or "symver" or "regex"))
                {
                    return null;
                }

                name = tagged.Groups["quoted"].Success ? tagged.Groups["quoted"].Value : tagged.Groups["plain"].Value;
                rest = tagged.Groups["rest"].Value;
            }
            else
            {
                int space = spec.IndexOf(' ', StringComparison.Ordinal);
                name = space < 0 ? spec : spec[..space];
                rest = space < 0 ? "" : spec[space..];
            }

            Match version = VersionAndIndex().Match(rest);
            if (name.Length == 0 || name.StartsWith("*@", StringComparison.Ordinal) || !version.Success)
            {
                return null; // "*@VERSION" is the old spelling of a symver pattern
            }

            DebianVersion? minimum;
            try
            {
                minimum = DebianVersion.Parse(version.Groups["version"].Value);
            }
            catch (InvalidSpecException)
            {
                minimum = null;
            }

            int index = version.Groups["index"].Success && int.TryParse(version.Groups["index"].Value, out int i) ? i : 0;
            return new Symbol(name, minimum, index, deprecated);
        }

        [GeneratedRegex(@"^\((?<tags>[^)]*)\)(?:(?<q>['""])(?<quoted>.*?)\k<q>|(?<plain>\S+))(?<rest>.*)$", RegexOptions.CultureInvariant)]
        private static partial Regex TaggedSymbol();

        [GeneratedRegex(@"^\s(?<version>\S+)(?:\s(?<index>\d+))?", RegexOptions.CultureInvariant)]
        private static partial Regex VersionAndIndex();
    }

    [GeneratedRegex(@"^(?:\s+|#(?:DEPRECATED|MISSING): (?<deprecated>[^#]+)#\s*)(?<spec>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolLine();

    [GeneratedRegex(@"^(?<soname>\S+)\s+(?<dependency>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderLine();
}
