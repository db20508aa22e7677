using System.Text.RegularExpressions;

namespace ConsulPkg.Debian;

/// <summary>
/// One entry of a relation field such as Depends: alternatives of package relations
/// (<c>libssl3 (&gt;= 3.0.0) | libssl1.1</c>), as dpkg's Dpkg::Deps reads it, for what dpkg does
/// with lists of them: order them (dpkg-shlibdeps) and drop the ones another entry implies
/// (dpkg-gencontrol). An entry that is not a relation at all is kept as written and never
/// implies or is implied; architecture restrictions and build profiles (which a binary package's
/// fields do not have) count only where dpkg's rules are plain: an entry without them covers one
/// with them.
/// </summary>
public sealed partial class Relation
{
    private readonly IReadOnlyList<Alternative>? _alternatives;

    private Relation(string text, IReadOnlyList<Alternative>? alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    /// <summary>The entry as written to a control file: dpkg's spelling for a parsed one (<c>name (&gt;= 1.0)</c>), else as given.</summary>
    public string Text { get; }

    public override string ToString() => Text;

    public static Relation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        var alternatives = new List<Alternative>();
        foreach (string part in trimmed.Split('|'))
        {
            Match match = SimpleRelation().Match(part.Trim());
            if (!match.Success)
            {
                return new Relation(trimmed, null);
            }

            DebianVersion? version = null;
            if (match.Groups["version"].Success && !TryParseVersion(match.Groups["version"].Value, out version))
            {
                return new Relation(trimmed, null);
            }

            alternatives.Add(new Alternative(
                match.Groups["name"].Value,
                match.Groups["arch"].Success ? match.Groups["arch"].Value : null,
                match.Groups["op"].Success ? Operator(match.Groups["op"].Value) : null,
                version,
                match.Groups["archs"].Success ? string.Join(' ', match.Groups["archs"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : null,
                match.Groups["profiles"].Captures.Count > 0 ? string.Join(' ', match.Groups["profiles"].Captures.Select(c => $"<{string.Join(' ', c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))}>")) : null));
        }

        return new Relation(string.Join(" | ", alternatives), alternatives);
    }

    /// <summary>
    /// <paramref name="entries"/> less every entry another one implies, in order, as
    /// dpkg-gencontrol simplifies a relation field: an entry implied by a later one is replaced by
    /// that one at its place ("a | b, c, a" becomes "a, c").
    /// </summary>
    public static IReadOnlyList<Relation> Simplify(IEnumerable<Relation> entries)
    {
        var pending = new List<Relation>(entries);
        var kept = new List<Relation>();
        while (pending.Count > 0)
        {
            Relation entry = pending[0];
            pending.RemoveAt(0);
            if (kept.Any(k => k.Implies(entry)))
            {
                continue;
            }

            int stronger = pending.FindIndex(p => p.Implies(entry));
            if (stronger >= 0)
            {
                Relation moved = pending[stronger];
                pending.RemoveAt(stronger);
                pending.Insert(0, moved);
                continue;
            }

            kept.Add(entry);
        }

        return kept;
    }

    /// <summary><paramref name="entries"/> in dpkg-shlibdeps' order (<see cref="Compare"/>), entries it cannot tell apart left in their order.</summary>
    public static IReadOnlyList<Relation> Sort(IEnumerable<Relation> entries) => [.. entries.OrderBy(e => e, Comparer<Relation>.Create(Compare))];

    /// <summary>
    /// dpkg's order of entries (Dpkg::Deps deps_compare): by package, then operator, then version,
    /// alternative by alternative; 0 for entries that differ in nothing else, which a stable sort
    /// then keeps in their order.
    /// </summary>
    public static int Compare(Relation? x, Relation? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        IReadOnlyList<Alternative> a = x._alternatives ?? [];
        IReadOnlyList<Alternative> b = y._alternatives ?? [];
        for (int i = 0; ; i++)
        {
            if (i >= a.Count || i >= b.Count)
            {
                return i >= a.Count ? (i >= b.Count ? 0 : -1) : 1;
            }

            int result = string.CompareOrdinal(a[i].Name, b[i].Name);
            if (result == 0)
            {
                result = Rank(a[i].Operator).CompareTo(Rank(b[i].Operator));
            }

            if (result == 0)
            {
                result = a[i].Version is null ? (b[i].Version is null ? 0 : -1) : a[i].Version!.CompareTo(b[i].Version);
            }

            if (result != 0)
            {
                return result;
            }
        }

        static int Rank(RelationOperator? op) => op switch
        {
            null => 0,
            RelationOperator.AtLeast => 1,
            RelationOperator.Later => 2,
            RelationOperator.Exactly => 3,
            RelationOperator.Earlier => 4,
            _ => 5,
        };
    }

    /// <summary>
    /// Whether every installation satisfying this entry satisfies <paramref name="other"/>: each
    /// alternative here implies one of <paramref name="other"/>'s (Dpkg::Deps implies).
    /// </summary>
    public bool Implies(Relation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _alternatives is not null && other._alternatives is not null
            && _alternatives.All(a => other._alternatives.Any(a.Implies));
    }

    private static bool TryParseVersion(string text, out DebianVersion? version)
    {
        try
        {
            version = DebianVersion.Parse(text);
            return true;
        }
        catch (InvalidSpecException)
        {
            version = null;
            return false;
        }
    }

    private static RelationOperator Operator(string text) => text switch
    {
        ">=" => RelationOperator.AtLeast,
        ">>" or ">" => RelationOperator.Later,
        "=" => RelationOperator.Exactly,
        "<<" or "<" => RelationOperator.Earlier,
        _ => RelationOperator.AtMost, // "<="
    };

    private enum RelationOperator
    {
        AtLeast,
        Later,
        Exactly,
        Earlier,
        AtMost,
    }

    /// <summary>One package relation: name, architecture qualifier, optional version constraint, architecture list and build profiles.</summary>
    private sealed record Alternative(string Name, string? Architecture, RelationOperator? Operator, DebianVersion? Version, string? Architectures, string? Profiles)
    {
        public override string ToString() =>
            Name + (Architecture is null ? "" : ":" + Architecture)
            + (Operator is { } op ? $" ({Spelling(op)} {Version})" : "")
            + (Architectures is null ? "" : $" [{Architectures}]")
            + (Profiles is null ? "" : " " + Profiles);

        /// <summary>Dpkg::Deps::Simple implies, where it answers "yes" (restrictions: only the plain cases).</summary>
        public bool Implies(Alternative q)
        {
            if (Name != q.Name || Architecture != q.Architecture
                || (Architectures is not null && Architectures != q.Architectures) || (Profiles is not null && Profiles != q.Profiles))
            {
                return false;
            }

            if (q.Operator is not { } wanted)
            {
                return true;
            }

            if (Operator is not { } given)
            {
                return false;
            }

            DebianVersion p = Version!;
            DebianVersion v = q.Version!;
            return wanted switch
            {
                RelationOperator.Exactly => given == RelationOperator.Exactly && p.CompareTo(v) == 0,
                RelationOperator.AtMost => given is RelationOperator.Exactly or RelationOperator.Earlier or RelationOperator.AtMost && p <= v,
                RelationOperator.Earlier => (given == RelationOperator.Earlier && p <= v) || (given is RelationOperator.Exactly or RelationOperator.AtMost && p < v),
                RelationOperator.AtLeast => given is RelationOperator.Exactly or RelationOperator.Later or RelationOperator.AtLeast && p >= v,
                _ => (given == RelationOperator.Later && p >= v) || (given is RelationOperator.Exactly or RelationOperator.AtLeast && p > v),
            };
        }

        private static string Spelling(RelationOperator op) => op switch
        {
            RelationOperator.AtLeast => ">=",
            RelationOperator.Later => ">>",
            RelationOperator.Exactly => "=",
            RelationOperator.Earlier => "<<",
            _ => "<=",
        };
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9+.-]*)(?::(?<arch>[a-z0-9-]+))?\s*(?:\(\s*(?<op><<|<=|>=|>>|=|<|>)\s*(?<version>[^\s()]+)\s*\))?\s*(?:\[(?<archs>[^\]]*)\])?\s*(?:<(?<profiles>[^>]*)>\s*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleRelation();
}
