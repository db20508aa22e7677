using System.Net;
using System.Text.Json;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>What the three agent configurations depend on.</summary>
public sealed record AgentSettings
{
    /// <summary>The seed's three servers.</summary>
    public static IReadOnlyList<string> DefaultJoin { get; } = ["172.20.20.10", "172.20.20.11", "172.20.20.12"];

    public string Datacenter { get; init; } = "dc1";

    /// <summary>Server addresses the server and client roles join (retry_join).</summary>
    public IReadOnlyList<string> Join { get; init; } = DefaultJoin;

    /// <summary>
    /// bind_addr for every node: an IP address, or (from 0.8) a go-sockaddr template such as
    /// <c>{{ GetPrivateInterfaces | include "network" "172.20.20.0/24" | attr "address" }}</c> that
    /// picks each node's own address. Null: none (per-node settings can set it).
    /// </summary>
    public string? BindAddr { get; init; }

    /// <summary>client_addr for every node (HTTP and DNS), same forms as <see cref="BindAddr"/>.</summary>
    public string? ClientAddr { get; init; }

    /// <summary>Checks the values a user can give for <paramref name="facts"/>' version; messages name the value and the fix.</summary>
    public void Validate(ConsulFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ValidateAddress(BindAddr, ConsulSettings.BindAddr, facts);
        ValidateAddress(ClientAddr, ConsulSettings.ClientAddr, facts);
        if (Datacenter.Length == 0 || Datacenter.Length > 64 || !Datacenter.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new PackageException($"invalid datacenter '{MessageText.OneLine(Datacenter)}': use letters, digits, '-' and '_' (Consul's default is dc1)")
            {
                Setting = ConsulSettings.Datacenter,
            };
        }

        if (Join.Count == 0)
        {
            throw new PackageException("no join address: give at least one server's address to join") { Setting = ConsulSettings.Join };
        }

        foreach (string address in Join)
        {
            if (!IsHostOrAddress(address))
            {
                throw new PackageException($"invalid join address '{MessageText.OneLine(address)}': give an IP address or host name, optionally with :port")
                {
                    Setting = ConsulSettings.Join,
                };
            }
        }
    }

    /// <summary>
    /// Whether 0.7 resolves go-sockaddr templates in addresses is unconfirmed, so they are taken
    /// from 0.8 on only; a literal address works everywhere.
    /// </summary>
    private static void ValidateAddress(string? value, string setting, ConsulFacts facts)
    {
        if (value is null || IPAddress.TryParse(value, out _))
        {
            return;
        }

        bool template = value.StartsWith("{{", StringComparison.Ordinal) && value.EndsWith("}}", StringComparison.Ordinal);
        if (!template)
        {
            throw new PackageException($"invalid {setting} '{MessageText.OneLine(value)}': give an IP address, or a go-sockaddr template such as '{{{{ GetPrivateIP }}}}'")
            {
                Setting = setting,
            };
        }

        if (facts.Version < ReleaseVersion.Of(0, 8))
        {
            throw new PackageException($"invalid {setting} '{MessageText.OneLine(value)}': go-sockaddr templates are taken from Consul 0.8.0 on, not by {facts.Version}; give an IP address, or set it per node in {LayoutPaths.NodeConfigDir}")
            {
                Setting = setting,
            };
        }
    }

    private static bool IsHostOrAddress(string value)
    {
        if (IPAddress.TryParse(value, out _) || IPEndPoint.TryParse(value, out _))
        {
            return true;
        }

        string host = value;
        int colon = value.LastIndexOf(':');
        if (colon > 0 && ushort.TryParse(value[(colon + 1)..], out _))
        {
            host = value[..colon];
        }

        return Uri.CheckHostName(host) == UriHostNameType.Dns;
    }
}

/// <summary>One role's configuration: its file name in the role's directory (<c>consul.json</c> or <c>consul.hcl</c>) and text.</summary>
internal sealed record RenderedConfig(string FileName, string Text);

/// <summary>The rendered, checked text of every template.</summary>
/// <param name="DebconfConfig">debconf's config script.</param>
/// <param name="DebconfTemplates">debconf's templates.</param>
internal sealed record RenderedPackage(
    string Unit,
    IReadOnlyDictionary<AgentRole, RenderedConfig> Configs,
    IReadOnlyDictionary<MaintainerScript, string> Scripts,
    string Description,
    string DebconfConfig,
    string DebconfTemplates);

/// <summary>Builds the template model and renders and checks every template.</summary>
internal static class ConsulRenderer
{
    public const string PackageName = "consul";

