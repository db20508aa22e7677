using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Repository;

/// <summary>
/// dists/SUITE/COMPONENT/Contents-ARCH: which package installs each file, one line per file,
/// "PATH  SECTION/NAME[,SECTION/NAME...]", sorted by path, no header (the format Debian's archive
/// writes and apt-file reads). A name's files are those of its newest version in the index.
/// </summary>
internal static class ContentsIndex
{
    /// <summary>The files and links a package installs, as Contents lists them: no directories, no leading "./" or "/".</summary>
    public static List<string> FilesOf(DebPackageReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var files = new List<string>();
        foreach (TarEntry entry in reader.ReadDataEntries())
        {
            if (entry.EntryType != TarEntryType.Directory)
            {
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name.TrimStart('/');
                if (name.Length > 0)
                {
                    files.Add(name);
                }
            }
        }

        return files;
    }

    /// <summary>The files of a package in the pool, for a Contents line no index holds yet.</summary>
    public static List<string> FilesOf(string debPath)
    {
        using DebPackageReader reader = DebPackageReader.Open(debPath);
        return FilesOf(reader);
    }

    /// <summary>Each package name with its files; errors name <paramref name="source"/>.</summary>
    public static Dictionary<string, List<string>> Parse(string text, string source)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        int number = 0;
        foreach (string line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            int gap = line.TrimEnd().LastIndexOfAny([' ', '\t']);
            if (gap <= 0)
            {
                throw new PackageException($"{source}: line {number}: expected \"PATH SECTION/PACKAGE\", got '{MessageText.OneLine(line)}'");
            }

            string path = line[..gap].TrimEnd();
            foreach (string location in line[(gap + 1)..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                string name = location[(location.LastIndexOf('/') + 1)..];
                if (!byName.TryGetValue(name, out List<string>? files))
                {
                    byName[name] = files = [];
                }

                files.Add(path);
            }
        }

        return byName;
    }

    /// <summary>The index of <paramref name="packages"/> (each: its entry, whose name and section make the location, and its files).</summary>
    public static byte[] Render(IEnumerable<(IndexEntry Entry, IReadOnlyList<string> Files)> packages)
    {
        var locations = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((IndexEntry entry, IReadOnlyList<string> files) in packages)
        {
            string location = entry.Section is { Length: > 0 } section ? $"{section}/{entry.Package}" : entry.Package;
            foreach (string file in files)
            {
                if (!locations.TryGetValue(file, out List<string>? at))
                {
                    locations[file] = at = [];
                }

                at.Add(location);
            }
        }

        var text = new StringBuilder();
        foreach ((string path, List<string> at) in locations)
        {
            at.Sort(StringComparer.Ordinal);
            text.Append(path);
            text.Append(' ', Math.Max(1, 56 - path.Length)); // Debian's column, one space at least
            text.AppendJoin(',', at).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
