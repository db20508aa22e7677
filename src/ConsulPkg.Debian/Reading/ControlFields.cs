using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// The fields of a binary package's control file, in file order, as dpkg parses them: a field
/// starts at a line "Name: value"; lines starting with a space or tab continue it. Names match
/// case-insensitively.
/// </summary>
public sealed class ControlFields
{
    /// <summary>The fields dpkg knows by name; it prints them with this spelling whatever the file uses.</summary>
    private static readonly string[] KnownFields =
    [
        "Package", "Essential", "Protected", "Status", "Priority", "Section", "Installed-Size", "Origin",
        "Maintainer", "Bugs", "Architecture", "Multi-Arch", "Source", "Version", "Revision",
        "Config-Version", "Replaces", "Provides", "Depends", "Pre-Depends", "Recommends", "Suggests",
        "Breaks", "Conflicts", "Enhances", "Conffiles", "Filename", "Size", "MD5sum", "MSDOS-Filename",
        "Description", "Triggers-Pending", "Triggers-Awaited",
    ];

    private readonly List<KeyValuePair<string, string>> _fields;

    private ControlFields(List<KeyValuePair<string, string>> fields) => _fields = fields;

    /// <summary>Fields in file order; values keep continuation lines (with their leading space) joined by "\n".</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>The value of a field (case-insensitive name), or null.</summary>
    public string? this[string name] => Find(name)?.Value;

    /// <summary>Parses a control file; <paramref name="displayName"/> names it in errors.</summary>
    public static ControlFields Parse(byte[] content, string displayName)
    {
        ArgumentNullException.ThrowIfNull(content);
        string text = Encoding.UTF8.GetString(content);
        var fields = new List<KeyValuePair<string, string>>();
        string? name = null;
        var value = new StringBuilder();
        int lineNumber = 0;
        bool stanzaEnded = false;
        foreach (string line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || line.TrimEnd().Length == 0)
            {
                stanzaEnded |= fields.Count > 0 || name is not null;
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                if (name is null || stanzaEnded)
                {
                    throw new InvalidPackageException($"{displayName}: control file line {lineNumber}: continuation line without a field");
                }
                value.Append('\n').Append(line);
                continue;
            }
            if (stanzaEnded)
            {
                throw new InvalidPackageException($"{displayName}: control file has more than one stanza (line {lineNumber})");
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidPackageException($"{displayName}: control file line {lineNumber}: expected \"Field: value\", got '{line}'");
            }
            if (name is not null)
            {
                Add(fields, name, value, displayName);
            }
            name = line[..colon];
            value.Clear().Append(line.AsSpan(colon + 1).TrimStart(" \t"));
        }
        if (name is not null)
        {
            Add(fields, name, value, displayName);
        }
        return new ControlFields(fields);
    }

    private static void Add(List<KeyValuePair<string, string>> fields, string name, StringBuilder value, string displayName)
    {
        string text = value.ToString().TrimEnd();
        if (text.Length == 0)
        {
            throw new InvalidPackageException($"{displayName}: control file field '{name}' has an empty value");
        }
        if (fields.Exists(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidPackageException($"{displayName}: control file has a duplicate field '{name}'");
        }
        fields.Add(new KeyValuePair<string, string>(name, text));
    }

    /// <summary>
    /// Writes fields like <c>dpkg-deb -f</c>: for one requested field its value alone (an empty line
    /// when absent); for several, "Name: value" lines for those present, in the order asked.
    /// </summary>
    public void WriteFields(Stream output, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(names);
        var text = new StringBuilder();
        bool withHeader = names.Count > 1;
        foreach (string requested in names)
        {
            KeyValuePair<string, string>? field = Find(requested);
            string? known = Array.Find(KnownFields, k => k.Equals(requested, StringComparison.OrdinalIgnoreCase));
            string? value = known is null ? field?.Value : FieldNormalizer.Normalize(known, field?.Value, withHeader);
            if (!withHeader)
            {
                text.Append(value).Append('\n');
            }
            else if (value is not null)
            {
                text.Append(known ?? field!.Value.Key).Append(": ").Append(value).Append('\n');
            }
        }
        output.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private KeyValuePair<string, string>? Find(string name)
    {
        int i = _fields.FindIndex(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : _fields[i];
    }
}
