using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ConsulPkg.Consul;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// The Consul commands' options whose values have a fixed set of meanings. Each is parsed with
/// the command line, so a bad value is a usage error (exit 2) with one line naming the option,
/// the value and what is accepted, before any work starts.
/// </summary>
internal static class ConsulOptionParsing
{
    public static Option<PackageLayout> LayoutOption() => Choice(
        "--layout", "seed (default: /usr/local/bin, /usr/lib/systemd/system) or debian (/usr/bin)", PackageLayout.Seed,
        text => text switch
        {
            "seed" => PackageLayout.Seed,
            "debian" => PackageLayout.Debian,
            _ => null,
        },
        "use seed (the tutorial's /usr/local paths) or debian (policy-clean /usr/bin)");

    public static Option<CompressionFormat> CompressionOption() => Choice(
        "--compression", "gz (default), xz, zst or none", CompressionFormat.Gzip,
        Compressors.ParseName,
        "use gz, xz, zst or none");

    /// <summary>The size of a generated gossip key, as <c>--bytes</c> (keygen) or <c>--gossip-key-bytes</c>.</summary>
    public static Option<int> KeyBytesOption(string name) => Choice(
        name, "Size of a generated key: 16 (default, Consul before 1.6), 24 or 32", 16,
        text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is 16 or 24 or 32 ? n : (int?)null,
        "use 16 (Consul before 1.6, the default), 24 or 32");

    public static GossipKeySource KeySource(string? file, int bytes, CliContext context) => new()
    {
        File = file is null ? null : context.ResolvePath(file),
        UseEnvironment = true,
        GenerateBytes = bytes,
    };

    public static AgentSettings Agent(string? datacenter, string[]? join) => new()
    {
        Datacenter = datacenter ?? "dc1",
        Join = join is { Length: > 0 } ? join : AgentSettings.DefaultJoin,
    };

    private static Option<T> Choice<T>(string name, string description, T defaultValue, Func<string, T?> parse, string accepted)
        where T : struct => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, defaultValue, parse, accepted),
    };

    private static T Parse<T>(ArgumentResult result, string name, T defaultValue, Func<string, T?> parse, string accepted)
        where T : struct
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }

        string text = result.Tokens[^1].Value;
        if (parse(text) is { } value)
        {
            return value;
        }

        result.AddError($"invalid {name} '{text}': {accepted}");
        return defaultValue;
    }
}
