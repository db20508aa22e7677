using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Debian;

/// <summary>
/// The <c>control</c> member of a binary package: one stanza, validated per Debian Policy
/// chapter 5. The standard fields, their order and their checks are the rows of
/// <see cref="ControlField"/> in <see cref="ControlType.DebControl"/>'s order; the properties
/// below are typed views of those rows for code that names a field. Values are validated when
/// rendered, so an invalid control file is never written.
/// </summary>
public sealed partial record ControlFile
{
    /// <summary>The standard fields: those a control file written by consul-pkg holds, in their order.</summary>
    private static IReadOnlyList<ControlField> Standard => ControlField.Order(ControlType.DebControl);

    /// <summary>
    /// The standard fields' values by row: string (simple and multiline), IReadOnlyList&lt;string&gt;
    /// (relation), DebianVersion, long (size). An absent field has no entry.
    /// </summary>
    private ImmutableDictionary<ControlField, object> _values = ImmutableDictionary<ControlField, object>.Empty;

    public required string Package { get => Text(ControlField.Package)!; init => _values = Set(_values, ControlField.Package, value); }

    public required DebianVersion Version { get => (DebianVersion)_values.GetValueOrDefault(ControlField.Version)!; init => _values = Set(_values, ControlField.Version, value); }

    public required string Architecture { get => Text(ControlField.Architecture)!; init => _values = Set(_values, ControlField.Architecture, value); }

    public string? License { get => Text(ControlField.License); init => _values = Set(_values, ControlField.License, value); }

    public string? Vendor { get => Text(ControlField.Vendor); init => _values = Set(_values, ControlField.Vendor, value); }

    public string? Maintainer { get => Text(ControlField.Maintainer); init => _values = Set(_values, ControlField.Maintainer, value); }

    /// <summary>In KiB. Null: the writer computes it from the data entries.</summary>
    public long? InstalledSize
    {
        get => _values.TryGetValue(ControlField.InstalledSize, out object? size) ? (long)size : null;
        init => _values = Set(_values, ControlField.InstalledSize, value);
    }

    public IReadOnlyList<string> PreDepends { get => Relations(ControlField.PreDepends); init => _values = Set(_values, ControlField.PreDepends, value); }

    public IReadOnlyList<string> Depends { get => Relations(ControlField.Depends); init => _values = Set(_values, ControlField.Depends, value); }

    public IReadOnlyList<string> Recommends { get => Relations(ControlField.Recommends); init => _values = Set(_values, ControlField.Recommends, value); }

    public IReadOnlyList<string> Suggests { get => Relations(ControlField.Suggests); init => _values = Set(_values, ControlField.Suggests, value); }

    public IReadOnlyList<string> Conflicts { get => Relations(ControlField.Conflicts); init => _values = Set(_values, ControlField.Conflicts, value); }

    public IReadOnlyList<string> Breaks { get => Relations(ControlField.Breaks); init => _values = Set(_values, ControlField.Breaks, value); }

    public IReadOnlyList<string> Provides { get => Relations(ControlField.Provides); init => _values = Set(_values, ControlField.Provides, value); }

    public IReadOnlyList<string> Replaces { get => Relations(ControlField.Replaces); init => _values = Set(_values, ControlField.Replaces, value); }

    public string? Section { get => Text(ControlField.Section); init => _values = Set(_values, ControlField.Section, value); }

    public string? Priority { get => Text(ControlField.Priority); init => _values = Set(_values, ControlField.Priority, value); }

    public string? Homepage { get => Text(ControlField.Homepage); init => _values = Set(_values, ControlField.Homepage, value); }

    /// <summary>Synopsis on the first line, then the extended description; blank lines allowed.</summary>
    public string? Description { get => Text(ControlField.Description); init => _values = Set(_values, ControlField.Description, value); }

    /// <summary>Any further fields, written after the standard ones (before Description) in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraFields { get; init; } = [];

    /// <summary>A simple or multiline field's text, or null when absent.</summary>
    public string? Text(ControlField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _values.TryGetValue(field, out object? value) ? (string)value : null;
    }

    /// <summary>A relation field's entries; empty when absent.</summary>
    public IReadOnlyList<string> Relations(ControlField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _values.TryGetValue(field, out object? value) ? (IReadOnlyList<string>)value : [];
    }

