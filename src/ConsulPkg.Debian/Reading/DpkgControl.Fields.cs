using System.Text;

namespace ConsulPkg.Debian.Reading;

public sealed partial class DpkgControl
{
    /// <summary>The fields dpkg-query and dpkg-deb -W compute rather than read (lib/dpkg/pkg-format.c virtinfos).</summary>
    private static readonly string[] VirtualFields =
    [
        "binary:Package", "binary:Synopsis", "binary:Summary", "db:Status-Abbrev", "db:Status-Want", "db:Status-Status",
        "db:Status-Eflag", "db-fsys:Files", "db-fsys:Last-Modified", "source:Package", "source:Version", "source:Upstream-Version",
    ];

    /// <summary>
    /// What dpkg-deb -f prints (src/deb/info.c info_field): for one field its value and a
    /// newline (an empty line when dpkg has nothing to print), for several a "Name: value" line
    /// for each that has a value, in the order asked.
    /// </summary>
    public void WriteFields(Stream output, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(names);
        bool withHeader = names.Count > 1;
        var text = new StringBuilder();
        foreach (string asked in names)
        {
            string name = DpkgText.FromBytes(Encoding.UTF8.GetBytes(asked));
            text.Append(Field(name, withHeader, virtualFields: false));
            if (!withHeader)
            {
                text.Append('\n');
            }
        }
        output.Write(DpkgText.Bytes(text.ToString()));
    }

    /// <summary>
    /// Every field dpkg would write for this package (varbuf_stanza of the available record):
    /// the known fields in dpkg's order, normalised, then the user fields as written.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> NormalizedFields()
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (string known in KnownFields)
        {
            string? value = Value(known, withHeader: true);
            if (value is not null)
            {
                fields.Add(new(known, value));
            }
        }
        fields.AddRange(_userFields);
        return fields;
    }

    /// <summary>
    /// The output of one field writer (lib/dpkg/dump.c w_*), or a user field; with
    /// <paramref name="withHeader"/> as "Name: value\n", else the bare value. Null when no field
    /// of that name exists at all (a known field with nothing to print gives "").
    /// </summary>
    internal string? Field(string name, bool withHeader, bool virtualFields)
    {
        string? known = Array.Find(KnownFields, k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (known is null && ObsoleteTarget(name) is not null)
        {
            // Read, then renamed: dpkg writes nothing under the old name.
            return "";
        }
        if (known is null && virtualFields && Array.Find(VirtualFields, v => v.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } virtualField)
        {
            return Virtual(virtualField);
        }
        if (known is null)
        {
            KeyValuePair<string, string> user = _userFields.Find(f => f.Key.Equals(DpkgText.CString(name), StringComparison.OrdinalIgnoreCase));
            if (user.Key is null)
            {
                return null;
            }
            return withHeader ? $"{user.Key}: {user.Value}\n" : user.Value;
        }
        string? value = Value(known, withHeader);
        return value is null ? "" : withHeader ? $"{known}: {value}\n" : value;
    }

    /// <summary>A known field's value as its w_* writer prints it, or null when it prints nothing.</summary>
    private string? Value(string field, bool withHeader)
    {
        switch (field)
        {
            case "Package":
                return Name;
            case "Essential" or "Protected":
                bool yes = field == "Essential" ? Essential : Protected;
                return withHeader && !yes ? null : yes ? "yes" : "no";
            case "Priority":
                return Priority;
            case "Section":
                return Section;
            case "Architecture":
                return string.IsNullOrEmpty(Architecture) ? null : Architecture;
            case "Multi-Arch":
                return withHeader && MultiArch == 0 ? null : MultiArchValues[MultiArch];
            case "Version":
                return Version.IsInformative ? Version.ToString() : null;
            default:
                if (Array.IndexOf(RelationFields, field) >= 0)
                {
                    List<DpkgDependency> matching = _dependencies.FindAll(d => d.Field == field);
                    return matching.Count == 0 ? null : string.Join(", ", matching.Select(Describe));
                }
                // The fields of an installed package or of an archive index (Status, Conffiles,
                // Filename...) are not written for a package file.
                return CharFields.GetValueOrDefault(field);
        }
    }

    /// <summary>varbufdependency: "name[:arch] (op version)" alternatives joined by " | ".</summary>
    private static string Describe(DpkgDependency dependency) =>
        string.Join(" | ", dependency.Alternatives.Select(a =>
            a.Package + (a.Architecture is null ? "" : ":" + a.Architecture)
            + (a.Relation is null ? "" : $" ({a.Relation} {a.Version})")));

    /// <summary>The computed fields; those about an installed package are empty for a package file.</summary>
    private string Virtual(string name)
    {
        switch (name)
        {
            case "binary:Package":
                return NameNonAmbiguous;
            case "binary:Synopsis" or "binary:Summary":
                // A missing description was made "" by dpkg's parse_ensure_have_field.
                string description = Description ?? "";
                int newline = description.IndexOf('\n', StringComparison.Ordinal);
                return newline < 0 ? description : description[..newline];
            case "source:Package":
                string source = CharFields.GetValueOrDefault("Source") ?? Name;
                int space = source.IndexOf(' ', StringComparison.Ordinal);
                return space < 0 ? source : source[..space];
            case "source:Version":
                return SourceVersion().ToString();
            case "source:Upstream-Version":
                return SourceVersion().Upstream ?? "";
            default:
                return "";
        }
    }

    /// <summary>pkg_source_version: the version in "Source: name (version)", else the package's own.</summary>
    private DpkgVersion SourceVersion()
    {
        string? source = CharFields.GetValueOrDefault("Source");
        int open = source?.IndexOf('(', StringComparison.Ordinal) ?? -1;
        if (open < 0)
        {
            return Version;
        }
        string text = source![(open + 1)..];
        int close = text.IndexOf(')', StringComparison.Ordinal);
        text = close < 0 ? text : text[..close];
        if (DpkgVersion.TryParse(text, out DpkgVersion version) is { } problem)
        {
            throw new InvalidPackageException($"version '{DpkgText.Shown(text)}' has bad syntax: {problem}");
        }
        return version;
    }
}
