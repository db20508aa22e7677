using System.Text.Json;
using ConsulPkg.Consul.Configs;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// Checks a rendered agent configuration before it is packaged, the way the packaged Consul
/// version would read it (<see cref="ConsulFacts"/>): a file name it reads (only *.json before
/// 1.0; *.json or *.hcl after), valid JSON or HCL (by extension), an object, only keys that version knows (every version refuses others at
/// start), <c>bootstrap</c> and <c>bootstrap_expect</c> only on a server and never together, and an
/// <c>encrypt</c> key of a size the version accepts. Messages never quote the key.
/// </summary>
internal static class ConfigValidator
{
    /// <param name="text">The rendered file.</param>
    /// <param name="name">The file's name (its extension decides the format), for messages.</param>
    /// <returns>The file as read, for callers that look further (<see cref="IsServer"/>) without reading it again.</returns>
    public static ConfigValue Validate(string text, string name, ConsulFacts facts)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.ReadsConfigFile(name))
        {
            throw new PackageException(
                $"rendered config {name}: Consul {facts.Version} reads only {string.Join(" and ", facts.ConfigExtensions.Select(e => "*" + e))} from a config dir (HCL came in 1.0.0): use a .json template");
        }

        ConfigValue root = Read(text, name);
        bool hcl = IsHcl(name);
        CheckKeys(root, name, facts.ConfigKeys, facts, parent: null, hcl);
        foreach (ConfigValue ports in root.All("ports").Where(value => value.Kind == ConfigValueKind.Object))
        {
            CheckKeys(ports, name, facts.PortNames, facts, parent: "ports", hcl);
        }

        CheckRoles(root, name);
        if (root.All("encrypt").LastOrDefault() is { } encrypt)
        {
            if (encrypt.Kind != ConfigValueKind.String)
            {
                throw new PackageException($"rendered config {name}: 'encrypt' must be a string");
            }

            GossipKey.Parse(encrypt.Text!, $"rendered config {name}", facts);
        }

        return root;
    }

    /// <summary>Whether a configuration <see cref="Validate"/> returned sets <c>server</c> to true.</summary>
    internal static bool IsServer(ConfigValue config) =>
        config.All("server").LastOrDefault() is { Kind: ConfigValueKind.Bool, Text: "true" };

    /// <summary>The <c>encrypt</c> string of a config file in either format; null when it has none.</summary>
    internal static string? EncryptValue(string text, string name) =>
        Read(text, name).All("encrypt").LastOrDefault() is { Kind: ConfigValueKind.String } encrypt ? encrypt.Text : null;

    private static bool IsHcl(string name) => name.EndsWith(".hcl", StringComparison.Ordinal);

    /// <summary>
    /// The file as the agent would read it: HCL for *.hcl, JSON otherwise; its top level must be
    /// an object. An *.hcl file that starts with '{' is JSON, by HCL 1's own rule, and Consul
    /// reads it so: such files exist in real deployments.
    /// </summary>
    private static ConfigValue Read(string text, string name)
    {
        if (IsHcl(name) && !text.AsSpan().TrimStart().StartsWith("{"))
        {
            return HclReader.Read(text, name);
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
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PackageException($"rendered config {name} is not a JSON object: fix its template");
            }

            return ConfigValue.FromJson(document.RootElement);
        }
    }

    /// <summary>
    /// Every key must be one this version knows. A key given twice is refused, except that HCL
    /// may repeat a block (<c>service { }</c> twice is a list of two), as the agent reads it.
    /// </summary>
    private static void CheckKeys(ConfigValue value, string name, System.Collections.Frozen.FrozenSet<string> known, ConsulFacts facts, string? parent, bool hcl)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, ConfigValue member) in value.Members)
        {
            if (!known.Contains(key))
            {
                throw new PackageException(
                    $"rendered config {name} has {Quote(key, parent)}, which Consul {facts.Version} refuses at start: {ConsulVersionFacts.WhyUnknown(key, inPorts: parent is not null, facts.Version)}");
            }

            bool repeatableBlock = hcl && value.All(key).All(v => v.Kind == ConfigValueKind.Object);
            if (!seen.Add(key) && !repeatableBlock)
            {
                throw new PackageException($"rendered config {name} has {Quote(key, parent)} twice");
            }
        }
    }

    /// <summary>The same in every version: bootstrap modes are for servers, and one of the two at most.</summary>
    private static void CheckRoles(ConfigValue root, string name)
    {
        bool bootstrap = IsTrue(root, "bootstrap", name);
        bool server = IsTrue(root, "server", name);
        if (bootstrap && !server)
        {
            throw new PackageException($"rendered config {name} sets bootstrap without server: bootstrap mode is for servers only");
        }

        if (root.All("bootstrap_expect").LastOrDefault() is { } expect)
        {
            if (expect.Kind != ConfigValueKind.Number
                || !int.TryParse(expect.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count))
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

    private static bool IsTrue(ConfigValue root, string key, string name) =>
        root.All(key).LastOrDefault() switch
        {
            null => false,
            { Kind: ConfigValueKind.Bool } value => value.Text == "true",
            _ => throw new PackageException($"rendered config {name}: '{key}' must be true or false"),
        };
}
