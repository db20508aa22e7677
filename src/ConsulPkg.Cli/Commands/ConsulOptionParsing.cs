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

    /// <summary>The same values and messages as fpm's --deb-compression (<see cref="OptionParsing.Compression"/>).</summary>
    public static Option<CompressionFormat> CompressionOption() => new("--compression")
    {
        Description = "gz (default), xz, zst or none",
        DefaultValueFactory = _ => CompressionSettings.Default.Format,
        CustomParser = result => result.Tokens.Count == 0
            ? CompressionSettings.Default.Format
            : OptionParsing.Parse(result, result.Tokens[^1].Value, OptionParsing.Compression("--compression")),
    };

    /// <summary><c>build --arch</c>: an architecture HashiCorp builds Consul for.</summary>
    public static string Architecture(string text)
    {
        _ = ConsulArchitecture.ToHashiCorp(text);
        return text;
    }

    /// <summary>The size of a generated gossip key, as <c>--bytes</c> (keygen) or <c>--gossip-key-bytes</c>.</summary>
    public static Option<int> KeyBytesOption(string name) => Choice(
        name, "Size of a generated key: 16 (default, Consul before 1.6), 24 or 32", 16,
        ParseKeyBytes,
        "use 16 (Consul before 1.6, the default), 24 or 32");

    /// <summary><c>--gossip-key-bytes</c> of build and configs: null unless given, so the packaged version's keygen size applies.</summary>
    public static Option<int?> GeneratedKeyBytesOption() => new("--gossip-key-bytes")
    {
        Description = "Size of a generated key: 16, 24 or 32 (default: what that version's consul keygen makes, 32 from 1.6)",
        CustomParser = result => Parse(result, "--gossip-key-bytes", 0, ParseKeyBytes, "use 16, 24 or 32") is var n and not 0 ? n : null,
    };

    private static int? ParseKeyBytes(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is 16 or 24 or 32 ? n : null;

    /// <param name="bytes">Size of a generated key; null: what the packaged version's consul keygen makes.</param>
    public static GossipKeySource KeySource(string? file, int? bytes, CliContext context) => new()
    {
        File = file is null ? null : context.ResolvePath(file),
        EnvironmentValue = context.Variable(GossipKey.EnvironmentVariable),
        GenerateBytes = bytes,
    };

    public static AgentSettings Agent(string? datacenter, string[]? join, string? bindAddr, string? clientAddr) => new()
    {
        Datacenter = datacenter ?? "dc1",
        Join = join is { Length: > 0 } ? join : AgentSettings.DefaultJoin,
        BindAddr = bindAddr,
        ClientAddr = clientAddr,
    };

    /// <summary>The line build and configs print about the key: its fingerprint, never the key; or where the agents get one.</summary>
    public static string DescribeKey(GossipKeyDelivery delivery, string? fingerprint) => delivery switch
    {
        GossipKeyDelivery.Embedded => $"gossip key fingerprint {fingerprint}",
        GossipKeyDelivery.AtInstall => $"gossip key: none in the configs; each node is given one at install (debconf consul/gossip-key, or {GossipKeyDeliveryExtensions.EncryptFile})",
        _ => "gossip key: none, and none asked for (--no-gossip-encryption): the agents' gossip is not encrypted",
    };

    /// <summary>The options every command that renders configs takes, so build and configs say the same.</summary>
    public sealed class AgentOptions
    {
        public Option<string?> Datacenter { get; } = new("--datacenter") { Description = "Consul datacenter (default dc1)" };

        public Option<string[]> Join { get; } = new("--join") { Description = "A server address to join, as retry_join (repeatable; default 172.20.20.10-12)", AllowMultipleArgumentsPerToken = false };

        public Option<string?> BindAddr { get; } = new("--bind-addr") { Description = "bind_addr for every node: an IP, or (Consul >= 0.8) a go-sockaddr template; per node: /etc/consul.d/node", HelpName = "ADDR" };

        public Option<string?> ClientAddr { get; } = new("--client-addr") { Description = "client_addr (HTTP, DNS) for every node, same forms as --bind-addr", HelpName = "ADDR" };

        public Option<string?> KeyFile { get; } = new("--gossip-key-file") { Description = $"File holding the gossip key (else ${GossipKey.EnvironmentVariable}, else a new key)", HelpName = "FILE" };

        public Option<int?> KeyBytes { get; } = GeneratedKeyBytesOption();

        public Option<string?> Templates { get; } = new("--templates") { Description = "Directory of templates overriding the shipped ones", HelpName = "DIR" };

        public Option<bool> KeyAtInstall { get; } = new("--gossip-key-at-install")
        {
            Description = $"Carry no gossip key: each node is given its key at install (debconf consul/gossip-key, or {GossipKeyDeliveryExtensions.EncryptFile} put there first), and its agent does not start without one",
        };

        public Option<bool> NoEncryption { get; } = new("--no-gossip-encryption") { Description = "Carry no gossip key and ask for none: the agents gossip unencrypted" };

        public IEnumerable<Option> All => [Datacenter, Join, BindAddr, ClientAddr, KeyFile, KeyBytes, KeyAtInstall, NoEncryption, Templates];

        /// <summary>Adds every option to <paramref name="command"/>, and the check that the key options agree, at parse time.</summary>
        public void AddTo(Command command)
        {
            ArgumentNullException.ThrowIfNull(command);
            foreach (Option option in All)
            {
                command.Options.Add(option);
            }

            command.Validators.Add(result =>
            {
                Option<bool>? keyless = result.GetValue(KeyAtInstall) ? KeyAtInstall : result.GetValue(NoEncryption) ? NoEncryption : null;
                string? conflict = result.GetValue(KeyAtInstall) && result.GetValue(NoEncryption)
                    ? $"{KeyAtInstall.Name} and {NoEncryption.Name} exclude each other: choose one"
                    : keyless is not null && result.GetValue(KeyFile) is not null
                        ? $"{keyless.Name} makes a package without a gossip key: drop {KeyFile.Name}"
                        : keyless is not null && result.GetValue(KeyBytes) is not null
                            ? $"{keyless.Name} makes a package without a gossip key: drop {KeyBytes.Name}"
                            : null;
                if (conflict is not null)
                {
                    result.AddError(conflict);
                }
            });
        }

        /// <summary>How the agents get their key: in the package (the default), at install, or not at all.</summary>
        public GossipKeyDelivery Delivery(ParseResult r) =>
            r.GetValue(KeyAtInstall) ? GossipKeyDelivery.AtInstall : r.GetValue(NoEncryption) ? GossipKeyDelivery.None : GossipKeyDelivery.Embedded;

        public AgentSettings Agent(ParseResult r) =>
            ConsulOptionParsing.Agent(r.GetValue(Datacenter), r.GetValue(Join), r.GetValue(BindAddr), r.GetValue(ClientAddr));

        public GossipKeySource KeySource(ParseResult r, CliContext context) => ConsulOptionParsing.KeySource(r.GetValue(KeyFile), r.GetValue(KeyBytes), context);

        public string? TemplatesDirectory(ParseResult r, CliContext context) => r.GetValue(Templates) is { } t ? context.ResolvePath(t) : null;
    }

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
