using System.Text.RegularExpressions;

namespace ConsulPkg.Debian;

/// <summary>How a control field's value is held, checked, written and read back.</summary>
public enum ControlFieldKind
{
    /// <summary>Text kept as given: one line where consul-pkg writes it (the line lists of .changes and Release are built by their writers).</summary>
    Simple,

    /// <summary>A list of relations such as "adduser" or "libc6 (>= 2.17)", written comma-separated.</summary>
    Relation,

    /// <summary>A synopsis line, then continuation lines (Policy 5.6.13): the Description.</summary>
    Multiline,

    /// <summary>A <see cref="DebianVersion"/>.</summary>
    Version,

    /// <summary>A non-negative whole number of KiB (Installed-Size).</summary>
    Size,

    /// <summary>"yes" or "no", "no" when absent (dpkg's Essential and Protected).</summary>
    Boolean,
}

/// <summary>
/// The kinds of paragraph whose fields have an order (dpkg's control types, Dpkg::Control::Types),
/// each with its order in <see cref="ControlField.Order"/>.
/// </summary>
public enum ControlType
{
    /// <summary>
    /// A binary package's control file as consul-pkg writes it: fpm's order, so a package compares
    /// line by line with fpm's, and fields the table does not list before the Description.
    /// </summary>
    DebControl,

    /// <summary>A stanza of a Packages index, in dpkg-scanpackages' order (Dpkg::Control::FieldsCore, CTRL_INDEX_PKG).</summary>
    PackagesIndex,

    /// <summary>A .changes file (CTRL_FILE_CHANGES).</summary>
    Changes,

    /// <summary>A repository's Release file (CTRL_REPO_RELEASE; SHA512 after SHA256, as apt-ftparchive writes it).</summary>
    Release,

    /// <summary>
    /// The fields dpkg's own parser knows (lib/dpkg/parse.c <c>fieldinfos</c>), in the order dpkg
    /// writes its status file: <c>dpkg-deb -f</c> prints these with this spelling and its own
    /// formatting of the value, any other field as the file has it.
    /// </summary>
    DpkgDatabase,
}

/// <summary>
/// The control fields consul-pkg knows, one row each: name (spelled as dpkg spells it), kind, the
/// check a value must pass when consul-pkg writes it, and the obsolete names dpkg still reads it
/// under; then, per <see cref="ControlType"/>, the fields a paragraph of that type holds in the
/// order they are written (dpkg keeps the same two things in Dpkg::Control::FieldsCore and
/// lib/dpkg/parse.c). The one table behind <see cref="ControlFile"/>'s validation, rendering and
/// parsing, the reader's <c>dpkg-deb -f</c> output, the repository's Packages and Release files
/// and fpm's .changes. A new field is one row here and a place in each order that holds it
/// (plus a flag in a front end, if it has one).
/// </summary>
public sealed partial class ControlField
{
    // A binary package's fields (Policy 5.3, deb-control(5)).
    public static readonly ControlField Package = new("Package", ControlFieldKind.Simple, value =>
        PackageNamePattern().IsMatch(value) ? null
        : $"invalid package name '{value}': use at least two characters of a-z, 0-9, '+', '-', '.', starting with a letter or digit");

    public static readonly ControlField PackageType = new("Package-Type");

    public static readonly ControlField Source = new("Source");

    public static readonly ControlField Version = new("Version", ControlFieldKind.Version);

    public static readonly ControlField KernelVersion = new("Kernel-Version");

    public static readonly ControlField BuiltForProfiles = new("Built-For-Profiles");

    public static readonly ControlField AutoBuiltPackage = new("Auto-Built-Package");

    public static readonly ControlField Architecture = new("Architecture", ControlFieldKind.Simple, value =>
        ArchitecturePattern().IsMatch(value) ? null
        : $"invalid architecture '{value}': use a Debian architecture name such as amd64, arm64 or all");

    public static readonly ControlField Subarchitecture = new("Subarchitecture");

    public static readonly ControlField InstallerMenuItem = new("Installer-Menu-Item");

    public static readonly ControlField BuildEssential = new("Build-Essential");

    public static readonly ControlField Essential = new("Essential", ControlFieldKind.Boolean);

    public static readonly ControlField Protected = new("Protected", ControlFieldKind.Boolean);

    public static readonly ControlField Origin = new("Origin");

    public static readonly ControlField Bugs = new("Bugs");

    public static readonly ControlField Maintainer = new("Maintainer");

    public static readonly ControlField InstalledSize = new("Installed-Size", ControlFieldKind.Size);

    public static readonly ControlField PreDepends = new("Pre-Depends", ControlFieldKind.Relation);

    public static readonly ControlField Depends = new("Depends", ControlFieldKind.Relation);

    public static readonly ControlField Recommends = new("Recommends", ControlFieldKind.Relation, obsoleteNames: ["Recommended"]);

