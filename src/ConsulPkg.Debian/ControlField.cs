using System.Text.RegularExpressions;

namespace ConsulPkg.Debian;

/// <summary>How a standard control field's value is held, checked, written and read back.</summary>
public enum ControlFieldKind
{
    /// <summary>One line of text.</summary>
    Simple,

    /// <summary>A list of relations such as "adduser" or "libc6 (>= 2.17)", written comma-separated.</summary>
    Relation,

    /// <summary>A synopsis line, then continuation lines (Policy 5.6.13): the Description.</summary>
    Multiline,

    /// <summary>A <see cref="DebianVersion"/>.</summary>
    Version,

    /// <summary>A non-negative whole number of KiB (Installed-Size).</summary>
    Size,
}

/// <summary>
/// The standard fields of a binary package's control file, one row each: name, kind and the check
/// its value must pass, declared in the order they are written (fpm's order, so diffs against
/// fpm-built packages stay small). This table is the one list behind <see cref="ControlFile"/>'s
/// validation, rendering and parsing and its list of known names; front ends map their flags
/// onto these rows. A new field is one row here (plus a flag in a front end, if it has one).
/// </summary>
public sealed partial class ControlField
{
    // Declared before the rows: static fields are initialised in textual order, and each row's
    // constructor appends itself, so the list is the rows in declaration order.
    private static readonly List<ControlField> Rows = [];

    public static readonly ControlField Package = new("Package", ControlFieldKind.Simple, value =>
        PackageNamePattern().IsMatch(value) ? null
        : $"invalid package name '{value}': use at least two characters of a-z, 0-9, '+', '-', '.', starting with a letter or digit");

    public static readonly ControlField Version = new("Version", ControlFieldKind.Version);

    /// <summary>fpm writes License and Vendor as control fields; dpkg carries them as user fields.</summary>
    public static readonly ControlField License = new("License", ControlFieldKind.Simple);

    public static readonly ControlField Vendor = new("Vendor", ControlFieldKind.Simple);

    public static readonly ControlField Architecture = new("Architecture", ControlFieldKind.Simple, value =>
        ArchitecturePattern().IsMatch(value) ? null
        : $"invalid architecture '{value}': use a Debian architecture name such as amd64, arm64 or all");

    public static readonly ControlField Maintainer = new("Maintainer", ControlFieldKind.Simple);

    public static readonly ControlField InstalledSize = new("Installed-Size", ControlFieldKind.Size);

    public static readonly ControlField PreDepends = new("Pre-Depends", ControlFieldKind.Relation);

    public static readonly ControlField Depends = new("Depends", ControlFieldKind.Relation);

    public static readonly ControlField Recommends = new("Recommends", ControlFieldKind.Relation);

    public static readonly ControlField Suggests = new("Suggests", ControlFieldKind.Relation);

    public static readonly ControlField Conflicts = new("Conflicts", ControlFieldKind.Relation);

    public static readonly ControlField Breaks = new("Breaks", ControlFieldKind.Relation);

    public static readonly ControlField Provides = new("Provides", ControlFieldKind.Relation);

    public static readonly ControlField Replaces = new("Replaces", ControlFieldKind.Relation);

    public static readonly ControlField Section = new("Section", ControlFieldKind.Simple);

    public static readonly ControlField Priority = new("Priority", ControlFieldKind.Simple);

    public static readonly ControlField Homepage = new("Homepage", ControlFieldKind.Simple);

    /// <summary>Written last, after any extra fields.</summary>
    public static readonly ControlField Description = new("Description", ControlFieldKind.Multiline);

    private readonly Func<string, string?>? _check;

    private ControlField(string name, ControlFieldKind kind, Func<string, string?>? check = null)
    {
        Name = name;
        Kind = kind;
        _check = check;
        Rows.Add(this);
    }

    /// <summary>Every standard field, in the order they are written.</summary>
    public static IReadOnlyList<ControlField> All => Rows;

    /// <summary>The name as written, e.g. "Pre-Depends".</summary>
    public string Name { get; }

    public ControlFieldKind Kind { get; }

    /// <summary>The standard field of this name (case-insensitive, as dpkg matches names), or null.</summary>
    public static ControlField? Find(string name) =>
        Rows.Find(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;

    /// <summary>
    /// Null when a one-line value is acceptable, else the one-line reason. A simple field's value
    /// is one line with something besides blanks: dpkg's parser drops a value's leading and
    /// trailing blanks, so a blank value would be an empty field and a CR would end up inside it.
    /// </summary>
    public string? CheckText(string value) =>
        _check is not null ? _check(value)
        : IsSingleLine(value) ? null
        : $"invalid {Name} '{MessageText.OneLine(value)}': it must be a single non-empty line";

    internal static bool IsSingleLine(string value) =>
        !string.IsNullOrWhiteSpace(value) && value.AsSpan().IndexOfAny('\n', '\r') < 0;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageNamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ArchitecturePattern();
}
