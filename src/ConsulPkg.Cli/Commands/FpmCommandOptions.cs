using System.CommandLine;
using ConsulPkg.Debian;
using ConsulPkg.Fpm;
using ConsulPkg.Fpm.Scripts;

namespace ConsulPkg.Cli.Commands;

/// <summary>fpm's flags (names, aliases and defaults as fpm spells them) and their mapping to <see cref="FpmOptions"/>.</summary>
internal sealed partial class FpmCommandOptions
{
    public FpmCommandOptions() => AddCompatibilityFlags();

    public Option<string?> InputType { get; } = Text("--input-type", "-s", "Input type: dir, tar, empty or deb");
    public Option<string?> OutputType { get; } = Text("--output-type", "-t", "Output type; only 'deb'");
    public Option<string?> Name { get; } = Text("--name", "-n", "Package name");
    public Option<string?> Version { get; } = Text("--version", "-v", "Package version (default 1.0)");
    public Option<string?> Iteration { get; } = Text("--iteration", null, "Debian revision, e.g. 1");
    public Option<string?> Epoch { get; } = Text("--epoch", null, "Version epoch");
    public Option<string?> Architecture { get; } = Text("--architecture", "-a", "Architecture: amd64, arm64, all, native (default: this host's)");
    /// <summary>One option per <see cref="FpmControlFlags.Texts"/> row.</summary>
    public IReadOnlyDictionary<FpmTextFlag, Option<string?>> TextFields { get; } =
        FpmControlFlags.Texts.ToDictionary(f => f, f => Text(f.Name, f.Alias, f.Help));

    /// <summary>One option per <see cref="FpmControlFlags.Relations"/> row.</summary>
    public IReadOnlyDictionary<FpmRelationFlag, Option<string[]>> Relations { get; } =
        FpmControlFlags.Relations.ToDictionary(f => f, f => List(f.Name, f.Alias, f.Help));

    public Option<string?> Description { get; } = Text("--description", null, "Description; the first line is the synopsis");
    public Option<string[]> ConfigFiles { get; } = List("--config-files", null, "A conffile as installed; a directory means all files below it (repeatable)");
    public Option<bool> NoDefaultConfigFiles { get; } = Flag("--deb-no-default-config-files", null, "Do not mark every file under /etc as a conffile");
    public Option<string?> BeforeInstall { get; } = Text("--before-install", null, "preinst script file");
    public Option<string?> AfterInstall { get; } = Text("--after-install", null, "postinst script file");
    public Option<string?> BeforeRemove { get; } = Text("--before-remove", null, "prerm script file");
    public Option<string?> AfterRemove { get; } = Text("--after-remove", null, "postrm script file");
    public Option<string?> PreInstall { get; } = Text("--pre-install", null, "Older name of --before-install");
    public Option<string?> PostInstall { get; } = Text("--post-install", null, "Older name of --after-install");
    public Option<string?> PreUninstall { get; } = Text("--pre-uninstall", null, "Older name of --before-remove");
    public Option<string?> PostUninstall { get; } = Text("--post-uninstall", null, "Older name of --after-remove");
    public Option<string?> Compression { get; } = Text("--deb-compression", null, "gz (default), xz, zst or none");
    public Option<string?> CompressionLevel { get; } = Text("--deb-compression-level", null, "Compression level");
    public Option<string?> User { get; } = Text("--deb-user", null, "Owner of every file (default root)");
    public Option<string?> Group { get; } = Text("--deb-group", null, "Group of every file (default root)");
    public Option<string?> Chdir { get; } = Text("--chdir", "-C", "Resolve input paths from this directory");
    public Option<string?> Package { get; } = Text("--package", "-p", "Output file or directory; NAME, VERSION, ARCH... are replaced");
    public Option<bool> Force { get; } = Flag("--force", "-f", "Replace an existing output file");
    public Option<string?> Prefix { get; } = Text("--prefix", null, "Install inputs below this path");
    public Option<string[]> Excludes { get; } = List("--exclude", "-x", "Leave out paths matching this glob (repeatable)");
    public Option<bool> NoDepends { get; } = Flag("--no-depends", null, "Drop every dependency");
    public Option<string[]> Fields { get; } = List("--deb-field", null, "An extra control field, 'Name: value' (repeatable)");
    public Option<string?> Changelog { get; } = Text("--deb-changelog", null, "Changelog file to ship instead of a generated one");
    public Option<string?> Log { get; } = Text("--log", null, "Accepted for fpm compatibility; consul-pkg prints only errors and the result");
    public Option<bool> Debug { get; } = Flag("--debug", null, "Accepted for fpm compatibility; use --verbose for stack traces");
    public Option<string?> Workdir { get; } = Text("--workdir", null, "Accepted for fpm compatibility; consul-pkg stages nothing on disk");
    public Option<bool> NoAutoDepends { get; } = Flag("--no-auto-depends", null, "Accepted for fpm compatibility; dir inputs have no automatic dependencies");
    public Option<bool> NoDocs { get; } = Flag("--deb-no-docs", null, "Do not generate usr/share/doc/NAME/copyright and changelog");
    public Option<string?> SigningKey { get; } = Text("--deb-signing-key", null, "Sign the package with this OpenPGP secret key, as debsigs does (an addition to fpm)");
    public Option<string?> PassphraseFile { get; } = Text("--passphrase-file", null, SigningKeyFiles.PassphraseDescription);
    public Option<string?> SourceDateEpoch { get; } = BuildTimestamp.CreateOption();
    public Option<string?> SourceDateEpochDefault { get; } = Text("--source-date-epoch-default", null, "Timestamp to use when SOURCE_DATE_EPOCH is unset (fpm's flag)");

