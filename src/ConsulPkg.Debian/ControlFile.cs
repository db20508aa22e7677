using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ConsulPkg.Debian;

/// <summary>
/// The <c>control</c> member of a binary package: one stanza, fields in a fixed order (the order
/// fpm writes, so diffs against fpm-built packages stay small), validated per Debian Policy
/// chapter 5. Values are validated when rendered, so an invalid control file is never written.
/// </summary>
public sealed partial record ControlFile
{
    public required string Package { get; init; }

    public required DebianVersion Version { get; init; }

    public required string Architecture { get; init; }

    /// <summary>fpm writes License and Vendor as control fields; dpkg carries them as user fields.</summary>
    public string? License { get; init; }

    public string? Vendor { get; init; }

    public string? Maintainer { get; init; }

    /// <summary>In KiB. Null: the writer computes it from the data entries.</summary>
    public long? InstalledSize { get; init; }

    public IReadOnlyList<string> PreDepends { get; init; } = [];

    public IReadOnlyList<string> Depends { get; init; } = [];

    public IReadOnlyList<string> Recommends { get; init; } = [];

    public IReadOnlyList<string> Suggests { get; init; } = [];

    public IReadOnlyList<string> Conflicts { get; init; } = [];

    public IReadOnlyList<string> Breaks { get; init; } = [];

    public IReadOnlyList<string> Provides { get; init; } = [];

    public IReadOnlyList<string> Replaces { get; init; } = [];

    public string? Section { get; init; }

    public string? Priority { get; init; }

    public string? Homepage { get; init; }

    /// <summary>Synopsis on the first line, then the extended description; blank lines allowed.</summary>
    public string? Description { get; init; }

    /// <summary>Any further fields, written after the standard ones in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraFields { get; init; } = [];

    /// <summary>Checks every field; throws <see cref="PackageException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (!PackageNamePattern().IsMatch(Package))
        {
            throw new InvalidSpecException("Package",
                $"invalid package name '{Package}': use at least two characters of a-z, 0-9, '+', '-', '.', starting with a letter or digit");
        }

        if (!ArchitecturePattern().IsMatch(Architecture))
        {
            throw new InvalidSpecException("Architecture", $"invalid architecture '{Architecture}': use a Debian architecture name such as amd64, arm64 or all");
        }

        foreach ((string name, string? value) in SimpleFields())
        {
            if (value is not null && !IsSingleLine(value))
            {
                throw new InvalidSpecException(name, $"invalid {name} '{MessageText.OneLine(value)}': it must be a single non-empty line");
            }
        }

        foreach ((string name, IReadOnlyList<string> list) in RelationFields())
        {
            foreach (string relation in list)
            {
                if (!IsSingleLine(relation))
                {
                    throw new InvalidSpecException(name, $"invalid {name} entry '{MessageText.OneLine(relation)}': give one relation such as 'adduser' or 'libc6 (>= 2.17)'");
                }
            }
        }

        if (InstalledSize is < 0)
        {
            throw new InvalidSpecException("Installed-Size", $"invalid Installed-Size {InstalledSize}: it must be a non-negative number of KiB");
        }

        if (Description is not null && Description.Split('\n')[0].Trim().Length == 0)
        {
            throw new InvalidSpecException("Description", "invalid Description: its first line (the synopsis) must not be empty");
        }

        var seen = new HashSet<string>(StandardFieldNames, StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string value) in ExtraFields)
        {
            if (!FieldNamePattern().IsMatch(key))
            {
                throw new InvalidSpecException(key, $"invalid control field name '{key}': use ASCII letters, digits and '-', starting with a letter or digit");
            }

            if (!seen.Add(key))
            {
                throw new InvalidSpecException(key, $"control field '{key}' is given twice");
            }

            if (!IsSingleLine(value))
            {
                throw new InvalidSpecException(key, $"invalid value for control field '{key}' ('{MessageText.OneLine(value)}'): it must be a single non-empty line");
            }
        }
    }

    /// <summary>Renders the stanza, ending in a single newline, after validating it.</summary>
    public string Render()
    {
        Validate();
        var sb = new StringBuilder();
        Append(sb, "Package", Package);
        Append(sb, "Version", Version.ToString());
        Append(sb, "License", License);
        Append(sb, "Vendor", Vendor);
        Append(sb, "Architecture", Architecture);
        Append(sb, "Maintainer", Maintainer);
        Append(sb, "Installed-Size", InstalledSize?.ToString(CultureInfo.InvariantCulture));
        foreach ((string name, IReadOnlyList<string> list) in RelationFields())
        {
            Append(sb, name, list.Count == 0 ? null : string.Join(", ", list.Select(r => r.Trim())));
        }

        Append(sb, "Section", Section);
        Append(sb, "Priority", Priority);
        Append(sb, "Homepage", Homepage);
        foreach ((string key, string value) in ExtraFields)
        {
            Append(sb, key, value);
        }

        if (Description is not null)
        {
            sb.Append("Description: ").Append(FormatDescription(Description));
        }

        return sb.ToString();
    }

    /// <summary>
    /// Formats a description per Policy 5.6.13: the synopsis stays on the field line, every
    /// following line gets one leading space, and an empty line becomes " .".
    /// </summary>
    public static string FormatDescription(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        string[] lines = description.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var sb = new StringBuilder(lines[0].Trim()).Append('\n');
        foreach (string line in lines.Skip(1))
        {
            string trimmed = line.TrimEnd();
            sb.Append(trimmed.Length == 0 ? " ." : " " + trimmed).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// A simple field's value: one line with something besides blanks. dpkg's parser drops a
    /// value's leading and trailing blanks, so a blank value would be an empty field and a CR
    /// would end up inside the value.
    /// </summary>
    private static bool IsSingleLine(string value) =>
        !string.IsNullOrWhiteSpace(value) && value.AsSpan().IndexOfAny('\n', '\r') < 0;

    /// <summary>Writes "Name: value"; the value trimmed, as dpkg reads it back anyway.</summary>
    private static void Append(StringBuilder sb, string name, string? value)
    {
        if (value is not null)
        {
            sb.Append(name).Append(": ").Append(value.Trim()).Append('\n');
        }
    }

    private IEnumerable<(string Name, string? Value)> SimpleFields() =>
    [
        ("License", License), ("Vendor", Vendor), ("Maintainer", Maintainer), ("Section", Section),
        ("Priority", Priority), ("Homepage", Homepage),
    ];

    private IEnumerable<(string Name, IReadOnlyList<string> List)> RelationFields() =>
    [
        ("Pre-Depends", PreDepends), ("Depends", Depends), ("Recommends", Recommends), ("Suggests", Suggests),
        ("Conflicts", Conflicts), ("Breaks", Breaks), ("Provides", Provides), ("Replaces", Replaces),
    ];

    private static readonly string[] StandardFieldNames =
    [
        "Package", "Version", "License", "Vendor", "Architecture", "Maintainer", "Installed-Size", "Pre-Depends",
        "Depends", "Recommends", "Suggests", "Conflicts", "Breaks", "Provides", "Replaces", "Section", "Priority",
        "Homepage", "Description",
    ];

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageNamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ArchitecturePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNamePattern();
}
