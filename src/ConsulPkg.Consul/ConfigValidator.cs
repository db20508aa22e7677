using System.Text.Json;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// Checks a rendered agent configuration before it is packaged, the way Consul 0.7 would read it:
/// valid JSON, an object, only keys 0.7 knows (it rejects others with "Config has invalid keys"),
/// <c>bootstrap</c> only together with <c>server</c> and never with <c>bootstrap_expect</c>, and an
/// <c>encrypt</c> key that decodes to 16, 24 or 32 bytes. Messages never quote the key.
/// </summary>
public static class ConfigValidator
{
    /// <summary>The subset of Consul 0.7's configuration keys this package's configs may use.</summary>
    public static IReadOnlySet<string> KnownKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "bootstrap", "bootstrap_expect", "server", "datacenter", "data_dir", "encrypt", "start_join",
        "retry_join", "retry_interval", "bind_addr", "advertise_addr", "client_addr", "ui", "log_level",
        "node_name", "domain", "leave_on_terminate", "skip_leave_on_interrupt", "rejoin_after_leave",
        "disable_remote_exec", "disable_update_check", "enable_syslog", "ports", "addresses", "recursors",
    };

    public static void Validate(string json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
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

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!KnownKeys.Contains(property.Name))
                {
                    throw new PackageException($"rendered config {name} has {Quote(property.Name)}, which Consul 0.7 rejects: use one of {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))}");
                }

                if (!seen.Add(property.Name))
                {
                    throw new PackageException($"rendered config {name} has {Quote(property.Name)} twice");
                }
            }

            bool bootstrap = IsTrue(root, "bootstrap", name);
            bool server = IsTrue(root, "server", name);
            if (bootstrap && !server)
            {
                throw new PackageException($"rendered config {name} sets bootstrap without server: bootstrap mode is for servers only");
            }

            if (bootstrap && root.TryGetProperty("bootstrap_expect", out _))
            {
                throw new PackageException($"rendered config {name} sets both bootstrap and bootstrap_expect: Consul refuses the combination");
            }

            if (root.TryGetProperty("encrypt", out JsonElement encrypt))
            {
                if (encrypt.ValueKind != JsonValueKind.String)
                {
                    throw new PackageException($"rendered config {name}: 'encrypt' must be a string");
                }

                GossipKey.Parse(encrypt.GetString()!, $"rendered config {name}");
            }
        }
    }

    /// <summary>
    /// A JSON key for a message, only when it looks like a configuration key (lowercase letters,
    /// digits, '_'). Anything else might be a value a template put in the wrong place (the gossip
    /// key above all), so it is described, not quoted.
    /// </summary>
    private static string Quote(string key) =>
        key.Length is > 0 and <= 40 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            ? $"key '{key}'"
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
