using System.CommandLine;
using System.CommandLine.Parsing;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Fpm;
using ConsulPkg.Fpm.Scripts;

namespace ConsulPkg.Cli.Commands;

/// <summary>fpm's flags (names, aliases and defaults as fpm spells them) and their mapping to <see cref="FpmOptions"/>.</summary>
internal sealed partial class FpmCommandOptions
{
    public FpmCommandOptions() => AddCompatibilityFlags();

    public Option<FpmInputKind?> InputType { get; } = OptionParsing.Single<FpmInputKind?>("--input-type", "-s", "Input type: dir, tar, empty or deb", t => FpmInputType.Parse(t));
    public Option<string?> OutputType { get; } = OptionParsing.Single("--output-type", "-t", "Output type; only 'deb'", FpmValues.OutputType);
    public Option<string?> Name { get; } = OptionParsing.Single("--name", "-n", "Package name", FpmValues.Name);
    public Option<string?> Version { get; } = Text("--version", "-v", "Package version (default 1.0)");
    public Option<string?> Iteration { get; } = OptionParsing.Single("--iteration", null, "Debian revision, e.g. 1", OptionParsing.Revision);
    public Option<int?> Epoch { get; } = OptionParsing.Single<int?>("--epoch", null, "Version epoch", t => FpmValues.Epoch(t));
    public Option<string?> Architecture { get; } = OptionParsing.Single("--architecture", "-a", "Architecture: amd64, arm64, all, native (default: this host's)", FpmValues.Architecture);
    /// <summary>One option per <see cref="FpmControlFlags.Texts"/> row.</summary>
    public IReadOnlyDictionary<FpmTextFlag, Option<string?>> TextFields { get; } =
        FpmControlFlags.Texts.ToDictionary(f => f, f => OptionParsing.Single(f.Name, f.Alias, f.Help, t => FpmValues.Text(f, t)));

    /// <summary>One option per <see cref="FpmControlFlags.Relations"/> row.</summary>
    public IReadOnlyDictionary<FpmRelationFlag, Option<string[]>> Relations { get; } =
        FpmControlFlags.Relations.ToDictionary(f => f, f => OptionParsing.Repeated(f.Name, f.Alias, f.Help, t => FpmValues.Relation(f, t)));

    public Option<string?> Description { get; } = OptionParsing.Single("--description", null, "Description; the first line is the synopsis", FpmValues.Description);
    public Option<string[]> ConfigFiles { get; } = OptionParsing.Repeated("--config-files", null, "A conffile as installed; a directory means all files below it (repeatable)", FpmValues.PackagePathText);
    public Option<bool> NoDefaultConfigFiles { get; } = Flag("--deb-no-default-config-files", null, "Do not mark every file under /etc as a conffile");
    public Option<string?> BeforeInstall { get; } = Text("--before-install", null, "preinst script file");
    public Option<string?> AfterInstall { get; } = Text("--after-install", null, "postinst script file");
    public Option<string?> BeforeRemove { get; } = Text("--before-remove", null, "prerm script file");
    public Option<string?> AfterRemove { get; } = Text("--after-remove", null, "postrm script file");
    public Option<string?> PreInstall { get; } = Text("--pre-install", null, "Older name of --before-install");
    public Option<string?> PostInstall { get; } = Text("--post-install", null, "Older name of --after-install");
    public Option<string?> PreUninstall { get; } = Text("--pre-uninstall", null, "Older name of --before-remove");
    public Option<string?> PostUninstall { get; } = Text("--post-uninstall", null, "Older name of --after-remove");
    public Option<CompressionFormat?> Compression { get; } = OptionParsing.Single<CompressionFormat?>("--deb-compression", null, "gz (default), xz, zst or none", t => OptionParsing.Compression("--deb-compression")(t));
    public Option<string?> CompressionLevel { get; } = Text("--deb-compression-level", null, "Compression level");
    public Option<string?> User { get; } = OptionParsing.Single("--deb-user", null, "Owner of every file (default root)", t => FpmValues.Owner(t, "user name"));
    public Option<string?> Group { get; } = OptionParsing.Single("--deb-group", null, "Group of every file (default root)", t => FpmValues.Owner(t, "group name"));
    public Option<string?> Chdir { get; } = Text("--chdir", "-C", "Resolve input paths from this directory");
    public Option<string?> Package { get; } = Text("--package", "-p", "Output file or directory; NAME, VERSION, ARCH... are replaced");
    public Option<bool> Force { get; } = Flag("--force", "-f", "Replace an existing output file");
    public Option<string?> Prefix { get; } = OptionParsing.Single("--prefix", null, "Install inputs below this path", FpmValues.PackagePathText);
    public Option<string[]> Excludes { get; } = OptionParsing.Repeated("--exclude", "-x", "Leave out paths matching this glob (repeatable)", t => new FpmGlob(t).Pattern);
    public Option<bool> NoDepends { get; } = Flag("--no-depends", null, "Drop every dependency");
    public Option<KeyValuePair<string, string>[]> Fields { get; } = OptionParsing.Repeated("--deb-field", null, "An extra control field, 'Name: value' (repeatable)", FpmValues.Field);
    public Option<string?> Changelog { get; } = Text("--deb-changelog", null, "Changelog file to ship instead of a generated one");
    public Option<string?> Log { get; } = Text("--log", null, "Accepted for fpm compatibility; consul-pkg prints only errors and the result");
    public Option<bool> Debug { get; } = Flag("--debug", null, "Accepted for fpm compatibility; use --verbose for stack traces");
    public Option<string?> Workdir { get; } = Text("--workdir", null, "Accepted for fpm compatibility; consul-pkg stages nothing on disk");
    public Option<bool> NoAutoDepends { get; } = Flag("--no-auto-depends", null, "Accepted for fpm compatibility; dir inputs have no automatic dependencies");
    public Option<bool> NoDocs { get; } = Flag("--deb-no-docs", null, "Do not generate usr/share/doc/NAME/copyright and changelog");
    public Option<string?> SigningKey { get; } = Text("--deb-signing-key", null, "Sign the package with this OpenPGP secret key, as debsigs does (an addition to fpm)");
    public Option<string?> PassphraseFile { get; } = Text("--passphrase-file", null, SigningKeyFiles.PassphraseDescription);
    public Option<DateTimeOffset?> SourceDateEpoch { get; } = BuildTimestamp.CreateOption();
    public Option<DateTimeOffset?> SourceDateEpochDefault { get; } = BuildTimestamp.CreateOption("--source-date-epoch-default", "Timestamp to use when SOURCE_DATE_EPOCH is unset (fpm's flag)");

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