    public static readonly ControlField Suggests = new("Suggests", ControlFieldKind.Relation, obsoleteNames: ["Optional"]);

    public static readonly ControlField Enhances = new("Enhances", ControlFieldKind.Relation);

    public static readonly ControlField Conflicts = new("Conflicts", ControlFieldKind.Relation);

    public static readonly ControlField Breaks = new("Breaks", ControlFieldKind.Relation);

    public static readonly ControlField Replaces = new("Replaces", ControlFieldKind.Relation);

    public static readonly ControlField Provides = new("Provides", ControlFieldKind.Relation);

    public static readonly ControlField BuiltUsing = new("Built-Using", ControlFieldKind.Relation);

    public static readonly ControlField StaticBuiltUsing = new("Static-Built-Using", ControlFieldKind.Relation);

    public static readonly ControlField Section = new("Section");

    public static readonly ControlField Priority = new("Priority", obsoleteNames: ["Class"]);

    public static readonly ControlField MultiArch = new("Multi-Arch");

    public static readonly ControlField Homepage = new("Homepage");

    public static readonly ControlField Description = new("Description", ControlFieldKind.Multiline);

    public static readonly ControlField Tag = new("Tag");

    public static readonly ControlField Task = new("Task");

    /// <summary>fpm writes License and Vendor as control fields; dpkg carries them as user fields.</summary>
    public static readonly ControlField License = new("License");

    public static readonly ControlField Vendor = new("Vendor");

    // What an index adds to a package's fields ("MD5sum", "SHA1": dpkg's historical spelling).
    public static readonly ControlField Filename = new("Filename");

    public static readonly ControlField Size = new("Size");

    public static readonly ControlField Md5Sum = new("MD5sum");

    public static readonly ControlField Sha1 = new("SHA1");

    public static readonly ControlField Sha256 = new("SHA256");

    public static readonly ControlField Sha512 = new("SHA512");

    // Fields only dpkg's database has; Revision is the obsolete way of giving a version's revision.
    public static readonly ControlField Status = new("Status");

    public static readonly ControlField Revision = new("Revision", obsoleteNames: ["Package-Revision", "Package_Revision"]);

    public static readonly ControlField ConfigVersion = new("Config-Version", ControlFieldKind.Version);

    public static readonly ControlField Conffiles = new("Conffiles");

    public static readonly ControlField MsdosFilename = new("MSDOS-Filename");

    public static readonly ControlField TriggersPending = new("Triggers-Pending");

    public static readonly ControlField TriggersAwaited = new("Triggers-Awaited");

    // A .changes file's own fields.
    public static readonly ControlField Format = new("Format");

    public static readonly ControlField Date = new("Date");

    public static readonly ControlField Binary = new("Binary");

    public static readonly ControlField BinaryOnly = new("Binary-Only");

    public static readonly ControlField Distribution = new("Distribution");

    public static readonly ControlField Urgency = new("Urgency");

    public static readonly ControlField ChangedBy = new("Changed-By");

    public static readonly ControlField Closes = new("Closes");

    public static readonly ControlField Changes = new("Changes");

    public static readonly ControlField ChecksumsMd5 = new("Checksums-Md5");

    public static readonly ControlField ChecksumsSha1 = new("Checksums-Sha1");

    public static readonly ControlField ChecksumsSha256 = new("Checksums-Sha256");

    public static readonly ControlField Files = new("Files");

    // A Release file's own fields.
    public static readonly ControlField Label = new("Label");

    public static readonly ControlField Suite = new("Suite");

    public static readonly ControlField Codename = new("Codename");

    public static readonly ControlField Changelogs = new("Changelogs");

    public static readonly ControlField ValidUntil = new("Valid-Until");

    public static readonly ControlField NotAutomatic = new("NotAutomatic");

    public static readonly ControlField ButAutomaticUpgrades = new("ButAutomaticUpgrades");

    public static readonly ControlField AcquireByHash = new("Acquire-By-Hash");

    public static readonly ControlField NoSupportForArchitectureAll = new("No-Support-for-Architecture-all");

    public static readonly ControlField Architectures = new("Architectures");

    public static readonly ControlField Components = new("Components");