    // Config files are not HTML: keep '+' and '/' of base64 keys readable instead of \u002B.
    // Source-generated, because reflection-based serialisation is disabled in the NativeAOT executable.
    private static readonly ConsulJsonContext Json = new(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    public const string ServiceUser = "consul";

    /// <param name="key">The key the configs carry; null unless <paramref name="delivery"/> is <see cref="GossipKeyDelivery.Embedded"/>.</param>
    public static ConsulTemplateModel Model(
        ConsulFacts facts, string debianVersion, PackageLayout layout, AgentSettings settings, GossipKey? key,
        GossipKeyDelivery delivery = GossipKeyDelivery.Embedded)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        if ((key is null) == (delivery == GossipKeyDelivery.Embedded))
        {
            throw new ArgumentException($"a key is given exactly when it is embedded (delivery {delivery.ToName()})", nameof(key));
        }

        settings.Validate(facts);
        LayoutPaths paths = LayoutPaths.For(layout);
        return new ConsulTemplateModel
        {
            PackageName = PackageName,
            Version = debianVersion,
            ConsulVersion = facts.Version.Text,
            ConsulRange = facts.Range,
            Layout = layout.ToString().ToLowerInvariant(),
            BinaryPath = paths.BinaryPath,
            UnitName = LayoutPaths.UnitName,
            UnitType = facts.UnitType,
            SdNotify = facts.SdNotify,
            ReadsHcl = facts.ReadsConfigFile(".hcl"),
            UiKey = facts.UiKey,
            KeygenBytes = facts.KeygenBytes,
            ConfigCheck = paths.BinaryPath + " " + facts.ConfigCheck,
            License = facts.License,
            ConfigRoot = LayoutPaths.ConfigRoot,
            NodeConfigDir = LayoutPaths.NodeConfigDir,
            DataDir = LayoutPaths.DataDir,
            DefaultsFile = LayoutPaths.DefaultsFile,
            User = ServiceUser,
            Group = ServiceUser,
            Roles = string.Join(' ', AgentRoleExtensions.All.Select(r => r.ToName())),
            DefaultRole = AgentRole.Client.ToName(),
            DatacenterJson = JsonSerializer.Serialize(settings.Datacenter, Json.String),
            DataDirJson = JsonSerializer.Serialize(LayoutPaths.DataDir, Json.String),
            JoinJson = JsonSerializer.Serialize(settings.Join, Json.IReadOnlyListString),
            BindAddrJson = settings.BindAddr is null ? "" : JsonSerializer.Serialize(settings.BindAddr, Json.String),
            ClientAddrJson = settings.ClientAddr is null ? "" : JsonSerializer.Serialize(settings.ClientAddr, Json.String),
            EncryptJson = key is null ? "" : JsonSerializer.Serialize(key.ToBase64(), Json.String),
            GossipKeyDelivery = delivery.ToName(),
            EncryptFile = LayoutPaths.EncryptFile,
            AcceptedKeyBytes = string.Join(' ', facts.AcceptedKeyBytes),
            AcceptedKeySizes = facts.AcceptedKeyBytes.Count == 1
                ? facts.AcceptedKeyBytes[0].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : string.Join(", ", facts.AcceptedKeyBytes.SkipLast(1)) + " or " + facts.AcceptedKeyBytes[^1],
        };
    }

    /// <summary>The three configurations, each checked by <see cref="ConfigValidator"/>.</summary>
    public static IReadOnlyDictionary<AgentRole, RenderedConfig> RenderConfigs(ConsulTemplates templates, ConsulTemplateModel model, ConsulFacts facts)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var configs = new Dictionary<AgentRole, RenderedConfig>();
        foreach (AgentRole role in AgentRoleExtensions.All)
        {
            string name = templates.ConfigName(role);
            string text = templates.Render(name, model);
            Configs.ConfigValue config = ConfigValidator.Validate(text, name, facts);
            bool isServer = ConfigValidator.IsServer(config);
            if (isServer != (role != AgentRole.Client))
            {
                throw new PackageException($"rendered config {name} sets server={isServer.ToString().ToLowerInvariant()}, wrong for the {role.ToName()} role: fix its template");
            }

            if (model.EncryptJson.Length == 0 && config.All("encrypt").Any())
            {
                throw new PackageException($"rendered config {name} sets encrypt, but this package carries no gossip key ({model.GossipKeyDelivery}): remove it from the template");
            }

            configs.Add(role, new RenderedConfig("consul" + Path.GetExtension(name), text));
        }

        return configs;
    }

    public static RenderedPackage RenderAll(ConsulTemplates templates, ConsulTemplateModel model, ConsulFacts facts)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var scripts = new Dictionary<MaintainerScript, string>
        {
            [MaintainerScript.Preinst] = templates.Render(ConsulTemplates.Preinst, model),
            [MaintainerScript.Postinst] = templates.Render(ConsulTemplates.Postinst, model),
            [MaintainerScript.Prerm] = templates.Render(ConsulTemplates.Prerm, model),
            [MaintainerScript.Postrm] = templates.Render(ConsulTemplates.Postrm, model),
        };
        string config = templates.Render(ConsulTemplates.DebconfConfig, model);
        foreach ((string name, string text) in scripts.Select(p => (p.Key.ToString().ToLowerInvariant(), p.Value)).Append((ConsulTemplates.DebconfConfig, config)))
        {
            if (!text.StartsWith("#!", StringComparison.Ordinal))
            {
                throw new PackageException($"rendered {name} does not start with '#!': fix its template");
            }
        }

        string debconfTemplates = templates.Render(ConsulTemplates.DebconfTemplates, model);
        if (!debconfTemplates.StartsWith("Template: ", StringComparison.Ordinal))
        {
            throw new PackageException($"rendered {ConsulTemplates.DebconfTemplates} does not start with a 'Template:' field: debconf would read no question; fix its template");
        }

        string unit = templates.Render(ConsulTemplates.Unit, model);
        if (!unit.Contains($"ExecStart={model.BinaryPath} agent ", StringComparison.Ordinal))
        {
            throw new PackageException($"rendered {ConsulTemplates.Unit} does not run '{model.BinaryPath} agent': the service would start no agent; fix its template");
        }

        string description = templates.Render(ConsulTemplates.Description, model).Trim();
        if (description.Length == 0)
        {
            throw new PackageException($"rendered {ConsulTemplates.Description} is empty: its first line is the package synopsis");
        }

        return new RenderedPackage(unit, RenderConfigs(templates, model, facts), scripts, description, config,
            debconfTemplates.EndsWith('\n') ? debconfTemplates : debconfTemplates + "\n");
    }
}
