using ConsulPkg.Debian;

namespace ConsulPkg.Repository;

/// <summary>
/// The paragraphs of a deb822 file (Packages, Release) as written by a repository tool: fields
/// "Name: value", continuation lines starting with a space, paragraphs separated by blank lines.
/// Each paragraph keeps its exact text, so rewriting an index never alters a stanza it did not add.
/// </summary>
internal sealed class Deb822Paragraph
{
    private readonly List<KeyValuePair<string, string>> _fields;

    private Deb822Paragraph(string text, List<KeyValuePair<string, string>> fields)
    {
        Text = text;
        _fields = fields;
    }

    /// <summary>The paragraph as it appeared, every line ending in "\n", no blank line.</summary>
    public string Text { get; }

    /// <summary>A field's value (first line trimmed, continuation lines joined by "\n"), or null.</summary>
    public string? this[string name] =>
        _fields.Find(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } field ? field.Value : null;

    /// <summary>Parses every paragraph of <paramref name="text"/>; errors name <paramref name="source"/>.</summary>
    public static List<Deb822Paragraph> ParseAll(string text, string source)
    {
        var paragraphs = new List<Deb822Paragraph>();
        var fields = new List<KeyValuePair<string, string>>();
        int start = 0;
        int lineStart = 0;
        int lineNumber = 0;
        while (lineStart < text.Length)
        {
            int end = text.IndexOf('\n', lineStart);
            int next = end < 0 ? text.Length : end + 1;
            ReadOnlySpan<char> line = text.AsSpan(lineStart, (end < 0 ? text.Length : end) - lineStart);
            lineNumber++;
            if (line.IsWhiteSpace())
            {
                if (fields.Count > 0)
                {
                    paragraphs.Add(new Deb822Paragraph(text[start..lineStart], fields));
                    fields = [];
                }

                start = next;
            }
            else if (line[0] is ' ' or '\t')
            {
                if (fields.Count == 0)
                {
                    throw new PackageException($"{source}: line {lineNumber}: continuation line without a field");
                }

                KeyValuePair<string, string> last = fields[^1];
                fields[^1] = new(last.Key, last.Value + "\n" + line.ToString());
            }
            else
            {
                int colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw new PackageException($"{source}: line {lineNumber}: expected \"Field: value\", got '{line}'");
                }

                fields.Add(new(line[..colon].ToString(), line[(colon + 1)..].Trim().ToString()));
            }

            lineStart = next;
        }

        if (fields.Count > 0)
        {
            string last = text[start..];
            paragraphs.Add(new Deb822Paragraph(last.EndsWith('\n') ? last : last + "\n", fields));
        }

        return paragraphs;
    }
}
