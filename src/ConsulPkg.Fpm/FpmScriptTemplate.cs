using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's <c>--template-scripts</c>: a maintainer script read as an ERB template. Only what real
/// scripts use is understood: <c>&lt;%= name %&gt;</c> (or <c>@name</c>) for a package attribute or
/// a <c>--template-value</c>, with ERB's <c>-%&gt;</c> (drop the next newline) and <c>&lt;%%</c>
/// (a literal <c>&lt;%</c>). Anything else between <c>&lt;%</c> and <c>%&gt;</c> is Ruby, which
/// consul-pkg does not run: it is refused with the script and line, never passed through.
/// </summary>
/// <remarks>
/// Rendered by direct substitution: the values are pasted between the script's own bytes, which
/// pass through untouched. (An earlier version translated the script into a Scriban template of
/// lookups and escaped literals; DECISIONS.md has the measurement that retired it.)
/// </remarks>
public static partial class FpmScriptTemplate
{
    /// <summary>
    /// Renders <paramref name="script"/>. <paramref name="values"/> maps every name a script may
    /// use to its text; <paramref name="flag"/> and <paramref name="path"/> name the script in errors.
    /// </summary>
    public static byte[] Render(ReadOnlySpan<byte> script, IReadOnlyDictionary<string, string> values, string flag, string path)
    {
        ArgumentNullException.ThrowIfNull(values);
        string text = Encoding.UTF8.GetString(script);
        var output = new StringBuilder(text.Length + 64);
        int position = 0;
        while (position < text.Length)
        {
            int open = text.IndexOf("<%", position, StringComparison.Ordinal);
            if (open < 0)
            {
                output.Append(text, position, text.Length - position);
                break;
            }

            output.Append(text, position, open - position);
            if (open + 2 < text.Length && text[open + 2] == '%')
            {
                output.Append("<%");
                position = open + 3;
                continue;
            }

            int line = LineOf(text, open);
            int close = text.IndexOf("%>", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Refuse(flag, path, line, "a '<%' tag is never closed with '%>'");
            }

            string tag = text[(open + 2)..close];
            bool trimNewline = tag.EndsWith('-');
            if (trimNewline)
            {
                tag = tag[..^1];
            }

            Match expression = OutputTag().Match(tag);
            if (!expression.Success)
            {
                string shown = MessageText.Flatten(text[open..(close + 2)]);
                throw Refuse(flag, path, line,
                    $"'{shown}' is Ruby code; only '<%= NAME %>' is rendered (a package attribute or a --template-value KEY)");
            }

            string name = expression.Groups["name"].Value;
            output.Append(values.TryGetValue(name, out string? value)
                ? value
                : throw Refuse(flag, path, line,
                    $"'{name}' is not a package attribute or --template-value; known: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))}"));
            position = close + 2;
            if (trimNewline && position < text.Length && text[position] == '\n')
            {
                position++;
            }
        }

        return Encoding.UTF8.GetBytes(output.ToString());
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static PackageException Refuse(string flag, string path, int line, string what) =>
        new($"cannot render the {flag} template '{path}' line {line}: {what}");

    [GeneratedRegex(@"^=\s*@?(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex OutputTag();
}
