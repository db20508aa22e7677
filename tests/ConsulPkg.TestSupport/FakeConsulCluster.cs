using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ConsulPkg.Testing;

/// <summary>
/// A member of a gossip pool as serf's key manager sees it: its keyring (the first key is the one
/// it encrypts with), whether it answers queries, what it answers when a change fails, and its
/// serf status (1 alive, 2 leaving, 3 left, 4 failed; memberlist counts only alive and leaving
/// members in NumNodes).
/// </summary>
public sealed class FakeMember(string name, params string[] keys)
{
    public string Name { get; } = name;

    /// <summary>Base64 keys; index 0 is the primary.</summary>
    public List<string> Keys { get; } = [.. keys];

    /// <summary>Answers no query (a member the broadcast does not reach, or that answers too late).</summary>
    public bool Silent { get; set; }

    /// <summary>Answers no query for this many more queries, then answers: a member that catches up.</summary>
    public int SilentForQueries { get; set; }

    /// <summary>What it answers to any change instead of applying it (e.g. its keyring file cannot be written).</summary>
    public string? Failure { get; set; }

    public int Status { get; set; } = 1;

    internal bool Counted => Status is 1 or 2;
}

/// <summary>A LAN pool of one datacenter or the WAN pool of the servers.</summary>
public sealed class FakePool(bool wan, string datacenter, params FakeMember[] members)
{
    public bool Wan { get; } = wan;

    public string Datacenter { get; } = datacenter;

    public List<FakeMember> Members { get; } = [.. members];
}

/// <summary>
/// The keyring state of a Consul cluster and the answers its agents give on
/// <c>/v1/operator/keyring</c>, modelled on Consul's sources: <c>command/agent/operator_endpoint.go</c>
/// (0.7.2) and <c>agent/operator_endpoint.go</c> (1.x), which turn each pool's serf key query into
/// one entry and any failure into HTTP 500 with a go-multierror text; serf's
/// <c>keymanager.go</c> ("N/M nodes reported success", "N/M nodes reported failure", member
/// messages by name) and memberlist's keyring ("Requested key is not in the keyring", "Removing
/// the primary key is not allowed"). <see cref="ReportsPrimaryKeys"/> is what separates 1.x
/// (the PrimaryKeys field, hashicorp/consul pull 8522) from 0.7.2. Thread-safe: one lock.
/// </summary>
public sealed class FakeConsulCluster
{
    private readonly Lock _lock = new();

    /// <param name="version">The agents' version, as /v1/agent/self reports it: "0.7.2", "1.17.0".</param>
    public FakeConsulCluster(string version, params FakePool[] pools)
    {
        Version = version;
        Pools = [.. pools];
    }

    public string Version { get; }

    public List<FakePool> Pools { get; }

    /// <summary>1.x lists PrimaryKeys and Segment; 0.7.2 lists neither.</summary>
    public bool ReportsPrimaryKeys => !Version.StartsWith("0.", StringComparison.Ordinal);

    /// <summary>When set, requests without this X-Consul-Token are refused (403), as with ACLs in default-deny.</summary>
    public string? Token { get; set; }

    /// <summary>Changes (POST, PUT, DELETE) every agent has served, in order: "POST", "PUT"...</summary>
    public List<string> Changes { get; } = [];

    /// <summary>Every key sent in a request body.</summary>
    public List<string> KeysReceived { get; } = [];

    /// <summary>A cluster of three servers (LAN and WAN) and two clients, every member holding <paramref name="key"/>.</summary>
    public static FakeConsulCluster Typical(string version, string key) => new(
        version,
        new FakePool(true, "dc1", new FakeMember("server1.dc1", key), new FakeMember("server2.dc1", key), new FakeMember("server3.dc1", key)),
        new FakePool(false, "dc1", new FakeMember("server1", key), new FakeMember("server2", key), new FakeMember("server3", key),
            new FakeMember("client1", key), new FakeMember("client2", key)));

    public FakeMember Member(string name) => Pools.SelectMany(p => p.Members).Single(m => m.Name == name);

