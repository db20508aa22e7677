using System.Text;

namespace ConsulPkg.Repository;

/// <summary>
/// What each of the last few publishes of a suite referenced, so that nothing a client may
/// still ask for is removed: a client that fetched an earlier InRelease a moment before a
/// publish finds its indices under by-hash, and the pool files those indices list, for
/// <see cref="Kept"/> more generations.
/// </summary>
/// <remarks>
/// The record is dists/SUITE/by-hash-generations, one line per publish (oldest first): the
/// by-hash paths below dists/SUITE that generation's Release names, then <c>drop:POOLPATH</c>
/// for each pool file its indices stopped listing. A dropped file is still wanted by the previous
/// generation's clients, so it is pending until that generation leaves the record. Without the
/// record (a repository from elsewhere, or the first publish) nothing is removed: keeping a stale
/// file is harmless, removing a live one is not.
/// </remarks>
internal sealed class ByHashGenerations
{
    /// <summary>Previous generations whose files survive a publish.</summary>
    public const int Kept = 3;

    public const string FileName = "by-hash-generations";

    private const string DropPrefix = "drop:";

    private readonly List<Generation> _generations;

    private ByHashGenerations(List<Generation> generations, bool known, IReadOnlySet<string> released)
    {
        _generations = generations;
        Known = known;
        ReleasedPool = released;
    }

    /// <summary>The record existed: what it does not name may be removed.</summary>
    public bool Known { get; }

    /// <summary>Pool files dropped by a generation whose predecessor is no longer kept: nothing of this suite can still ask for them.</summary>
    public IReadOnlySet<string> ReleasedPool { get; }

    /// <summary>Pool files a kept earlier generation still lists although the newest does not.</summary>
    public IReadOnlySet<string> PendingPool =>
        _generations.Skip(1).SelectMany(g => g.Dropped).ToHashSet(StringComparer.Ordinal);

    /// <summary>By-hash paths (below dists/SUITE) some kept generation names.</summary>
    public IReadOnlySet<string> LiveByHash => _generations.SelectMany(g => g.ByHash).ToHashSet(StringComparer.Ordinal);

    public static ByHashGenerations Read(string suiteDirectory)
    {
        string path = Path.Combine(suiteDirectory, FileName);
        if (!File.Exists(path))
        {
            return new ByHashGenerations([], known: false, new HashSet<string>());
        }

        var generations = new List<Generation>();
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            generations.Add(new Generation(
                [.. words.Where(w => !w.StartsWith(DropPrefix, StringComparison.Ordinal))],
                [.. words.Where(w => w.StartsWith(DropPrefix, StringComparison.Ordinal)).Select(w => w[DropPrefix.Length..])]));
        }

        return new ByHashGenerations(generations, known: true, new HashSet<string>());
    }

    /// <summary>The record after one more publish, which names <paramref name="byHash"/> and stopped listing <paramref name="dropped"/>.</summary>
    public ByHashGenerations Next(IEnumerable<string> byHash, IEnumerable<string> dropped)
    {
        var generations = new List<Generation>(_generations)
        {
            new([.. byHash.Order(StringComparer.Ordinal)], [.. dropped.Order(StringComparer.Ordinal)]),
        };
        int leaving = Math.Max(0, generations.Count - (Kept + 1));
        var released = new HashSet<string>(StringComparer.Ordinal);
        if (Known)
        {
            // The oldest kept generation's drops were listed only by one that is gone now.
            foreach (Generation generation in generations.Take(leaving + 1))
            {
                released.UnionWith(generation.Dropped);
            }
        }

        generations.RemoveRange(0, leaving);
        return new ByHashGenerations(generations, Known, released);
    }

    public byte[] Render() => Encoding.UTF8.GetBytes(string.Concat(_generations.Select(g =>
        string.Join(' ', g.ByHash.Concat(g.Dropped.Select(d => DropPrefix + d))) + "\n")));

    private sealed record Generation(string[] ByHash, string[] Dropped);
}