    /// <summary>
    /// What only the values together can say, checked with the command line: the input and
    /// output types are required, a compression level must suit the compression, and the
    /// version with its iteration and epoch must be a Debian version.
    /// </summary>
    public void Validate(CommandResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.GetResult(InputType) is null)
        {
            r.AddError("missing -s/--input-type: consul-pkg fpm builds from '-s dir', '-s tar', '-s empty' or '-s deb'");
        }

        if (r.GetResult(OutputType) is null)
        {
            r.AddError("missing -t/--output-type: consul-pkg fpm writes only '-t deb'");
        }

        if (TryGetList(r, SystemUsers, out FpmSystemUser[]? users)
            && users?.GroupBy(u => u.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Select(u => u.Home).Distinct().Count() > 1) is { } clash)
        {
            r.AddError($"--deb-sysuser {clash.Key} is given with two homes ({string.Join(", ", clash.Select(u => u.Home ?? "none"))}): give one");
        }

        // A value its own parser refused is reported already; nothing is checked with it.
        if (!TryGet(r, Compression, out CompressionFormat? compression) || !TryGet(r, InputType, out FpmInputKind? input)
            || !TryGet(r, Iteration, out string? iteration) || !TryGet(r, Epoch, out int? epoch))
        {
            return;
        }

        CompressionFormat format = compression ?? CompressionSettings.Default.Format;
        if (r.GetValue(CompressionLevel) is { } level && format != CompressionFormat.None)
        {
            Check(r, CompressionLevel, () => OptionParsing.CompressionLevel(format, r.GetResult(Compression)?.Tokens[^1].Value ?? "gz", CompressionLevel.Name, level));
        }

        // With -s deb and no -v the version is the package's, known only once it is read.
        if (r.GetResult(Version) is not null || input is not FpmInputKind.Deb)
        {
            Check(r, Version, () => FpmValues.Version(r.GetValue(Version) ?? FpmDefaults.Version, iteration, epoch, []));
        }
    }

    private static bool TryGetList<T>(CommandResult r, Option<T[]> option, out T[]? value) => TryGet<T[]>(r, option!, out value);

    private static bool TryGet<T>(CommandResult r, Option<T?> option, out T? value)
    {
        try
        {
            value = r.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static void Check(CommandResult r, Option option, Action check)
    {
        try
        {
            check();
        }
        catch (PackageException exception)
        {
            r.AddError(OptionParsing.NamingTheOption(MessageText.Flatten(exception.Message), option));
        }
    }

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
            Timestamp = BuildTimestamp.Resolve(r.GetValue(SourceDateEpoch), context, r.GetValue(SourceDateEpochDefault)),
            InputType = r.GetValue(InputType) ?? FpmInputKind.Directory,
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
            Compression = CompressionOf(r),
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

    /// <summary>--deb-compression and its level (checked by <see cref="Validate"/>); a level with "none" is ignored, as fpm does.</summary>
    private CompressionSettings CompressionOf(ParseResult r)
    {
        CompressionFormat format = r.GetValue(Compression) ?? CompressionSettings.Default.Format;
        return r.GetValue(CompressionLevel) is { } level && format != CompressionFormat.None
            ? OptionParsing.CompressionLevel(format, "", CompressionLevel.Name, level)
            : CompressionSettings.Create(format);
    }

    /// <summary>The text flags given; without -m/--maintainer, fpm's own fallback before <c>&lt;user@host&gt;</c>, from the environment, not the host.</summary>
    private Dictionary<ControlField, string> TextFieldValues(ParseResult r, CliContext context)
    {
        Dictionary<ControlField, string> values = TextFields.Where(p => r.GetValue(p.Value) is not null)
            .ToDictionary(p => p.Key.Field, p => r.GetValue(p.Value)!);
        string? name = context.GetEnvironmentVariable("DEBFULLNAME");
        string? email = context.GetEnvironmentVariable("DEBEMAIL");
        // -s deb takes the package's own Maintainer unless -m is given.
        if (r.GetValue(InputType) != FpmInputKind.Deb && !string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(email))
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
