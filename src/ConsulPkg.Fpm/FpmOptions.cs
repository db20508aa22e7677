using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Fpm.Scripts;
using ConsulPkg.Fpm.Services;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's command line for <c>-t deb</c> from any input type consul-pkg reads (dir, tar, empty,
/// deb), as typed values: a front end parses every flag once (<see cref="FpmValues"/>, the
/// control-field and path rules of <c>ConsulPkg.Debian</c>), and <see cref="FpmPackageMapper"/>
/// maps them without checking them again. Relative paths are resolved against
/// <see cref="WorkingDirectory"/> (scripts, <c>--package</c>, <c>--chdir</c>) or against the
/// chdir directory (inputs), as fpm does.
/// </summary>
public sealed record FpmOptions
{
    /// <summary>Absolute directory that relative paths on the command line are resolved against.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Debian name of the build host's architecture, used for <c>native</c> and the default.</summary>
    public required string HostArchitecture { get; init; }

    /// <summary>The one timestamp of the build (SOURCE_DATE_EPOCH), decided by the caller.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>fpm's <c>-s</c>; the output type is always deb.</summary>
    public FpmInputKind InputType { get; init; } = FpmInputKind.Directory;

    public string? Name { get; init; }

    /// <summary>fpm's default is "1.0".</summary>
    public string Version { get; init; } = "1.0";

    public string? Iteration { get; init; }

    public int? Epoch { get; init; }

    public string? Architecture { get; init; }

    /// <summary>The first line is the synopsis. Null: <see cref="FpmDefaults.Description"/>.</summary>
    public string? Description { get; init; }

    /// <summary>The <see cref="FpmControlFlags.Texts"/> flags given (--maintainer, --url, ...), by field.</summary>
    public IReadOnlyDictionary<ControlField, string> TextFields { get; init; } = new Dictionary<ControlField, string>();

    /// <summary>The <see cref="FpmControlFlags.Relations"/> flags' entries (--depends, ...), by field, in the order given.</summary>
    public IReadOnlyDictionary<ControlField, IReadOnlyList<string>> Relations { get; init; } = new Dictionary<ControlField, IReadOnlyList<string>>();

    /// <summary>fpm's <c>--no-depends</c>: drop every Depends entry.</summary>
    public bool NoDepends { get; init; }

    /// <summary>fpm's <c>--deb-field 'Name: value'</c>, in the order given (<see cref="FpmValues.Field"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];

    /// <summary>fpm's <c>--deb-changelog FILE</c>: the changelog shipped instead of a generated one.</summary>
    public string? ChangelogPath { get; init; }

    /// <summary>Package paths; a directory means every file below it.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    public bool NoDefaultConfigFiles { get; init; }

    /// <summary>Host paths of the package's own scripts (fpm's --before/--after-install/-upgrade/-remove, --deb-after-purge).</summary>
    public IReadOnlyDictionary<FpmScript, string> Scripts { get; init; } = new Dictionary<FpmScript, string>();

    // Services (fpm's --deb-systemd*, --deb-init, --deb-default, --deb-upstart; see ServiceFiles).

    /// <summary>Systemd units (<c>--deb-systemd</c>).</summary>
    public IReadOnlyList<FpmServiceSource> SystemdUnits { get; init; } = [];

    /// <summary>Directory of the units in the package; null: fpm's lib/systemd/system.</summary>
    public string? SystemdPath { get; init; }

    public bool SystemdEnable { get; init; }

    public bool SystemdAutoStart { get; init; }

    public bool SystemdRestartAfterUpgrade { get; init; } = true;

    /// <summary>SysV init scripts (<c>--deb-init</c>).</summary>
    public IReadOnlyList<FpmServiceSource> InitScripts { get; init; } = [];

    /// <summary>/etc/default files (<c>--deb-default</c>).</summary>
    public IReadOnlyList<FpmServiceSource> DefaultFiles { get; init; } = [];

    /// <summary>Upstart jobs (<c>--deb-upstart</c>).</summary>
    public IReadOnlyList<FpmServiceSource> UpstartJobs { get; init; } = [];

    /// <summary><c>--deb-sysuser NAME[:HOME]</c> (an extension): system users preinst makes before unpacking; adduser joins Pre-Depends.</summary>
    public IReadOnlyList<FpmSystemUser> SystemUsers { get; init; } = [];

    /// <summary>fpm's <c>--[no-]deb-auto-config-files</c>: init, default and upstart files are conffiles.</summary>
    public bool AutoConfigFiles { get; init; } = true;

    /// <summary>fpm's <c>--deb-compression</c> and <c>--deb-compression-level</c>.</summary>
    public CompressionSettings Compression { get; init; } = CompressionSettings.Default;

    public string? User { get; init; }

    public string? Group { get; init; }

    public string? Chdir { get; init; }

    /// <summary>Output file, directory, or a name with fpm's NAME/VERSION/ARCH... placeholders.</summary>
    public string? Package { get; init; }

    public bool Force { get; init; }

    public string? Prefix { get; init; }

    /// <summary>fpm's <c>File.fnmatch</c> patterns against paths relative to the prefix (or root).</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Paths or <c>source=target</c> mappings.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Generate usr/share/doc/NAME/copyright and changelog (fpm does not; lintian wants them).</summary>
    public bool GenerateDocumentation { get; init; } = true;

