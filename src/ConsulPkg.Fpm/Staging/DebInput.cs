using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Fpm.Scripts;

namespace ConsulPkg.Fpm.Staging;

/// <summary>
/// fpm's <c>-s deb</c>: an existing package as the input (lib/fpm/package/deb.rb <c>input</c>).
/// Its control fields are the defaults the command line's flags override, its maintainer scripts
/// are the package's own scripts unless a flag gives one, its conffiles stay conffiles, and its
/// data is the tree, read in memory with the package's owners (nothing is unpacked on the host).
/// fpm reads only some fields and drops Pre-Depends, Recommends, Suggests, Conflicts, Breaks,
/// Replaces, Priority, the other fields and every other control member (triggers, shlibs,
/// debconf); all of them are kept here.
/// </summary>
internal sealed record DebInput
{
    /// <summary>The maintainer scripts fpm reads back as the package's own scripts.</summary>
    private static readonly (string Member, FpmScript Script)[] ScriptMembers =
    [
        ("preinst", FpmScript.BeforeInstall), ("postinst", FpmScript.AfterInstall),
        ("prerm", FpmScript.BeforeRemove), ("postrm", FpmScript.AfterRemove),
    ];

    /// <summary>Members the writer makes from the rest: never carried over as they are.</summary>
    private static readonly HashSet<string> Rebuilt = new(StringComparer.Ordinal)
    {
        "control", "md5sums", "conffiles", "preinst", "postinst", "prerm", "postrm",
    };

    public required ControlFile Control { get; init; }

    public required IReadOnlyList<PackageEntry> Entries { get; init; }

    public required IReadOnlyDictionary<FpmScript, ReadOnlyMemory<byte>> Scripts { get; init; }

    public required IReadOnlyList<string> ConfFiles { get; init; }

    /// <summary>Every other control member (triggers, shlibs, config, templates...), carried over unless a flag replaces it.</summary>
    public required IReadOnlyList<ExtraControlMember> Members { get; init; }

    /// <summary>Reads the one package <paramref name="inputs"/> names; <paramref name="staging"/> gives the excludes and, unless <paramref name="keepOwners"/>, the owner.</summary>
    public static DebInput Read(IReadOnlyList<string> inputs, string workingDirectory, StagingOptions staging, bool keepOwners)
    {
        if (inputs.Count != 1)
        {
            throw new PackageException(inputs.Count == 0
                ? "no input package: give the .deb to repackage, e.g. tool_1.0_amd64.deb"
                : $"-s deb takes one package, {inputs.Count} were given: repackage them one at a time");
        }

        string path = Path.GetFullPath(inputs[0], workingDirectory);
        string name = $"the -s deb input '{path}'";
        using DebPackageReader reader = DebPackageReader.Open(path, keepControlFiles: true);
        ControlFile control = FpmCustomControl.Parse(
            reader.Control.ControlFileBytes ?? throw new PackageException($"{name} has no control file: it is not a complete package"), name);

        var scripts = new Dictionary<FpmScript, ReadOnlyMemory<byte>>();
        foreach ((string member, FpmScript script) in ScriptMembers)
        {
            if (reader.Control.Find(member)?.Content is { } content)
            {
                scripts[script] = content;
            }
        }

        IReadOnlyList<string> confFiles = reader.Control.Find("conffiles")?.Content is { } conffiles
            ? Encoding.UTF8.GetString(conffiles.Span).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList()
            : [];
        List<ExtraControlMember> members = reader.Control.Members
            .Where(m => !Rebuilt.Contains(m.Name) && m.Content is not null)
            .Select(m => new ExtraControlMember(m.Name, m.Content!.Value, m.IsExecutable))
            .ToList();
        List<PackageEntry> entries = TarballInput.Collect(reader.ReadDataEntries(), path, "", "/", staging, keepOwners);
        return new DebInput { Control = control, Entries = entries, Scripts = scripts, ConfFiles = confFiles, Members = members };
    }

    /// <summary>
    /// The command line over the package's values: a flag given replaces the field (the version
    /// and iteration separately, as fpm splits them; <c>-v</c> counts as given when it is not
    /// fpm's default 1.0, fpm's own rule), and list flags add to the package's lists.
    /// </summary>
    public FpmOptions Under(FpmOptions options)
    {
        ControlFile c = Control;
        var overridden = new HashSet<string>(options.Fields.Select(f => f.Key), StringComparer.OrdinalIgnoreCase);
        return options with
        {
            Name = options.Name ?? c.Package,
            Version = options.Version != FpmDefaults.Version ? options.Version : c.Version.Upstream,
            Iteration = options.Iteration ?? c.Version.Revision,
            Epoch = options.Epoch ?? (c.Version.Epoch > 0 ? c.Version.Epoch : null),
            Architecture = options.Architecture ?? c.Architecture,
            Description = options.Description ?? c.Description,
            // The flags' table: a text flag given replaces the package's field, a list flag adds to it.
            TextFields = FpmControlFlags.Texts
                .Select(flag => (flag.Field, Value: options.TextFields.GetValueOrDefault(flag.Field) ?? c.Text(flag.Field)))
                .Where(p => p.Value is not null)
                .ToDictionary(p => p.Field, p => p.Value!),
            Relations = FpmControlFlags.Relations.ToDictionary(
                flag => flag.Field,
                flag => (IReadOnlyList<string>)[.. c.Relations(flag.Field), .. options.Relations.GetValueOrDefault(flag.Field) ?? []]),
            Fields = [.. c.ExtraFields.Where(f => !overridden.Contains(f.Key)), .. options.Fields],
        };
    }

    /// <summary>The package's conffiles still in the data (an excluded one is dropped with the file).</summary>
    public IEnumerable<string> KeptConfFiles(IReadOnlyList<PackageEntry> entries) =>
        ConfFiles.Where(c => entries.Any(e => e.Path == PackagePath.Normalize(c) && e.Kind == EntryKind.File));
}
