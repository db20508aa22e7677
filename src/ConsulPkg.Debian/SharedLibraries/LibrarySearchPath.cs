using ConsulPkg.Debian.Elf;

namespace ConsulPkg.Debian.SharedLibraries;

/// <summary>
/// The directories dpkg-shlibdeps looks for a needed library in (Dpkg::Shlibs), after the
/// binary's own RUNPATH or RPATH: for a cross build the target's multiarch directories, then
/// /lib and /usr/lib, then those of ld.so.conf and the files it includes, then the old multilib
/// directories.
/// </summary>
internal static class LibrarySearchPath
{
    private static readonly string[] Defaults = ["/lib", "/usr/lib"];
    private static readonly string[] Multilib = ["/lib32", "/usr/lib32", "/lib64", "/usr/lib64"];

    public static IReadOnlyList<string> System(SharedLibraryHost host, string architecture)
    {
        var directories = new List<string>();
        if (architecture != host.BuildArchitecture && ElfArchitecture.ForDebian(architecture) is { } target)
        {
            directories.Add($"/lib/{target.Multiarch}");
            directories.Add($"/usr/lib/{target.Multiarch}");
        }

        directories.AddRange(Defaults);
        if (File.Exists(host.LoaderConfiguration))
        {
            ReadLoaderConfiguration(host.LoaderConfiguration, directories, new HashSet<string>(StringComparer.Ordinal));
        }

        directories.AddRange(Multilib);
        return directories;
    }

    /// <summary>
    /// The binary's RUNPATH or RPATH with $ORIGIN (or ${ORIGIN}) read as the directory the binary
    /// is installed in, as dpkg-shlibdeps reads it.
    /// </summary>
    public static IEnumerable<string> OfBinary(IEnumerable<string> libraryPath, string binaryPath)
    {
        string origin = binaryPath[..Math.Max(binaryPath.LastIndexOf('/'), 0)];
        return libraryPath.Select(d => d.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal));
    }

    /// <summary>ld.so.conf(5) as dpkg reads it: absolute directories (trailing '/' dropped, first mention kept) and <c>include</c> globs, each file once.</summary>
    private static void ReadLoaderConfiguration(string file, List<string> directories, HashSet<string> visited)
    {
        visited.Add(file);
        foreach (string raw in File.ReadLines(file))
        {
            string line = raw.TrimEnd('/');
            if (line.StartsWith("include", StringComparison.Ordinal) && line.Length > 8 && char.IsWhiteSpace(line[7]))
            {
                foreach (string included in line[8..].Split(' ', '\t').Where(p => p.Length > 0).SelectMany(Glob))
                {
                    if (File.Exists(included) && !visited.Contains(included))
                    {
                        ReadLoaderConfiguration(included, directories, visited);
                    }
                }
            }
            else if (line.TrimStart() is { } directory && directory.StartsWith('/') && !directories.Contains(directory))
            {
                directories.Add(directory);
            }
        }
    }

    /// <summary>The files a pattern such as /etc/ld.so.conf.d/*.conf names, sorted; '*' and '?' only in the last part.</summary>
    private static IEnumerable<string> Glob(string pattern)
    {
        string directory = Path.GetDirectoryName(pattern) ?? "/";
        string name = Path.GetFileName(pattern);
        if (name.IndexOfAny(['*', '?']) < 0)
        {
            return [pattern];
        }

        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, name).Order(StringComparer.Ordinal)
            : [];
    }
}
