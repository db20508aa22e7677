using System.CommandLine;
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

    /// <param name="bytes">Size of a generated key; null: what the packaged version's consul keygen makes.</param>
    public static GossipKeySource KeySource(string? file, int? bytes, CliContext context) => new()
    {
        File = file is null ? null : context.ResolvePath(file),
        UseEnvironment = true,
        GenerateBytes = bytes is { } b ? KeyBytes(b) : null,
    };

    public static AgentSettings Agent(string? datacenter, string[]? join, string? bindAddr, string? clientAddr) => new()
    {
        Datacenter = datacenter ?? "dc1",
        Join = join is { Length: > 0 } ? join : AgentSettings.DefaultJoin,
        BindAddr = bindAddr,
        ClientAddr = clientAddr,
    };

    /// <summary>The options every command that renders configs takes, so build and configs say the same.</summary>
    public sealed class AgentOptions
    {
        public Option<string?> Datacenter { get; } = new("--datacenter") { Description = "Consul datacenter (default dc1)" };

        public Option<string[]> Join { get; } = new("--join") { Description = "A server address to join, as retry_join (repeatable; default 172.20.20.10-12)", AllowMultipleArgumentsPerToken = false };

        public Option<string?> BindAddr { get; } = new("--bind-addr") { Description = "bind_addr for every node: an IP, or (Consul >= 0.8) a go-sockaddr template; per node: /etc/consul.d/node", HelpName = "ADDR" };

        public Option<string?> ClientAddr { get; } = new("--client-addr") { Description = "client_addr (HTTP, DNS) for every node, same forms as --bind-addr", HelpName = "ADDR" };

        public Option<string?> KeyFile { get; } = new("--gossip-key-file") { Description = $"File holding the gossip key (else ${GossipKey.EnvironmentVariable}, else a new key)", HelpName = "FILE" };

        public Option<int?> KeyBytes { get; } = new("--gossip-key-bytes") { Description = "Size of a generated key: 16, 24 or 32 (default: what that version's consul keygen makes, 32 from 1.6)" };

        public Option<string?> Templates { get; } = new("--templates") { Description = "Directory of templates overriding the shipped ones", HelpName = "DIR" };

        public IEnumerable<Option> All => [Datacenter, Join, BindAddr, ClientAddr, KeyFile, KeyBytes, Templates];

        public AgentSettings Agent(ParseResult r) =>
            ConsulOptionParsing.Agent(r.GetValue(Datacenter), r.GetValue(Join), r.GetValue(BindAddr), r.GetValue(ClientAddr));

        public GossipKeySource KeySource(ParseResult r, CliContext context) => ConsulOptionParsing.KeySource(r.GetValue(KeyFile), r.GetValue(KeyBytes), context);

        public string? TemplatesDirectory(ParseResult r, CliContext context) => r.GetValue(Templates) is { } t ? context.ResolvePath(t) : null;
    }
}