    /// <summary>This control file with a simple or multiline field set (null removes it).</summary>
    public ControlFile WithText(ControlField field, string? text)
    {
        CheckStandard(field);
        if (field.Kind is not (ControlFieldKind.Simple or ControlFieldKind.Multiline))
        {
            throw new ArgumentException($"{field.Name} is a {field.Kind} field, not text", nameof(field));
        }

        return this with { _values = Set(_values, field, text) };
    }

    /// <summary>This control file with a relation field's entries replaced (empty removes it).</summary>
    public ControlFile WithRelations(ControlField field, IReadOnlyList<string> relations)
    {
        CheckStandard(field);
        if (field.Kind != ControlFieldKind.Relation)
        {
            throw new ArgumentException($"{field.Name} is a {field.Kind} field, not a relation field", nameof(field));
        }

        return this with { _values = Set(_values, field, relations) };
    }

    /// <summary>Checks every field; throws <see cref="InvalidSpecException"/> naming the first bad one.</summary>
    public void Validate()
    {
        foreach (ControlField field in (ControlField[])[ControlField.Package, ControlField.Version, ControlField.Architecture])
        {
            if (!_values.ContainsKey(field))
            {
                throw new InvalidSpecException($"the control file has no {field.Name}: every package needs one");
            }
        }

        foreach ((ControlField field, object value) in Present())
        {
            if (Problem(field, value) is { } problem)
            {
                throw new InvalidSpecException(problem);
            }
        }

        var seen = new HashSet<string>(Standard.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string value) in ExtraFields)
        {
            if (ExtraFieldProblem(key, value) is { } problem)
            {
                throw new InvalidSpecException(problem);
            }

            if (!seen.Add(key))
            {
                throw new InvalidSpecException($"control field '{key}' is given twice");
            }
        }
    }

    /// <summary>Null when a field beyond the standard ones has a name and value dpkg reads back, else the one-line reason.</summary>
    public static string? ExtraFieldProblem(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return !FieldNamePattern().IsMatch(key)
            ? $"invalid control field name '{MessageText.OneLine(key)}': use ASCII letters, digits and '-', starting with a letter or digit"
            : !ControlField.IsSingleLine(value)
                ? $"invalid value for control field '{key}' ('{MessageText.OneLine(value)}'): it must be a single non-empty line"
                : null;
    }

    /// <summary>
    /// Renders the stanza, ending in a single newline, after validating it: the standard fields in
    /// <see cref="ControlType.DebControl"/>'s order, the extra fields, then the Description (fpm's order).
    /// </summary>
    public string Render()
    {
        Validate();

        // Every value is written trimmed, as dpkg reads it back anyway.
        return Deb822Writer.Render(ControlType.DebControl,
        [
            .. Present().Select(p => new KeyValuePair<string, string>(p.Field.Name, p.Field.Kind == ControlFieldKind.Multiline
                ? FormatDescription((string)p.Value).TrimEnd('\n')
                : Format(p.Value).Trim())),
            .. ExtraFields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.Trim())),
        ]);
    }

    /// <summary>
    /// A control file read from text (<c>--deb-custom-control</c>, an edited control file): each
    /// standard field parsed by its kind, any other field kept as an extra field in file order.
    /// Package, Version and Architecture must be there, and so must <paramref name="alsoRequired"/>.
    /// Validated like any other.
    /// </summary>
    /// <param name="displayName">Names the file in errors, e.g. "the --deb-custom-control file '/x/control'".</param>
    public static ControlFile Parse(ControlFields fields, string displayName, IEnumerable<ControlField>? alsoRequired = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var required = new HashSet<ControlField>(alsoRequired ?? []) { ControlField.Package, ControlField.Version, ControlField.Architecture };
        ImmutableDictionary<ControlField, object> values = ImmutableDictionary<ControlField, object>.Empty;
        foreach (ControlField field in Standard)
        {
            if (fields[field.Name] is { Length: > 0 } text)
            {
                values = Set(values, field, ParseValue(field, text, displayName));
            }
            else if (required.Contains(field))
            {
                throw new InvalidSpecException($"{displayName} has no {field.Name} field: add '{field.Name}: ...'");
            }
        }

        var control = new ControlFile
        {
            Package = (string)values[ControlField.Package],
            Version = (DebianVersion)values[ControlField.Version],
            Architecture = (string)values[ControlField.Architecture],
            ExtraFields = fields.Fields.Where(f => ControlField.Find(f.Key, ControlType.DebControl) is null).ToList(),

            // Last: every standard field, the three above included.
            _values = values,
        };
        control.Validate();
        return control;
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

    /// <summary>Equal when every field has the same value (relation entries in the same order).</summary>
    public bool Equals(ControlFile? other) =>
        other is not null
        && _values.Count == other._values.Count
        && _values.All(p => other._values.TryGetValue(p.Key, out object? v) && SameValue(p.Value, v))
        && ExtraFields.SequenceEqual(other.ExtraFields);

    public override int GetHashCode() => HashCode.Combine(Package, Version, Architecture);

    private static bool SameValue(object a, object b) =>
        a is IReadOnlyList<string> x && b is IReadOnlyList<string> y ? x.SequenceEqual(y, StringComparer.Ordinal) : a.Equals(b);

    private static void CheckStandard(ControlField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!Standard.Contains(field))
        {
            throw new ArgumentException($"{field.Name} is not a field of a binary package's control file: give it as an extra field", nameof(field));
        }
    }

    /// <summary>The fields present, in the table's order; an empty relation list counts as absent.</summary>
    private IEnumerable<(ControlField Field, object Value)> Present() =>
        Standard.Where(_values.ContainsKey).Select(f => (f, _values[f]));

    /// <summary>
    /// Null when <paramref name="text"/> is acceptable as <paramref name="field"/>'s value (one
    /// entry of a relation field), else the one-line reason: a front end checks a value it was
    /// given before any work starts.
    /// </summary>
    public static string? ValueProblem(ControlField field, string text)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(text);
        return field.Kind switch
        {
            ControlFieldKind.Relation => Problem(field, new[] { text }),
            ControlFieldKind.Simple or ControlFieldKind.Multiline => Problem(field, text),
            _ => throw new ArgumentException($"{field.Name} is a {field.Kind} field, not text", nameof(field)),
        };
    }

    /// <summary>Null when the value is acceptable for its field, else the one-line reason.</summary>
    private static string? Problem(ControlField field, object value) => field.Kind switch
    {
        ControlFieldKind.Simple => field.CheckText((string)value),
        ControlFieldKind.Relation => ((IReadOnlyList<string>)value).Where(r => !ControlField.IsSingleLine(r))
            .Select(r => $"invalid {field.Name} entry '{MessageText.OneLine(r)}': give one relation such as 'adduser' or 'libc6 (>= 2.17)'")
            .FirstOrDefault(),
        ControlFieldKind.Size when (long)value < 0 => $"invalid {field.Name} {value}: it must be a non-negative number of KiB",
        ControlFieldKind.Multiline when ((string)value).Split('\n')[0].Trim().Length == 0 =>
            $"invalid {field.Name}: its first line (the synopsis) must not be empty",
        _ => null,
    };

    /// <summary>A value as it stands on its field line (a multiline value's first line and continuation lines aside).</summary>
    private static string Format(object value) => value switch
    {
        IReadOnlyList<string> relations => string.Join(", ", relations.Select(r => r.Trim())),
        long size => size.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static object ParseValue(ControlField field, string text, string displayName) => field.Kind switch
    {
        ControlFieldKind.Relation => text.Split(',').Select(r => r.Replace('\n', ' ').Trim()).Where(r => r.Length > 0).ToList(),
        ControlFieldKind.Version => DebianVersion.Parse(text),
        ControlFieldKind.Size => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            ? size
            : throw new InvalidSpecException($"invalid {field.Name} '{text}' in {displayName}: give KiB as a whole number"),

        // Continuation lines (" text", " .") back to the description's own lines.
        ControlFieldKind.Multiline => string.Join('\n', text.Split('\n').Select((line, i) => i == 0 ? line.Trim() : line.Trim() == "." ? "" : line[1..])),
        _ => text,
    };

    /// <summary>The values with one field set; null or an empty relation list removes it.</summary>
    private static ImmutableDictionary<ControlField, object> Set(ImmutableDictionary<ControlField, object> values, ControlField field, object? value) =>
        value is null or IReadOnlyList<string> { Count: 0 } ? values.Remove(field) : values.SetItem(field, value);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNamePattern();
}