    /// <summary>
    /// Per type, the fields in the order they are written; fields the order does not list go
    /// between <see cref="FieldOrder.Head"/> and <see cref="FieldOrder.Tail"/>, in the order given.
    /// Declared after the rows: static fields are initialised in textual order.
    /// </summary>
    private static readonly Dictionary<ControlType, FieldOrder> Orders = new()
    {
        [ControlType.DebControl] = new(
            [
                Package, Version, License, Vendor, Architecture, Maintainer, InstalledSize, PreDepends, Depends, Recommends,
                Suggests, Conflicts, Breaks, Provides, Replaces, Section, Priority, Homepage,
            ],
            [Description]),
        [ControlType.PackagesIndex] = new(
            [
                Package, PackageType, Source, Version, KernelVersion, BuiltForProfiles, AutoBuiltPackage, Architecture,
                Subarchitecture, InstallerMenuItem, BuildEssential, Essential, Protected, Origin, Bugs, Maintainer, InstalledSize,
                PreDepends, Depends, Recommends, Suggests, Enhances, Conflicts, Breaks, Replaces, Provides, BuiltUsing,
                StaticBuiltUsing, Filename, Size, Md5Sum, Sha1, Sha256, Section, Priority, MultiArch, Homepage, Description,
                Tag, Task,
            ],
            []),
        [ControlType.Changes] = new(
            [
                Format, Date, Source, Binary, BinaryOnly, BuiltForProfiles, Architecture, Version, Distribution, Urgency,
                Maintainer, ChangedBy, Description, Closes, Changes, ChecksumsMd5, ChecksumsSha1, ChecksumsSha256, Files,
            ],
            []),
        [ControlType.Release] = new(
            [
                Origin, Label, Suite, Version, Codename, Changelogs, Date, ValidUntil, NotAutomatic, ButAutomaticUpgrades,
                AcquireByHash, NoSupportForArchitectureAll, Architectures, Components, Description, Md5Sum, Sha1, Sha256, Sha512,
            ],
            []),
        [ControlType.DpkgDatabase] = new(
            [
                Package, Essential, Protected, Status, Priority, Section, InstalledSize, Origin, Maintainer, Bugs, Architecture,
                MultiArch, Source, Version, Revision, ConfigVersion, Replaces, Provides, Depends, PreDepends, Recommends,
                Suggests, Breaks, Conflicts, Enhances, Conffiles, Filename, Size, Md5Sum, MsdosFilename, Description,
                TriggersPending, TriggersAwaited,
            ],
            []),
    };

    private readonly Func<string, string?>? _check;

    private ControlField(string name, ControlFieldKind kind = ControlFieldKind.Simple, Func<string, string?>? check = null, string[]? obsoleteNames = null)
    {
        Name = name;
        Kind = kind;
        _check = check;
        ObsoleteNames = obsoleteNames ?? [];
    }

    /// <summary>The name as written, e.g. "Pre-Depends".</summary>
    public string Name { get; }

    public ControlFieldKind Kind { get; }

    /// <summary>Names dpkg's parser still reads as this field (lib/dpkg/parse.c <c>nicknames</c>), e.g. "Recommended" for Recommends.</summary>
    public IReadOnlyList<string> ObsoleteNames { get; }

    /// <summary>The fields a paragraph of <paramref name="type"/> holds, in the order they are written.</summary>
    public static IReadOnlyList<ControlField> Order(ControlType type) => Orders[type].All;

    /// <summary>The field of <paramref name="type"/> with this name (case-insensitive, as dpkg matches names), or null.</summary>
    public static ControlField? Find(string name, ControlType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        FieldOrder order = Orders[type];
        return order.Positions.TryGetValue(name, out int position) ? order.All[position] : null;
    }

    /// <summary>The field dpkg reads <paramref name="name"/> as when it is an obsolete name ("Class" is Priority), or null.</summary>
    public static ControlField? FindObsolete(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Orders[ControlType.DpkgDatabase].All
            .FirstOrDefault(f => f.ObsoleteNames.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// <paramref name="fields"/> in <paramref name="type"/>'s order: the fields it lists first
    /// (spelled as the table spells them), the others where it puts them, in the order given.
    /// </summary>
    public static List<KeyValuePair<string, string>> InOrder(ControlType type, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        FieldOrder order = Orders[type];
        var listed = new SortedDictionary<int, KeyValuePair<string, string>>();
        var others = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (!order.Positions.TryGetValue(field.Key, out int position))
            {
                others.Add(field);
            }
            else if (!listed.TryAdd(position, new(order.All[position].Name, field.Value)))
            {
                throw new ArgumentException($"field {field.Key} is given twice", nameof(fields));
            }
        }

        return
        [
            .. listed.Where(p => p.Key < order.Head.Length).Select(p => p.Value),
            .. others,
            .. listed.Where(p => p.Key >= order.Head.Length).Select(p => p.Value),
        ];
    }

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

    /// <summary>A type's order: the listed fields before the unlisted ones, then those after.</summary>
    private sealed record FieldOrder(ControlField[] Head, ControlField[] Tail)
    {
        public List<ControlField> All { get; } = [.. Head, .. Tail];

        /// <summary>Each field's place in <see cref="All"/> by name, case-insensitive.</summary>
        public Dictionary<string, int> Positions { get; } = Head.Concat(Tail)
            .Select((field, i) => (field.Name, i))
            .ToDictionary(p => p.Name, p => p.i, StringComparer.OrdinalIgnoreCase);
    }
}
