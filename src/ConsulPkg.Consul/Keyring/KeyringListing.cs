using System.Text.Json;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Keyring;

/// <summary>
/// One gossip pool as <c>GET /v1/operator/keyring</c> reports it: a datacenter's LAN pool (or a
/// segment of it) or the servers' WAN pool. Keys are counted over the members that answered;
/// <see cref="Members"/> is how many the pool has (memberlist counts every member not yet dead).
/// </summary>
/// <param name="Installed">Each key (base64, as Consul lists it) and how many members hold it.</param>
/// <param name="Primary">Each key and how many members encrypt with it; null when the version does not say (0.7.2 to early 1.x).</param>
internal sealed record KeyringPool(string Name, bool Wan, int Members, IReadOnlyDictionary<string, int> Installed, IReadOnlyDictionary<string, int>? Primary)
{
    public int Holding(GossipKey key) => Installed.GetValueOrDefault(key.ToBase64());

    public int? UsingAsPrimary(GossipKey key) => Primary?.GetValueOrDefault(key.ToBase64());

    /// <summary>Every member holds <paramref name="key"/> and no other.</summary>
    public bool HoldsOnly(GossipKey key) => Holding(key) == Members && Installed.Keys.All(k => k == key.ToBase64());
}

/// <summary>The keyring of every pool of a cluster: what Consul answered to <c>GET /v1/operator/keyring</c>.</summary>
internal sealed class KeyringListing
{
    private KeyringListing(IReadOnlyList<KeyringPool> pools, IReadOnlyList<GossipKey> keys)
    {
        Pools = pools;
        Keys = keys;
    }

    public IReadOnlyList<KeyringPool> Pools { get; }

    /// <summary>Every key installed on any member, ordered by fingerprint (never shown: only fingerprints are).</summary>
    public IReadOnlyList<GossipKey> Keys { get; }

    /// <summary>Whether every pool says which key its members encrypt with (Consul 1.x since the PrimaryKeys field; not 0.7.2).</summary>
    public bool ReportsPrimary => Pools.All(p => p.Primary is not null);

    public bool EveryMemberHolds(GossipKey key) => Pools.All(p => p.Holding(key) == p.Members);

    public bool EveryMemberUses(GossipKey key) => ReportsPrimary && Pools.All(p => p.UsingAsPrimary(key) == p.Members);

    public bool EveryMemberHoldsOnly(GossipKey key) => Pools.All(p => p.HoldsOnly(key));

    public IEnumerable<GossipKey> Others(GossipKey key) => Keys.Where(k => k.ToBase64() != key.ToBase64());

    /// <summary>"WAN (dc1) 3 members, dc1 (LAN) 5 members".</summary>
    public string DescribePools() => string.Join(", ", Pools.Select(p => $"{p.Name} {p.Members} member{(p.Members == 1 ? "" : "s")}"));

    /// <summary>How many members of each pool <paramref name="count"/> says: "3/3 of WAN (dc1), 4/5 of dc1 (LAN)".</summary>
    public string Count(Func<KeyringPool, int?> count) =>
        string.Join(", ", Pools.Select(p => $"{(count(p) is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")}/{p.Members} of {p.Name}"));

    /// <param name="source">What answered, for messages (the URL).</param>
    public static KeyringListing Parse(ReadOnlySpan<byte> json, string source)
    {
        var pools = new List<KeyringPool>();
        var keys = new Dictionary<string, GossipKey>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw NotAListing(source, "not a JSON array");
            }

            foreach (JsonElement pool in document.RootElement.EnumerateArray())
            {
                if (pool.ValueKind != JsonValueKind.Object)
                {
                    throw NotAListing(source, "an entry is not an object");
                }

                bool wan = pool.TryGetProperty("WAN", out JsonElement w) && w.ValueKind == JsonValueKind.True;
                string datacenter = pool.TryGetProperty("Datacenter", out JsonElement dc) && dc.ValueKind == JsonValueKind.String ? dc.GetString()! : "";
                string segment = pool.TryGetProperty("Segment", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
                if (!pool.TryGetProperty("NumNodes", out JsonElement n) || !n.TryGetInt32(out int members) || members < 0)
                {
                    throw NotAListing(source, "an entry has no NumNodes");
                }

                IReadOnlyDictionary<string, int> installed = Counts(pool, "Keys", source, keys)
                    ?? throw NotAListing(source, "an entry has no Keys");
                // Absent before Consul added it (pull 8522); null or an object after.
                IReadOnlyDictionary<string, int>? primary = pool.TryGetProperty("PrimaryKeys", out _)
                    ? Counts(pool, "PrimaryKeys", source, keys) ?? new Dictionary<string, int>(StringComparer.Ordinal)
                    : null;
                string name = wan ? $"WAN ({datacenter})" : segment.Length == 0 ? $"{datacenter} (LAN)" : $"{datacenter} (LAN segment {segment})";
                pools.Add(new KeyringPool(name, wan, members, installed, primary));
            }
        }
        catch (JsonException e)
        {
            throw NotAListing(source, $"invalid JSON at line {e.LineNumber + 1}");
        }

        // WAN first, then each LAN, as consul keyring -list prints them.
        pools.Sort((a, b) => a.Wan != b.Wan ? (a.Wan ? -1 : 1) : string.CompareOrdinal(a.Name, b.Name));
        return new KeyringListing(pools, [.. keys.Values.OrderBy(k => k.Fingerprint, StringComparer.Ordinal)]);
    }

    private static Dictionary<string, int>? Counts(JsonElement pool, string property, string source, Dictionary<string, GossipKey> keys)
    {
        if (!pool.TryGetProperty(property, out JsonElement map) || map.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw NotAListing(source, $"{property} is not an object");
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in map.EnumerateObject())
        {
            if (!entry.Value.TryGetInt32(out int count) || count < 0)
            {
                throw NotAListing(source, $"a count in {property} is not a number");
            }

            if (!keys.ContainsKey(entry.Name))
            {
                keys[entry.Name] = GossipKey.Parse(entry.Name, $"the keyring listing of {source}");
            }

            counts[entry.Name] = count;
        }

        return counts;
    }

    private static PackageException NotAListing(string source, string why) =>
        new($"{source} did not answer with Consul's keyring listing ({why}): is it a Consul agent's HTTP API?") { Setting = KeyringSettings.HttpAddress };
}
