using System.Text.Json;

namespace ConsulPkg.Consul.Configs;

internal enum ConfigValueKind
{
    String,
    Number,
    Bool,
    Null,
    Object,
    List,
}

/// <summary>
/// One value of an agent configuration, read from JSON or HCL into the same shape so that one
/// set of checks (<see cref="ConfigValidator"/>) serves both formats. An object keeps its members
/// in file order, repeats included: JSON refuses a repeated key, HCL merges repeated blocks.
/// </summary>
internal sealed class ConfigValue
{
    private ConfigValue(ConfigValueKind kind, string? text, IReadOnlyList<KeyValuePair<string, ConfigValue>>? members, IReadOnlyList<ConfigValue>? items)
    {
        Kind = kind;
        Text = text;
        Members = members ?? [];
        Items = items ?? [];
    }

    public ConfigValueKind Kind { get; }

    /// <summary>A string's value, a number's literal text, or <c>true</c>/<c>false</c>.</summary>
    public string? Text { get; }

    /// <summary>An object's members in file order (empty for anything else).</summary>
    public IReadOnlyList<KeyValuePair<string, ConfigValue>> Members { get; }

    /// <summary>A list's items (empty for anything else).</summary>
    public IReadOnlyList<ConfigValue> Items { get; }

    public static ConfigValue String(string text) => new(ConfigValueKind.String, text, null, null);

    public static ConfigValue Number(string literal) => new(ConfigValueKind.Number, literal, null, null);

    public static ConfigValue Bool(bool value) => new(ConfigValueKind.Bool, value ? "true" : "false", null, null);

    public static ConfigValue Null { get; } = new(ConfigValueKind.Null, null, null, null);

    public static ConfigValue Object(IReadOnlyList<KeyValuePair<string, ConfigValue>> members) => new(ConfigValueKind.Object, null, members, null);

    public static ConfigValue List(IReadOnlyList<ConfigValue> items) => new(ConfigValueKind.List, null, null, items);

    /// <summary>Every value given to <paramref name="key"/> in this object, in file order.</summary>
    public IEnumerable<ConfigValue> All(string key) =>
        Members.Where(member => member.Key == key).Select(member => member.Value);

    /// <summary>Converts a parsed JSON value; a repeated key stays repeated, for the checks to see.</summary>
    public static ConfigValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Object(element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, FromJson(p.Value))).ToList()),
        JsonValueKind.Array => List(element.EnumerateArray().Select(FromJson).ToList()),
        JsonValueKind.String => String(element.GetString()!),
        JsonValueKind.Number => Number(element.GetRawText()),
        JsonValueKind.True => Bool(true),
        JsonValueKind.False => Bool(false),
        _ => Null,
    };
}
