using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// The fields of a binary package's control file, in file order: its one
/// <see cref="Deb822Paragraph"/>, read as dpkg reads it. Values are bytes, as dpkg treats them,
/// and are written back byte for byte, so a field that is not UTF-8 comes out exactly as it went in.
/// </summary>
public sealed class ControlFields
{
    /// <summary>The paragraph; null for a control file without fields.</summary>
    private readonly Deb822Paragraph? _paragraph;

    private ControlFields(Deb822Paragraph? paragraph) => _paragraph = paragraph;

    /// <summary>Fields in file order, read as UTF-8; values keep continuation lines (with their leading space) joined by "\n".</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _paragraph?.Fields ?? [];

    /// <summary>The value of a field (case-insensitive name) read as UTF-8, or null.</summary>
    public string? this[string name] => _paragraph?[name];

    /// <summary>
    /// Parses a control file: one paragraph, no field without a value. <paramref name="displayName"/>
    /// names it in errors, which are <see cref="InvalidPackageException"/>s.
    /// </summary>
    public static ControlFields Parse(byte[] content, string displayName)
    {
        ArgumentNullException.ThrowIfNull(content);
        List<Deb822Paragraph> paragraphs = Deb822Paragraph.ParseAll(content, displayName);
        if (paragraphs.Count > 1)
        {
            throw new InvalidPackageException($"{displayName}: line {paragraphs[1].LineNumber}: a second paragraph; a control file has one");
        }

        Deb822Paragraph? paragraph = paragraphs.Count == 0 ? null : paragraphs[0];
        if (paragraph?.RawFields.FirstOrDefault(f => f.Value.Length == 0) is { Key: not null } empty)
        {
            throw new InvalidPackageException($"{displayName}: field '{Deb822Paragraph.AsUtf8(empty.Key)}' has an empty value");
        }

        return new ControlFields(paragraph);
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

    /// <summary>The field named <paramref name="name"/> (Latin-1 text, case-insensitive) as bytes, or null.</summary>
    private KeyValuePair<string, string>? Find(string name) =>
        _paragraph?.RawFields.Where(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => (KeyValuePair<string, string>?)f).FirstOrDefault();
}