    /// <summary>Every distinct key any member holds.</summary>
    public IReadOnlyList<string> AllKeys()
    {
        lock (_lock)
        {
            return [.. Pools.SelectMany(p => p.Members).SelectMany(m => m.Keys).Distinct().Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Whether every counted member of every pool holds only <paramref name="key"/>.</summary>
    public bool HoldsOnly(string key)
    {
        lock (_lock)
        {
            return Pools.SelectMany(p => p.Members).Where(m => m.Counted).All(m => m.Keys.SequenceEqual([key]));
        }
    }

    internal (int Status, string Body) Handle(string method, string pathAndQuery, string? token, byte[] body)
    {
        lock (_lock)
        {
            if (Token is not null && token != Token)
            {
                return (403, ReportsPrimaryKeys ? "Permission denied: anonymous token lacks permission 'keyring:write'" : "Permission denied");
            }

            string path = pathAndQuery.Split('?')[0];
            return (method, path) switch
            {
                ("GET", "/v1/agent/self") => (200, AgentSelf()),
                ("GET", "/v1/agent/members") => (200, Members(pathAndQuery.Contains("wan=1", StringComparison.Ordinal))),
                ("GET", "/v1/operator/keyring") => List(),
                ("POST" or "PUT" or "DELETE", "/v1/operator/keyring") => Change(method, body),
                (_, "/v1/operator/keyring") => (405, ""),
                _ => (404, ""),
            };
        }
    }

    private string AgentSelf() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Config"] = new Dictionary<string, object> { ["Datacenter"] = "dc1", ["NodeName"] = "server1", ["Server"] = true, ["Version"] = Version, ["VersionPrerelease"] = "" },
        ["Member"] = new Dictionary<string, object> { ["Name"] = "server1", ["Status"] = 1 },
    });

    private string Members(bool wan) => JsonSerializer.Serialize(
        Pools.Where(p => p.Wan == wan).Take(1).SelectMany(p => p.Members)
            .Select(m => new Dictionary<string, object> { ["Name"] = m.Name, ["Addr"] = "10.0.0.1", ["Port"] = wan ? 8302 : 8301, ["Status"] = m.Status }));

    /// <summary>One serf query per pool: which counted members answer this time.</summary>
    private static List<FakeMember> Answering(FakePool pool)
    {
        var answering = new List<FakeMember>();
        foreach (FakeMember member in pool.Members.Where(m => m.Counted))
        {
            if (member.SilentForQueries > 0)
            {
                member.SilentForQueries--;
                continue;
            }

            if (!member.Silent)
            {
                answering.Add(member);
            }
        }

        return answering;
    }

    private (int, string) List()
    {
        var entries = new List<Dictionary<string, object?>>();
        var errors = new List<string>();
        foreach (FakePool pool in Pools)
        {
            List<FakeMember> answering = Answering(pool);
            int counted = pool.Members.Count(m => m.Counted);
            var keys = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var primary = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (FakeMember member in answering)
            {
                foreach (string key in member.Keys)
                {
                    keys[key] = keys.GetValueOrDefault(key) + 1;
                }

                primary[member.Keys[0]] = primary.GetValueOrDefault(member.Keys[0]) + 1;
            }

            if (answering.Count != counted)
            {
                errors.Add($"{PoolName(pool)} error: {answering.Count}/{counted} nodes reported success");
            }

            var entry = new Dictionary<string, object?> { ["WAN"] = pool.Wan, ["Datacenter"] = pool.Datacenter };
            if (ReportsPrimaryKeys)
            {
                entry["Segment"] = "";
            }

            entry["Messages"] = new Dictionary<string, string>();
            entry["Keys"] = keys;
            if (ReportsPrimaryKeys)
            {
                entry["PrimaryKeys"] = primary;
            }

            entry["NumNodes"] = counted;
            entries.Add(entry);
        }

        // The agent returns the error, not the entries, as soon as one pool has one.
        return errors.Count > 0 ? (500, MultiError(errors)) : (200, JsonSerializer.Serialize(entries));
    }

    private (int, string) Change(string method, byte[] body)
    {
        Changes.Add(method);
        string? key;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            key = document.RootElement.GetProperty("Key").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (400, $"Request decode failed: {e.GetType().Name}");
        }

        if (key is null)
        {
            return (400, "Request decode failed: no Key");
        }

        KeysReceived.Add(key);
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            return (500, "illegal base64 data at input byte 0");
        }

        var errors = new List<string>();
        foreach (FakePool pool in Pools)
        {
            List<FakeMember> answering = Answering(pool);
            int counted = pool.Members.Count(m => m.Counted);
            var messages = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (FakeMember member in answering)
            {
                string? failure = member.Failure ?? Apply(method, member, key, raw.Length);
                if (failure is not null)
                {
                    messages[member.Name] = failure;
                }
            }

            if (messages.Count > 0)
            {
                errors.Add($"{PoolName(pool)} error: {messages.Count}/{counted} nodes reported failure");
                errors.AddRange(messages.Select(m => $"{m.Key}: {m.Value}"));
            }
            else if (answering.Count != counted)
            {
                errors.Add($"{PoolName(pool)} error: {answering.Count}/{counted} nodes reported success");
            }
        }

        return errors.Count > 0 ? (500, MultiError(errors)) : (200, "");
    }

    /// <summary>memberlist's Keyring.AddKey, UseKey and RemoveKey; null when it worked.</summary>
    private static string? Apply(string method, FakeMember member, string key, int size)
    {
        switch (method)
        {
            case "POST":
                if (size is not (16 or 24 or 32))
                {
                    return "key size must be 16, 24 or 32 bytes";
                }

                if (!member.Keys.Contains(key))
                {
                    member.Keys.Add(key);
                }

                return null;
            case "PUT":
                if (!member.Keys.Remove(key))
                {
                    return "Requested key is not in the keyring";
                }

                member.Keys.Insert(0, key);
                return null;
            default:
                if (member.Keys[0] == key)
                {
                    return "Removing the primary key is not allowed";
                }

                member.Keys.Remove(key);
                return null;
        }
    }

    private static string PoolName(FakePool pool) => pool.Wan ? "WAN" : $"{pool.Datacenter} (LAN)";

    /// <summary>go-multierror's text: 0.7.2 vendored the 2016 format, 1.x the 2019 one.</summary>
    private string MultiError(List<string> errors) => ReportsPrimaryKeys
        ? string.Create(CultureInfo.InvariantCulture, $"{errors.Count} error{(errors.Count == 1 ? "" : "s")} occurred:\n") + string.Concat(errors.Select(e => $"\t* {e}\n")) + "\n"
        : string.Create(CultureInfo.InvariantCulture, $"{errors.Count} error(s) occurred:\n\n") + string.Join("\n", errors.Select(e => $"* {e}"));

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
