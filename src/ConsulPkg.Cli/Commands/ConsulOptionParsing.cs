using ConsulPkg.Consul;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Cli.Commands;

/// <summary>Turns the Consul commands' option strings into library values, one clear line per bad value.</summary>
internal static class ConsulOptionParsing
{
    public static PackageLayout Layout(string? text) => text switch
    {
        null or "seed" => PackageLayout.Seed,
        "debian" => PackageLayout.Debian,
        _ => throw new PackageException($"invalid --layout '{text}': use seed (the tutorial's /usr/local paths) or debian (policy-clean /usr/bin)"),
    };

    public static CompressionFormat Compression(string? text) => text switch
    {
        null or "gz" or "gzip" => CompressionFormat.Gzip,
        "xz" => CompressionFormat.Xz,
        "zst" or "zstd" => CompressionFormat.Zstd,
        "none" => CompressionFormat.None,
        _ => throw new PackageException($"invalid --compression '{text}': use gz, xz, zst or none"),
    };

    public static int KeyBytes(int value) => value is 16 or 24 or 32
        ? value
        : throw new PackageException($"invalid --bytes {value}: use 16 (Consul before 1.6, the default), 24 or 32");

    public static GossipKeySource KeySource(string? file, int bytes, CliContext context) => new()
    {
        File = file is null ? null : context.ResolvePath(file),
        UseEnvironment = true,
        GenerateBytes = KeyBytes(bytes),
    };

    public static AgentSettings Agent(string? datacenter, string[]? join) => new()
    {
        Datacenter = datacenter ?? "dc1",
        Join = join is { Length: > 0 } ? join : AgentSettings.DefaultJoin,
    };
}