    public Argument<string[]> Inputs { get; } = new("path")
    {
        Description = "Directories or files to package, or source=target mappings",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public IEnumerable<Option> All =>
    [
        InputType, OutputType, Name, Version, Iteration, Epoch, Architecture, Description, .. TextFields.Values,
        .. Relations.Values, ConfigFiles, NoDefaultConfigFiles, BeforeInstall,
        AfterInstall, BeforeRemove, AfterRemove, PreInstall, PostInstall, PreUninstall, PostUninstall, Compression,
        CompressionLevel, User, Group, Chdir, Package, Force, Prefix, Excludes,
        NoDepends, Fields, Changelog, Log, Debug, Workdir, NoAutoDepends, NoDocs, SigningKey, PassphraseFile, SourceDateEpoch, SourceDateEpochDefault,
        .. Compatibility,
        .. Services,
        .. ControlMemberOptions,
    ];

    public FpmOptions ToFpmOptions(ParseResult r, CliContext context)
    {
        string? architecture = r.GetValue(Architecture);
        string? host = context.HostArchitecture;
        if (host is null && architecture is null or "native")
        {
            throw new PackageException("cannot tell the Debian name of this host's architecture: pass -a/--architecture");
        }

        return WithControlMembers(r, WithServices(r, WithCompatibility(r, new FpmOptions
        {
            WorkingDirectory = context.WorkingDirectory,
            HostArchitecture = host ?? "",
            Timestamp = BuildTimestamp.Resolve(r, SourceDateEpoch, context, r.GetValue(SourceDateEpochDefault)),
            InputType = r.GetValue(InputType),
            OutputType = r.GetValue(OutputType),
            Name = r.GetValue(Name),
            Version = r.GetValue(Version) ?? FpmDefaults.Version,
            Iteration = r.GetValue(Iteration),
            Epoch = r.GetValue(Epoch),
            Architecture = architecture,
            Description = r.GetValue(Description),
            TextFields = TextFieldValues(r, context),
            Relations = Relations.Where(p => r.GetValue(p.Value) is { Length: > 0 })
                .ToDictionary(p => p.Key.Field, p => (IReadOnlyList<string>)r.GetValue(p.Value)!),
            ConfigFiles = r.GetValue(ConfigFiles) ?? [],
            NoDefaultConfigFiles = r.GetValue(NoDefaultConfigFiles),
            Scripts = Scripts(r),
            Compression = r.GetValue(Compression),
            CompressionLevel = r.GetValue(CompressionLevel),
            User = r.GetValue(User),
            Group = r.GetValue(Group),
            Chdir = r.GetValue(Chdir),
            Package = r.GetValue(Package),
            Force = r.GetValue(Force),
            Prefix = r.GetValue(Prefix),
            Excludes = r.GetValue(Excludes) ?? [],
            Inputs = r.GetValue(Inputs) ?? [],
            GenerateDocumentation = !r.GetValue(NoDocs),
            NoDepends = r.GetValue(NoDepends),
            Fields = r.GetValue(Fields) ?? [],
            ChangelogPath = r.GetValue(Changelog),
        })));
    }

    /// <summary>The text flags given; without -m/--maintainer, fpm's own fallback before <c>&lt;user@host&gt;</c>, from the environment, not the host.</summary>
    private Dictionary<ControlField, string> TextFieldValues(ParseResult r, CliContext context)
    {
        Dictionary<ControlField, string> values = TextFields.Where(p => r.GetValue(p.Value) is not null)
            .ToDictionary(p => p.Key.Field, p => r.GetValue(p.Value)!);
        string? name = context.GetEnvironmentVariable("DEBFULLNAME");
        string? email = context.GetEnvironmentVariable("DEBEMAIL");
        // -s deb takes the package's own Maintainer unless -m is given.
        if (r.GetValue(InputType) != "deb" && !string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(email))
        {
            values.TryAdd(ControlField.Maintainer, $"{name} <{email}>");
        }

        return values;
    }

    private Dictionary<FpmScript, string> Scripts(ParseResult r)
    {
        var scripts = new Dictionary<FpmScript, string>();
        Add(FpmScript.BeforeInstall, BeforeInstall, PreInstall);
        Add(FpmScript.AfterInstall, AfterInstall, PostInstall);
        Add(FpmScript.BeforeRemove, BeforeRemove, PreUninstall);
        Add(FpmScript.AfterRemove, AfterRemove, PostUninstall);
        Add(FpmScript.BeforeUpgrade, BeforeUpgrade, null);
        Add(FpmScript.AfterUpgrade, AfterUpgrade, null);
        Add(FpmScript.AfterPurge, AfterPurge, null);
        return scripts;

        void Add(FpmScript script, Option<string?> current, Option<string?>? older)
        {
            string? a = r.GetValue(current);
            string? b = older is null ? null : r.GetValue(older);
            if (a is not null && b is not null && a != b)
            {
                throw new PackageException($"{current.Name} '{a}' and {older!.Name} '{b}' both give the {script.Flag()} script: give one");
            }

            if ((a ?? b) is { } path)
            {
                scripts[script] = path;
            }
        }
    }

    /// <summary>Single-valued; given twice, the last one wins, as with fpm's option parser (clamp).</summary>
    private static Option<string?> Text(string name, string? alias, string description) =>
        new(name, alias is null ? [] : [alias])
        {
            Description = description,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => result.Tokens[^1].Value,
        };

    private static Option<bool> Flag(string name, string? alias, string description) =>
        new(name, alias is null ? [] : [alias]) { Description = description };

    /// <summary>Repeatable, one value per occurrence, so "-d foo ." leaves "." to the inputs.</summary>
    private static Option<string[]> List(string name, string? alias, string description) =>
        new(name, alias is null ? [] : [alias])
        {
            Description = description,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
}
