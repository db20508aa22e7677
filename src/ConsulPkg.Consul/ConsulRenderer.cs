using System.Net;
using System.Text.Json;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>What the three agent configurations depend on.</summary>
public sealed record AgentSettings
{
    /// <summary>The seed's three servers.</summary>
    public static IReadOnlyList<string> DefaultJoin { get; } = ["172.20.20.10", "172.20.20.11", "172.20.20.12"];

    public string Datacenter { get; init; } = "dc1";

    /// <summary>Server addresses the server and client roles join (start_join).</summary>
    public IReadOnlyList<string> Join { get; init; } = DefaultJoin;

    /// <summary>Checks the values a user can give; messages name the value and the fix.</summary>
    public void Validate()
    {
        if (Datacenter.Length == 0 || Datacenter.Length > 64 || !Datacenter.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new PackageException($"invalid datacenter '{Datacenter}': use letters, digits, '-' and '_' (Consul's default is dc1)");
        }

        if (Join.Count == 0)
        {
            throw new PackageException("no join address: give at least one --join with a server's address");
        }

        foreach (string address in Join)
        {
            if (!IsHostOrAddress(address))
            {
                throw new PackageException($"invalid join address '{address}': give an IP address or host name, optionally with :port");
            }
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

/// <summary>The rendered, checked text of every template.</summary>
public sealed record RenderedPackage(
    string Unit,
    IReadOnlyDictionary<AgentRole, string> Configs,
    IReadOnlyDictionary<MaintainerScript, string> Scripts,
    string Description);

/// <summary>Builds the template model and renders and checks every template.</summary>
public static class ConsulRenderer
{
    public const string PackageName = "consul";

    // Config files are not HTML: keep '+' and '/' of base64 keys readable instead of \u002B.
    // Source-generated, because reflection-based serialisation is disabled in the NativeAOT executable.
    private static readonly ConsulJsonContext Json = new(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    public const string ServiceUser = "consul";

    public static ConsulTemplateModel Model(
        string consulVersion, string debianVersion, PackageLayout layout, AgentSettings settings, GossipKey key)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(key);
        settings.Validate();
        LayoutPaths paths = LayoutPaths.For(layout);
        return new ConsulTemplateModel
        {
            PackageName = PackageName,
            Version = debianVersion,
            ConsulVersion = consulVersion,
            Layout = layout.ToString().ToLowerInvariant(),
            BinaryPath = paths.BinaryPath,
            UnitName = LayoutPaths.UnitName,
            ConfigRoot = LayoutPaths.ConfigRoot,
            DataDir = LayoutPaths.DataDir,
            DefaultsFile = LayoutPaths.DefaultsFile,
            User = ServiceUser,
            Group = ServiceUser,
            Roles = string.Join(' ', AgentRoleExtensions.All.Select(r => r.ToName())),
            DefaultRole = AgentRole.Client.ToName(),
            DatacenterJson = JsonSerializer.Serialize(settings.Datacenter, Json.String),
            DataDirJson = JsonSerializer.Serialize(LayoutPaths.DataDir, Json.String),
            JoinJson = JsonSerializer.Serialize(settings.Join, Json.IReadOnlyListString),
            EncryptJson = JsonSerializer.Serialize(key.ToBase64(), Json.String),
        };
    }

    /// <summary>The three configurations, each checked by <see cref="ConfigValidator"/>.</summary>
    public static IReadOnlyDictionary<AgentRole, string> RenderConfigs(ConsulTemplates templates, ConsulTemplateModel model)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var configs = new Dictionary<AgentRole, string>();
        foreach (AgentRole role in AgentRoleExtensions.All)
        {
            string json = templates.Render(role.TemplateName(), model);
            ConfigValidator.Validate(json, role.TemplateName());
            bool server = role != AgentRole.Client;
            using (JsonDocument doc = JsonDocument.Parse(json))
            {
                bool isServer = doc.RootElement.TryGetProperty("server", out JsonElement s) && s.ValueKind == JsonValueKind.True;
                if (isServer != server)
                {
                    throw new PackageException($"rendered config {role.TemplateName()} sets server={isServer.ToString().ToLowerInvariant()}, wrong for the {role.ToName()} role: fix its template");
                }
            }

            configs.Add(role, json);
        }

        return configs;
    }

    public static RenderedPackage RenderAll(ConsulTemplates templates, ConsulTemplateModel model)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var scripts = new Dictionary<MaintainerScript, string>
        {
            [MaintainerScript.Preinst] = templates.Render(ConsulTemplates.Preinst, model),
            [MaintainerScript.Postinst] = templates.Render(ConsulTemplates.Postinst, model),
            [MaintainerScript.Prerm] = templates.Render(ConsulTemplates.Prerm, model),
            [MaintainerScript.Postrm] = templates.Render(ConsulTemplates.Postrm, model),
        };
        foreach ((MaintainerScript script, string text) in scripts)
        {
            if (!text.StartsWith("#!", StringComparison.Ordinal))
            {
                throw new PackageException($"rendered {script.ToString().ToLowerInvariant()} does not start with '#!': fix its template");
            }
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

        return new RenderedPackage(unit, RenderConfigs(templates, model), scripts, description);
    }
}