    // fpm 1.17's remaining -t deb flags, kept together (README: "fpm flags").

    /// <summary>fpm's <c>--template-scripts</c>: render maintainer scripts as fpm's ERB templates.</summary>
    public bool TemplateScripts { get; init; }

    /// <summary>fpm's <c>--template-value KEY=VALUE</c> (implies <see cref="TemplateScripts"/>), in the order given (<see cref="FpmValues.TemplateValue"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> TemplateValues { get; init; } = [];

    /// <summary>fpm's <c>--deb-use-file-permissions</c>: owners and groups as on disk, not root (or --deb-user).</summary>
    public bool UseFilePermissions { get; init; }

    /// <summary>fpm's <c>--deb-custom-control FILE</c>: this control file instead of a generated one.</summary>
    public string? CustomControlPath { get; init; }

    /// <summary>fpm's <c>--deb-dist</c>: the distribution of the generated changelog entry (fpm's default "unstable").</summary>
    public string? Distribution { get; init; }

    /// <summary>fpm's <c>--deb-build-depends</c>: accepted and left out, a binary package has no build dependencies.</summary>
    public IReadOnlyList<string> BuildDepends { get; init; } = [];

    /// <summary>fpm's <c>--directories</c>: each must be a directory in the data (every directory a .deb ships is owned by it).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    /// <summary>fpm's <c>--inputs FILE</c>: one input per line, after the command line's.</summary>
    public string? InputsFile { get; init; }

    /// <summary>fpm's <c>--exclude-file FILE</c>: one exclude pattern per line, after the command line's.</summary>
    public string? ExcludeFile { get; init; }

    /// <summary>fpm's <c>--deb-installed-size</c>: overrides the computed Installed-Size (KiB).</summary>
    public long? InstalledSize { get; init; }

    // Further control members and what goes beside the package (see FpmControlMembers, FpmChangesFile).

    /// <summary>fpm's <c>--deb-config FILE</c>: debconf's config script, the <c>config</c> control member.</summary>
    public string? DebconfConfig { get; init; }

    /// <summary>fpm's <c>--deb-templates FILE</c>: debconf's <c>templates</c> control member.</summary>
    public string? DebconfTemplates { get; init; }

    /// <summary>fpm's <c>--deb-interest</c>, <c>--deb-activate</c> and their <c>-noawait</c> forms: the <c>triggers</c> member, each name checked by <see cref="FpmTriggers.CheckName"/>.</summary>
    public FpmTriggers Triggers { get; init; } = new();

    /// <summary>fpm's <c>--deb-meta-file FILE</c>: further control members, each named as its file.</summary>
    public IReadOnlyList<string> MetaFiles { get; init; } = [];

    /// <summary>fpm's <c>--deb-shlibs TEXT</c>: the <c>shlibs</c> control member's content.</summary>
    public string? Shlibs { get; init; }

    /// <summary>fpm's <c>--deb-upstream-changelog FILE</c>: shipped as usr/share/doc/NAME/changelog.gz.</summary>
    public string? UpstreamChangelogPath { get; init; }

    /// <summary>fpm's <c>--deb-generate-changes</c>: also write NAME_VERSION_ARCH.changes beside the package.</summary>
    public bool GenerateChanges { get; init; }

    /// <summary>fpm's <c>--deb-ignore-iteration-in-dependencies</c>: "foo (= 1.2)" becomes "foo (&gt;= 1.2), foo (&lt;&lt; 1.3)".</summary>
    public bool IgnoreIterationInDependencies { get; init; }
}

/// <summary>fpm's four trigger flags, each list in the order given.</summary>
public sealed record FpmTriggers
{
    public IReadOnlyList<string> Interest { get; init; } = [];

    public IReadOnlyList<string> Activate { get; init; } = [];

    public IReadOnlyList<string> InterestNoAwait { get; init; } = [];

    public IReadOnlyList<string> ActivateNoAwait { get; init; } = [];

    /// <summary>dpkg's rule (deb-triggers(5)): a trigger name is printable ASCII without spaces; a file trigger is an absolute path.</summary>
    public static void CheckName(string name, string directive)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 0x7f))
        {
            throw new PackageException(
                $"invalid --deb-{directive} '{name.ReplaceLineEndings("\\n")}': a trigger is a name such as 'ldconfig' or an absolute path such as /usr/share/tool/plugins, printable ASCII without spaces");
        }
    }
}

/// <summary>Values used where fpm would read the host or invent a placeholder.</summary>
public static class FpmDefaults
{
    /// <summary>
    /// fpm uses <c>&lt;$USER@$(hostname)&gt;</c>, which makes the package depend on the build
    /// machine; this is the same for every build (DEBFULLNAME/DEBEMAIL override it in the CLI),
    /// and the same as <c>build</c>'s: <c>.invalid</c> says nobody reads it, and lintian accepts
    /// it where <c>root &lt;root@localhost&gt;</c> is two errors (bogus-mail-host, root-in-contact).
    /// </summary>
    public const string Maintainer = Debian.MaintainerAddress.Placeholder;

    /// <summary>fpm's default description.</summary>
    public const string Description = "no description given";

    /// <summary>fpm's dir input sets this license when none is given.</summary>
    public const string License = "unknown";

    /// <summary>fpm's default version.</summary>
    public const string Version = "1.0";
}
