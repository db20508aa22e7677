using ConsulPkg.Debian.IO;

namespace ConsulPkg.Repository;

/// <summary>
/// Remembers which by-hash files each of the last few publishes referenced, so that old ones can
/// be removed without breaking a client that fetched an earlier Release a moment before a publish:
/// its indices stay reachable under by-hash for <see cref="Kept"/> more generations.
/// </summary>
/// <remarks>
/// The record is dists/SUITE/by-hash-generations, one line per publish (oldest first), each the
/// space-separated by-hash paths below dists/SUITE. Without it (a repository from elsewhere, or
/// the first publish) nothing is removed: keeping a stale file is harmless, removing a live one is not.
/// </remarks>
internal sealed class ByHashGenerations
{
    /// <summary>Previous generations whose by-hash files survive a publish.</summary>
    public const int Kept = 3;

    public const string FileName = "by-hash-generations";

    private readonly string _suiteDirectory;
    private readonly List<string[]> _generations;
    private readonly bool _known;

    private ByHashGenerations(string suiteDirectory, List<string[]> generations, bool known)
    {
        _suiteDirectory = suiteDirectory;
        _generations = generations;
        _known = known;
    }

    public static ByHashGenerations Read(string suiteDirectory)
    {
        string path = Path.Combine(suiteDirectory, FileName);
        if (!File.Exists(path))
        {
            return new ByHashGenerations(suiteDirectory, [], known: false);
        }

        List<string[]> generations = File.ReadAllLines(path)
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return new ByHashGenerations(suiteDirectory, generations, known: true);
    }

    /// <summary>Records the current generation, then removes by-hash files no kept generation names.</summary>
    public void Commit(IReadOnlyCollection<string> current)
    {
        _generations.Add([.. current.Order(StringComparer.Ordinal)]);
        if (_generations.Count > Kept + 1)
        {
            _generations.RemoveRange(0, _generations.Count - (Kept + 1));
        }

        AtomicFile.WriteAllBytes(Path.Combine(_suiteDirectory, FileName),
            System.Text.Encoding.UTF8.GetBytes(string.Concat(_generations.Select(g => string.Join(' ', g) + "\n"))));
        if (!_known)
        {
            return;
        }

        var live = new HashSet<string>(_generations.SelectMany(g => g), StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(_suiteDirectory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(_suiteDirectory, file);
            if (relative.Contains("/by-hash/", StringComparison.Ordinal) && !Path.GetFileName(file).StartsWith('.') && !live.Contains(relative))
            {
                File.Delete(file);
            }
        }
    }
}
