using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace ConsulPkg.Debian.Scripts;

/// <summary>
/// The maintainer-script snippets every generated script is assembled from (the Consul recipe's
/// templates include them by name, the fpm front end's generator calls them), kept as data files
/// in <c>Scripts/Snippets/</c> the way debhelper keeps its autoscripts: one file a snippet, named
/// as debhelper's autoscript of the same purpose, with <c>#TOKEN#</c> placeholders filled here.
/// Adding a snippet is adding a file there (see its README.md).
/// </summary>
/// <remarks>
/// Filling is strict: every token of the snippet must be given and every token given must be in
/// the snippet, so a misspelt or forgotten token is an error, never an empty string in a shell
/// script. A value is pasted unquoted into shell code, so it may hold only characters the shell
/// takes literally (letters, digits, space and <c>_./+:=@%,-</c>): unit and script names, update-rc.d
/// arguments, <c>exit 1</c>.
/// </remarks>
public static partial class ScriptSnippets
{
    private const string ResourcePrefix = "snippets/";

    private static readonly Lazy<Dictionary<string, string>> Texts = new(Load);

    /// <summary>Every snippet's name, in ordinal order.</summary>
    public static IReadOnlyList<string> Names => [.. Texts.Value.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The snippet's text as stored, tokens unfilled.</summary>
    public static string Text(string name) => Find(name);

    /// <summary>The tokens a snippet needs (without the '#'), in order of first use.</summary>
    public static IReadOnlyList<string> Tokens(string name) =>
        [.. TokenPattern().Matches(Find(name)).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>The snippet with its tokens filled; see the remarks for what is refused.</summary>
    /// <exception cref="ArgumentException">An unknown snippet, a missing or unknown token, or an unsafe value.</exception>
    public static string Render(string name, IReadOnlyDictionary<string, string>? tokens = null)
    {
        tokens ??= new Dictionary<string, string>();
        string text = Find(name);
        IReadOnlyList<string> needed = Tokens(name);
        string[] missing = [.. needed.Where(t => !tokens.ContainsKey(t))];
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"snippet '{name}' needs {string.Join(", ", missing)}: give {Describe(needed)}", nameof(tokens));
        }

        string[] unknown = [.. tokens.Keys.Where(t => !needed.Contains(t, StringComparer.Ordinal)).Order(StringComparer.Ordinal)];
        if (unknown.Length > 0)
        {
            throw new ArgumentException(
                $"snippet '{name}' has no token {string.Join(", ", unknown)}: it takes {Describe(needed)}", nameof(tokens));
        }

        foreach ((string token, string value) in tokens)
        {
            if (!SafeValue().IsMatch(value))
            {
                throw new ArgumentException(
                    $"snippet '{name}': {token} '{MessageText.OneLine(value)}' has characters the shell would interpret; use letters, digits, spaces and _./+:=@%,-",
                    nameof(tokens));
            }
        }

        return TokenPattern().Replace(text, m => tokens[m.Groups["name"].Value]);
    }

    private static string Describe(IReadOnlyList<string> tokens) =>
        tokens.Count == 0 ? "no tokens" : string.Join(", ", tokens);

    private static string Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Texts.Value.TryGetValue(name, out string? text)
            ? text
            : throw new ArgumentException(
                $"unknown maintainer-script snippet '{name}': the snippets are {string.Join(", ", Names)}", nameof(name));
    }

    private static Dictionary<string, string> Load()
    {
        Assembly assembly = typeof(ScriptSnippets).Assembly;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
            texts.Add(resource[ResourcePrefix.Length..], reader.ReadToEnd());
        }

        return texts;
    }

    [GeneratedRegex("#(?<name>[A-Z][A-Z_]*)#", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[A-Za-z0-9 _./+:=@%,-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeValue();
}
