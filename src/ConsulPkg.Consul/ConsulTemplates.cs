using ConsulPkg.Debian;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace ConsulPkg.Consul;

/// <summary>
/// The Scriban templates a Consul package is rendered from, each parsed once, up front, with its
/// file path so that errors point at file and line. Rendering uses strict variables: a name the
/// model lacks is an error, never an empty string.
/// </summary>
internal sealed class ConsulTemplates
{
    public const string Extension = ".sbn";

    public const string Unit = "consul.service";
    public const string Bootstrap = "bootstrap.json";
    public const string Server = "server.json";
    public const string Client = "client.json";
    public const string Preinst = "preinst";
    public const string Postinst = "postinst";
    public const string Prerm = "prerm";
    public const string Postrm = "postrm";
    public const string Description = "description";

    /// <summary>debconf's config script: the questions, asked before postinst and by dpkg-reconfigure.</summary>
    public const string DebconfConfig = "config";

    /// <summary>debconf's templates: the questions' types, defaults and texts.</summary>
    public const string DebconfTemplates = "templates";

    /// <summary>Every template a package needs, by name (file name without <see cref="Extension"/>).</summary>
    public static IReadOnlyList<string> Names { get; } =
        [Unit, Bootstrap, Server, Client, Preinst, Postinst, Prerm, Postrm, Description, DebconfConfig, DebconfTemplates];

    /// <summary>
    /// A role's config may be written in HCL instead (Consul 1.0 and later read it): a
    /// <c>&lt;role&gt;.hcl.sbn</c> in the override directory replaces the shipped <c>&lt;role&gt;.json.sbn</c>.
    /// </summary>
    private static readonly Dictionary<string, string> HclAlternatives = new(StringComparer.Ordinal)
    {
        [Bootstrap] = "bootstrap.hcl",
        [Server] = "server.hcl",
        [Client] = "client.hcl",
    };

    private static IEnumerable<string> KnownFileNames =>
        Names.Concat(HclAlternatives.Values).Select(n => n + Extension);

    /// <summary>The templates shipped next to the tool's binary.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "templates");

    /// <summary>The shared maintainer-script snippets, as the templates' <c>snippet</c> function.</summary>
    private static readonly SnippetFunction Snippet = new();

    private readonly Dictionary<string, (Template Template, string Path)> _templates;

    private ConsulTemplates(Dictionary<string, (Template, string)> templates) => _templates = templates;

    /// <summary>Where each template was read from.</summary>
    public IReadOnlyDictionary<string, string> Sources => _templates.ToDictionary(p => p.Key, p => p.Value.Path);

    /// <summary>
    /// Loads the shipped templates, with those in <paramref name="overrideDirectory"/> (if given)
    /// replacing them file by file. A file there that is not a known template is an error, so a
    /// misspelt name cannot be silently ignored.
    /// </summary>
    public static ConsulTemplates Load(string? overrideDirectory = null, string? shippedDirectory = null)
    {
        string shipped = shippedDirectory ?? ShippedDirectory;
        if (overrideDirectory is not null)
        {
            if (!Directory.Exists(overrideDirectory))
            {
                throw new PackageException($"templates directory '{overrideDirectory}' does not exist: give a directory holding some of {string.Join(", ", Names.Select(n => n + Extension))}");
            }

            foreach (string file in Directory.EnumerateFiles(overrideDirectory))
            {
                string name = Path.GetFileName(file);
                if (!KnownFileNames.Contains(name))
                {
                    throw new PackageException($"unknown template '{file}': template files are named {string.Join(", ", KnownFileNames)}");
                }
            }

            foreach ((string json, string hcl) in HclAlternatives)
            {
                if (File.Exists(Path.Combine(overrideDirectory, json + Extension)) && File.Exists(Path.Combine(overrideDirectory, hcl + Extension)))
                {
                    throw new PackageException($"templates directory '{overrideDirectory}' has both {json}{Extension} and {hcl}{Extension}: keep one, the agent would read both");
                }
            }
        }

        var templates = new Dictionary<string, (Template, string)>(StringComparer.Ordinal);
        foreach (string defaultName in Names)
        {
            string name = overrideDirectory is not null && HclAlternatives.TryGetValue(defaultName, out string? hcl)
                && File.Exists(Path.Combine(overrideDirectory, hcl + Extension)) ? hcl : defaultName;
            string? overridden = overrideDirectory is null ? null : Path.Combine(overrideDirectory, name + Extension);
            string path = overridden is not null && File.Exists(overridden) ? overridden : Path.Combine(shipped, name + Extension);
            if (!File.Exists(path))
            {
                throw new PackageException($"template '{path}' is missing: reinstall consul-pkg or give a templates directory holding {name}{Extension}")
                {
                    Setting = ConsulSettings.Templates,
                };
            }

            Template template = Template.Parse(File.ReadAllText(path), path);
            if (template.HasErrors)
            {
                LogMessage first = template.Messages.First(m => m.Type == ParserMessageType.Error);
                throw new PackageException($"template error: {MessageText.Flatten(first.ToString())}");
            }

            templates.Add(name, (template, path));
        }

        return new ConsulTemplates(templates);
    }

    /// <summary>The name of the template a role's config comes from: <c>&lt;role&gt;.json</c>, or <c>&lt;role&gt;.hcl</c> when one was given.</summary>
    public string ConfigName(AgentRole role)
    {
        string json = role.TemplateName();
        return HclAlternatives.TryGetValue(json, out string? hcl) && _templates.ContainsKey(hcl) ? hcl : json;
    }

    /// <summary>Renders one template against <paramref name="model"/> (strict variables).</summary>
    public string Render(string name, ConsulTemplateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        (Template template, string path) = _templates.TryGetValue(name, out var t)
            ? t
            : throw new ArgumentException($"no template named '{name}'", nameof(name));
        // Filled entry by entry: ScriptObject.Import(object) reflects over the model and so
        // imports nothing once the executable is trimmed.
        var globals = new ScriptObject();
        foreach ((string variable, object value) in model.Variables())
        {
            globals.Add(variable, value);
        }

        globals.Add(SnippetFunction.Name, Snippet);

        var context = new TemplateContext
        {
            StrictVariables = true,
            MemberRenamer = StandardMemberRenamer.Default,
            EnableRelaxedMemberAccess = false,
        };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            // Scriban's message starts with "<file>(line,col) : error : ..."; it never holds model values.
            throw new PackageException($"template error: {MessageText.Flatten(e.Message)} (in {path})", e);
        }
    }
}
