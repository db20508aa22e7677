using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// The fields of a binary package's control file, in file order, as dpkg parses them: a field
/// starts at a line "Name: value"; lines starting with a space or tab continue it. Names match
/// case-insensitively. Values are bytes, as dpkg treats them: they are held as Latin-1 text (one
/// character per byte) and written back byte for byte, so a field that is not UTF-8 comes out
/// exactly as it went in.
/// </summary>
public sealed class ControlFields
{
    private readonly List<KeyValuePair<string, string>> _fields;

    private ControlFields(List<KeyValuePair<string, string>> fields) => _fields = fields;

    /// <summary>Fields in file order, read as UTF-8; values keep continuation lines (with their leading space) joined by "\n".</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields =>
        _fields.Select(f => new KeyValuePair<string, string>(AsUtf8(f.Key), AsUtf8(f.Value))).ToList();

    /// <summary>The value of a field (case-insensitive name) read as UTF-8, or null.</summary>
    public string? this[string name] => Find(name)?.Value is { } value ? AsUtf8(value) : null;

    /// <summary>Parses a control file; <paramref name="displayName"/> names it in errors.</summary>
    public static ControlFields Parse(byte[] content, string displayName)
    {
        ArgumentNullException.ThrowIfNull(content);
        string text = Encoding.Latin1.GetString(content);
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
                throw new InvalidPackageException($"{displayName}: control file line {lineNumber}: expected \"Field: value\", got '{AsUtf8(line)}'");
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
            throw new InvalidPackageException($"{displayName}: control file field '{AsUtf8(name)}' has an empty value");
        }
        if (fields.Exists(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidPackageException($"{displayName}: control file has a duplicate field '{AsUtf8(name)}'");
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
        foreach (string asked in names)
        {
            string requested = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(asked));
            KeyValuePair<string, string>? field = Find(requested);
            ControlField? known = ControlField.Find(requested, ControlType.DpkgDatabase);
            string? value = known is null ? field?.Value : FieldNormalizer.Normalize(known, field?.Value, withHeader);
            if (!withHeader)
            {
                text.Append(value).Append('\n');
            }
            else if (value is not null)
            {
                text.Append(known?.Name ?? field!.Value.Key).Append(": ").Append(value).Append('\n');
            }
        }
        output.Write(Encoding.Latin1.GetBytes(text.ToString()));
    }

    /// <summary>The held Latin-1 text (one char per byte) read back as UTF-8, for messages.</summary>
    private static string AsUtf8(string bytes) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(bytes));

    private KeyValuePair<string, string>? Find(string name)
    {
        int i = _fields.FindIndex(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : _fields[i];
    }
}
