using System.Text.Json;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// Checks a rendered agent configuration before it is packaged, the way the packaged Consul
/// version would read it (<see cref="ConsulFacts"/>): a file name it reads (only *.json before
/// 1.0), valid JSON, an object, only keys that version knows (every version refuses others at
/// start), <c>bootstrap</c> and <c>bootstrap_expect</c> only on a server and never together, and an
/// <c>encrypt</c> key of a size the version accepts. Messages never quote the key.
/// </summary>
internal static class ConfigValidator
{
    /// <param name="text">The rendered file.</param>
    /// <param name="name">The file's name (its extension decides the format), for messages.</param>
    public static void Validate(string text, string name, ConsulFacts facts)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.ReadsConfigFile(name))
        {
            throw new PackageException(
                $"rendered config {name}: Consul {facts.Version} reads only {string.Join(" and ", facts.ConfigExtensions.Select(e => "*" + e))} from a config dir (HCL came in 1.0.0): use a .json template");
        }

        if (!name.EndsWith(".json", StringComparison.Ordinal))
        {
            // The shipped and user templates are JSON; other formats are not checked here.
            throw new PackageException($"rendered config {name}: only JSON configs are checked before packaging; name the template <role>.json.sbn");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            // JsonException names line and byte position, not content.
            throw new PackageException($"rendered config {name} is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine}): fix its template");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PackageException($"rendered config {name} is not a JSON object: fix its template");
            }

            CheckKeys(root, name, facts.ConfigKeys, facts, parent: null);
            if (root.TryGetProperty("ports", out JsonElement ports) && ports.ValueKind == JsonValueKind.Object)
            {
                CheckKeys(ports, name, facts.PortNames, facts, parent: "ports");
            }

            CheckRoles(root, name);
            if (root.TryGetProperty("encrypt", out JsonElement encrypt))
            {
                if (encrypt.ValueKind != JsonValueKind.String)
                {
                    throw new PackageException($"rendered config {name}: 'encrypt' must be a string");
                }

                GossipKey.Parse(encrypt.GetString()!, $"rendered config {name}", facts);
            }
        }
    }

    private static void CheckKeys(JsonElement json, string name, System.Collections.Frozen.FrozenSet<string> known, ConsulFacts facts, string? parent)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in json.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new PackageException(
                    $"rendered config {name} has {Quote(property.Name, parent)}, which Consul {facts.Version} refuses at start: {ConsulVersionFacts.WhyUnknown(property.Name, inPorts: parent is not null, facts.Version)}");
            }

            if (!seen.Add(property.Name))
            {
                throw new PackageException($"rendered config {name} has {Quote(property.Name, parent)} twice");
            }
        }
    }

    /// <summary>The same in every version: bootstrap modes are for servers, and one of the two at most.</summary>
    private static void CheckRoles(JsonElement root, string name)
    {
        bool bootstrap = IsTrue(root, "bootstrap", name);
        bool server = IsTrue(root, "server", name);
        if (bootstrap && !server)
        {
            throw new PackageException($"rendered config {name} sets bootstrap without server: bootstrap mode is for servers only");
        }

        if (root.TryGetProperty("bootstrap_expect", out JsonElement expect))
        {
            if (expect.ValueKind != JsonValueKind.Number || !expect.TryGetInt32(out int count) || count < 0)
            {
                throw new PackageException($"rendered config {name}: 'bootstrap_expect' must be a whole number of servers");
            }

            if (count > 0 && bootstrap)
            {
                throw new PackageException($"rendered config {name} sets both bootstrap and bootstrap_expect: Consul refuses the combination; keep bootstrap_expect");
            }

            if (count > 0 && !server)
            {
                throw new PackageException($"rendered config {name} sets bootstrap_expect without server: only servers take part in bootstrapping");
            }
        }
    }

    /// <summary>
    /// A JSON key for a message, only when it looks like a configuration key (lowercase letters,
    /// digits, '_'). Anything else might be a value a template put in the wrong place (the gossip
    /// key above all), so it is described, not quoted.
    /// </summary>
    private static string Quote(string key, string? parent) =>
        key.Length is > 0 and <= 40 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            ? $"key '{(parent is null ? key : $"{parent}.{key}")}'"
            : $"a key of {key.Length} characters that is not a configuration key name (not shown: it may be a value, such as the gossip key, in the wrong place)";

    private static bool IsTrue(JsonElement root, string key, string name)
    {
        if (!root.TryGetProperty(key, out JsonElement value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new PackageException($"rendered config {name}: '{key}' must be true or false"),
        };
    }
}
