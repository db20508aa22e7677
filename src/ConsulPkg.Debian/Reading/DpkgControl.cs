using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// One warning dpkg prints while reading a control file: the line it was reading, the package
/// name when known, and dpkg's message (which may itself hold a newline, as dpkg's do); text
/// from the file is read as UTF-8 for display.
/// </summary>
public sealed record DpkgWarning(int Line, string? Package, string Message);

/// <summary>
/// A binary package's control file as dpkg reads it (lib/dpkg/parse.c and fields.c, with
/// <c>pdb_parse_binary</c>): the stanza syntax with dpkg's errors, the known fields parsed into
/// their values (names lowercased, versions checked strictly, dependencies split into
/// alternatives, dpkg's obsolete names renamed as <see cref="ControlField.ObsoleteNames"/> says),
/// user fields kept as written, and the warnings dpkg prints on the way. What dpkg-deb
/// <c>-f</c> and <c>-W</c> print is written back from these values by <see cref="DpkgFieldWriter"/>,
/// never echoed from the file. Text is held one character per byte.
/// </summary>
public sealed partial class DpkgControl
{
    private readonly List<DpkgWarning> _warnings = [];
    private readonly List<KeyValuePair<string, string>> _userFields = [];
    private readonly List<DpkgDependency> _dependencies = [];
    private readonly List<KeyValuePair<string, string>> _rawFields = [];

    private DpkgControl(string nativeArchitecture) => NativeArchitecture = nativeArchitecture;

    /// <summary>The architecture dpkg was built for, which decides when a name needs ":arch".</summary>
    internal string NativeArchitecture { get; }

    /// <summary>The package name, lowercased as dpkg's package table holds it.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The version; not informative when absent.</summary>
    internal DpkgVersion Version { get; private set; }

    /// <summary>Null when the field is absent; "" when empty.</summary>
    public string? Architecture { get; private set; }

    internal bool ArchitectureIsValid { get; private set; }

    internal bool Essential { get; private set; }

    internal bool Protected { get; private set; }

    /// <summary>0 no, 1 same, 2 allowed, 3 foreign (dpkg's multiarchinfos order).</summary>
    internal int MultiArch { get; private set; }

    /// <summary>The canonical priority name, a user-defined value as written, or null when unset.</summary>
    public string? Priority { get; private set; }

    /// <summary>Whether the priority is not one dpkg knows (dpkg-deb -b warns).</summary>
    public bool PriorityIsUserDefined { get; private set; }

    internal string? Section { get; private set; }

    internal Dictionary<string, string> CharFields { get; } = new(StringComparer.Ordinal);

    internal IReadOnlyList<DpkgDependency> Dependencies => _dependencies;

    /// <summary>Fields dpkg does not know, in file order, names as written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UserFields => _userFields;

    /// <summary>Every field as the stanza held it, in file order, names as written (what the JSON "fields" shows).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RawFields => _rawFields;

    public IReadOnlyList<DpkgWarning> Warnings => _warnings;

    /// <summary>The description, or null when absent or empty.</summary>
    public string? Description => CharFields.GetValueOrDefault("Description");

    /// <summary>The version as dpkg prints it (epoch when needed).</summary>
    public string VersionText => Version.IsInformative ? Version.ToString() : "";

    /// <summary>The version without its epoch, as dpkg-deb -b names a package file.</summary>
    public string VersionWithoutEpoch => Version.WithoutEpoch();

    /// <summary>
    /// Reads <paramref name="content"/>; <paramref name="fileName"/> names it in messages.
    /// Throws <see cref="InvalidPackageException"/> where dpkg fails, with dpkg's reason on one line.
    /// </summary>
    public static DpkgControl Parse(ReadOnlySpan<byte> content, string fileName, string nativeArchitecture)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(nativeArchitecture);
        var control = new DpkgControl(nativeArchitecture);
        new Parser(control, DpkgText.FromBytes(content), fileName).ParseFile();
        return control;
    }

    /// <summary>dpkg's pkgbin_name with pnaw_nonambig: the name, with ":arch" for Multi-Arch: same or a foreign architecture.</summary>
    public string NameNonAmbiguous =>
        Architecture is null or "" ? Name
        : MultiArch == 1 || (Architecture != NativeArchitecture && Architecture != "all") ? $"{Name}:{Architecture}"
        : Name;
}

/// <summary>One dependency (a group of alternatives) of a relation field, in field order.</summary>
internal sealed record DpkgDependency(string Field, IReadOnlyList<DpkgRelation> Alternatives);

/// <summary>One alternative: a package, an explicit ":arch" if given, and a version relation.</summary>
internal sealed record DpkgRelation(string Package, string? Architecture, string? Relation, DpkgVersion Version);
