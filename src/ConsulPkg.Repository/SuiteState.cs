using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Repository;

/// <summary>
/// A suite as its files say it is: the Release, every package its Packages indices list by
/// component, and (read when needed) its Contents. Each index is checked against the Release
/// before it is believed: a repository whose files disagree is refused rather than silently
/// rebuilt from the wrong one.
/// </summary>
internal sealed class SuiteState
{
    private readonly Dictionary<(string Component, string Architecture), Dictionary<string, List<string>>?> _contents = [];

    private SuiteState(string name, string directory, PublishedRelease? release, SortedDictionary<string, Dictionary<string, IndexEntry>> components)
    {
        Name = name;
        Directory = directory;
        Release = release;
        Components = components;
    }

    public string Name { get; }

    /// <summary>dists/SUITE.</summary>
    public string Directory { get; }

    /// <summary>Null for a suite not published yet.</summary>
    public PublishedRelease? Release { get; }

    /// <summary>Component, then identity ("NAME VERSION ARCH"), to entry.</summary>
    public SortedDictionary<string, Dictionary<string, IndexEntry>> Components { get; }

    public IEnumerable<IndexEntry> Entries => Components.Values.SelectMany(c => c.Values);

    public static string SuiteDirectory(string root, string suite) => Path.Combine(root, "dists", suite);

    /// <summary>The suites of a repository: the directories under dists/ that hold a Release.</summary>
    public static IEnumerable<string> Names(string root)
    {
        string dists = Path.Combine(root, "dists");
        return System.IO.Directory.Exists(dists)
            ? System.IO.Directory.EnumerateDirectories(dists).Where(d => File.Exists(Path.Combine(d, "Release"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!
            : [];
    }

    public static SuiteState Read(string root, string suite)
    {
        string directory = SuiteDirectory(root, suite);
        PublishedRelease? release = PublishedRelease.Read(Path.Combine(directory, "Release"));
        var components = new SortedDictionary<string, Dictionary<string, IndexEntry>>(StringComparer.Ordinal);
        var state = new SuiteState(suite, directory, release, components);
        if (release is null)
        {
            return state;
        }

        foreach (string component in release.Components)
        {
            components[component] = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        }

        foreach (ReleaseSum sum in release.Sha256)
        {
            string[] parts = sum.Path.Split('/');
            if (parts.Length != 3 || parts[2] != "Packages" || !components.TryGetValue(parts[0], out var entries)
                || (parts[1] == "binary-all" && release.Sha256.Any(s => s.Path != sum.Path && s.Path.StartsWith(parts[0] + "/binary-", StringComparison.Ordinal) && s.Path.EndsWith("/Packages", StringComparison.Ordinal))))
            {
                continue; // binary-all repeats what every binary-ARCH index lists
            }

            string path = Path.Combine(directory, sum.Path);
            foreach (IndexEntry entry in IndexEntry.ReadIndex(state.ReadVerified(sum), path))
            {
                entries.TryAdd(entry.Identity, entry);
            }
        }

        return state;
    }

    /// <summary>
    /// The files of each name in COMPONENT/Contents-ARCH, checked against the Release; null when
    /// the Release lists no such index (a suite published before Contents were written).
    /// </summary>
    public Dictionary<string, List<string>>? Contents(string component, string architecture)
    {
        if (_contents.TryGetValue((component, architecture), out var known))
        {
            return known;
        }

        Dictionary<string, List<string>>? contents = null;
        if (Release?.Find($"{component}/Contents-{architecture}.gz") is { } sum)
        {
            using var compressed = new MemoryStream(ReadVerified(sum));
            using Stream plain = Compressors.OpenDecompressor(compressed, CompressionFormat.Gzip);
            using var reader = new StreamReader(plain, Encoding.UTF8);
            contents = ContentsIndex.Parse(reader.ReadToEnd(), Path.Combine(Directory, sum.Path));
        }

        _contents[(component, architecture)] = contents;
        return contents;
    }

    /// <summary>The newest version of each name of exactly <paramref name="architecture"/> in <paramref name="entries"/>.</summary>
    public static Dictionary<string, IndexEntry> Newest(IEnumerable<IndexEntry> entries, string architecture)
    {
        var newest = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        foreach (IndexEntry entry in entries)
        {
            if (entry.Architecture == architecture
                && (!newest.TryGetValue(entry.Package, out IndexEntry? known) || DebianVersion.Compare(entry.ParsedVersion, known.ParsedVersion) > 0))
            {
                newest[entry.Package] = entry;
            }
        }

        return newest;
    }

    private byte[] ReadVerified(ReleaseSum sum)
    {
        string path = Path.Combine(Directory, sum.Path);
        if (!File.Exists(path))
        {
            throw new PackageException($"{path} is listed in the Release but missing: restore the repository from its last complete copy");
        }

        byte[] content = File.ReadAllBytes(path);
        if (content.Length != sum.Size || Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)) != sum.Digest)
        {
            throw new PackageException($"{path} does not match the SHA256 in its Release: the repository was changed by hand or copied partially; restore it from its last complete copy");
        }

        return content;
    }
}
