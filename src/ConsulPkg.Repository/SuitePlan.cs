namespace ConsulPkg.Repository;

/// <summary>
/// The suite a command wants: <see cref="Before"/> as read, <see cref="After"/> as it should
/// be listed, and what the writer needs to get there (new pool files, the files of packages no
/// Contents index holds yet) and to report it. Computed entirely before anything is written.
/// </summary>
internal sealed class SuitePlan
{
    private SuitePlan(SuiteState before, SortedDictionary<string, Dictionary<string, IndexEntry>> after)
    {
        Before = before;
        After = after;
        Origin = before.Release?.Origin;
        Label = before.Release?.Label;
        Codename = before.Release?.Codename;
    }

    public SuiteState Before { get; }

    /// <summary>Component, then identity, to entry: what the new indices list.</summary>
    public SortedDictionary<string, Dictionary<string, IndexEntry>> After { get; }

    public string? Origin { get; set; }

    public string? Label { get; set; }

    /// <summary>Null for the suite's name.</summary>
    public string? Codename { get; set; }

    /// <summary>Packages whose files the pool does not have yet.</summary>
    public List<IncomingPackage> NewPoolFiles { get; } = [];

    /// <summary>The installed files of packages read on the way in, by SHA256, for their Contents lines.</summary>
    public Dictionary<string, IReadOnlyList<string>> FilesBySha256 { get; } = new(StringComparer.Ordinal);

    /// <summary>Another suite whose Contents may already hold a copied package's files.</summary>
    public SuiteState? ContentsSource { get; set; }

    public List<string> Added { get; } = [];

    public List<string> AlreadyPresent { get; } = [];

    public List<string> Removed { get; } = [];

    public List<string> Copied { get; } = [];

    /// <summary>The secrets of packages added or copied because secrets were allowed.</summary>
    public List<PackageSecret> Secrets { get; } = [];

    /// <summary>Starts from the suite as it is.</summary>
    public static SuitePlan From(SuiteState before)
    {
        var after = new SortedDictionary<string, Dictionary<string, IndexEntry>>(StringComparer.Ordinal);
        foreach ((string component, Dictionary<string, IndexEntry> entries) in before.Components)
        {
            after[component] = new Dictionary<string, IndexEntry>(entries, StringComparer.Ordinal);
        }

        return new SuitePlan(before, after);
    }

    /// <summary>The entries of <paramref name="component"/>, created empty when the suite has none.</summary>
    public Dictionary<string, IndexEntry> Component(string component)
    {
        if (!After.TryGetValue(component, out Dictionary<string, IndexEntry>? entries))
        {
            After[component] = entries = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        }

        return entries;
    }
}
