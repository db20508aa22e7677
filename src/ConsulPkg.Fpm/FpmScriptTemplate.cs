using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;
using Scriban;
using Scriban.Runtime;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's <c>--template-scripts</c>: a maintainer script read as an ERB template. Only what real
/// scripts use is understood: <c>&lt;%= name %&gt;</c> (or <c>@name</c>) for a package attribute or
/// a <c>--template-value</c>, with ERB's <c>-%&gt;</c> (drop the next newline) and <c>&lt;%%</c>
/// (a literal <c>&lt;%</c>). Anything else between <c>&lt;%</c> and <c>%&gt;</c> is Ruby, which
/// consul-pkg does not run: it is refused with the script and line, never passed through.
/// </summary>
/// <remarks>
/// The ERB text is translated into a Scriban template in which every value is a lookup in one
/// table (so a key such as <c>for</c> or <c>string</c> cannot collide with Scriban's keywords and
/// builtins) and every piece of script text is either left as is or, if it could open a Scriban
/// block, written as a string literal.
/// </remarks>
public static partial class FpmScriptTemplate
{
    private const string Table = "fpm";

    /// <summary>
    /// Renders <paramref name="script"/>. <paramref name="values"/> maps every name a script may
    /// use to its text; <paramref name="flag"/> and <paramref name="path"/> name the script in errors.
    /// </summary>
    public static byte[] Render(ReadOnlySpan<byte> script, IReadOnlyDictionary<string, string> values, string flag, string path)
    {
        ArgumentNullException.ThrowIfNull(values);
        string text = Encoding.UTF8.GetString(script);
        string scriban = Translate(text, values, flag, path);
        Template template = Template.Parse(scriban);
        if (template.HasErrors)
        {
            // Translate only emits lookups and string literals, so this is a defect, not bad input.
            throw new InvalidOperationException($"translated template for '{path}' does not parse: {template.Messages}");
        }

        var table = new ScriptObject();
        foreach ((string key, string value) in values)
        {
            table[key] = value;
        }

        var globals = new ScriptObject { [Table] = table };
        var context = new TemplateContext { StrictVariables = true };
        context.PushGlobal(globals);
        return Encoding.UTF8.GetBytes(template.Render(context));
    }

    private static string Translate(string text, IReadOnlyDictionary<string, string> values, string flag, string path)
    {
        var output = new StringBuilder(text.Length + 64);
        var literal = new StringBuilder();
        int position = 0;
        while (position < text.Length)
        {
            int open = text.IndexOf("<%", position, StringComparison.Ordinal);
            if (open < 0)
            {
                literal.Append(text, position, text.Length - position);
                break;
            }

            literal.Append(text, position, open - position);
            if (open + 2 < text.Length && text[open + 2] == '%')
            {
                literal.Append("<%");
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
            if (!values.ContainsKey(name))
            {
                throw Refuse(flag, path, line,
                    $"'{name}' is not a package attribute or --template-value; known: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))}");
            }

            FlushLiteral(output, literal);
            output.Append("{{ ").Append(Table).Append("[\"").Append(name).Append("\"] }}");
            position = close + 2;
            if (trimNewline && position < text.Length && text[position] == '\n')
            {
                position++;
            }
        }

        FlushLiteral(output, literal);
        return output.ToString();
    }

    /// <summary>Script text as is, unless it holds something Scriban would read as the start of a block.</summary>
    private static void FlushLiteral(StringBuilder output, StringBuilder literal)
    {
        if (literal.Length == 0)
        {
            return;
        }

        string text = literal.ToString();
        literal.Clear();
        if (!text.Contains("{{", StringComparison.Ordinal) && !text.Contains("{%", StringComparison.Ordinal))
        {
            output.Append(text);
            return;
        }

        output.Append("{{ \"");
        foreach (char c in text)
        {
            _ = c switch
            {
                '\\' => output.Append("\\\\"),
                '"' => output.Append("\\\""),
                '\n' => output.Append("\\n"),
                '\r' => output.Append("\\r"),
                '\t' => output.Append("\\t"),
                _ => output.Append(c),
            };
        }

        output.Append("\" }}");
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static PackageException Refuse(string flag, string path, int line, string what) =>
        new($"cannot render the {flag} template '{path}' line {line}: {what}");

    [GeneratedRegex(@"^=\s*@?(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex OutputTag();
}
