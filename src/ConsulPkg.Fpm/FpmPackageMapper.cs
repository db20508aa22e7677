using System.Globalization;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;
using ConsulPkg.Fpm.Scripts;
using ConsulPkg.Fpm.Services;
using ConsulPkg.Fpm.Staging;

namespace ConsulPkg.Fpm;

/// <summary>
/// Maps fpm's <c>-t deb</c> options (typed, see <see cref="FpmOptions"/>) onto a
/// <see cref="DebPackageSpec"/>, from whichever input <c>Staging/</c> reads (<c>-s dir</c>, <c>tar</c>,
/// <c>empty</c>, <c>deb</c>), following fpm's own rules (lib/fpm/command.rb, lib/fpm/package/deb.rb)
/// except where fpm's behaviour is a defect:
/// <list type="bullet">
/// <item>Maintainer script files given with <c>--before-install</c> and friends are left out of
/// the data when they are only found by walking an input directory. fpm packages them too, so the
/// seed's <c>--pre-install ./pre-install ... .</c> installs <c>/pre-install</c> on the target.
/// Naming the file itself as an input (<c>pre-install</c> or <c>pre-install=/usr/share/x</c>)
/// still packages it.</item>
/// <item>The output file is never packaged into itself (fpm, run twice in ".", packages the
/// previous .deb).</item>
/// <item>A one-line description gets an extended description (lintian requires one).</item>
/// <item>Every entry gets the build's one timestamp (SOURCE_DATE_EPOCH) instead of its mtime on
/// disk, so a fresh checkout builds the same bytes.</item>
/// <item>No value comes from the build host except the architecture: the maintainer default is
/// <see cref="FpmDefaults.Maintainer"/>, Vendor, Homepage and Section are left out unless given
/// (fpm writes <c>$USER@host</c>, an example.com URL and "none").</item>
/// </list>
/// </summary>
public static partial class FpmPackageMapper
{
    public static FpmBuild Map(FpmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FpmInputKind input = options.InputType;
        var warnings = new List<string>();
        options = WithListFiles(options, input);
        DebInput? deb = input == FpmInputKind.Deb
            ? DebInput.Read(options.Inputs, options.WorkingDirectory, StagingOptions.For(options, "/"),
                keepOwners: options.UseFilePermissions || (options.User is null && options.Group is null))
            : null;
        options = deb?.Under(options) ?? options;

        ControlFile control = options.CustomControlPath is { } custom
            ? FpmCustomControl.Read(custom, options.WorkingDirectory)
            : MapControl(options, warnings);
        if (options.InstalledSize is { } installedSize)
        {
            control = control with { InstalledSize = installedSize };
        }

        if (options.BuildDepends.Count > 0)
        {
            warnings.Add("--deb-build-depends left out: a binary package has no build dependencies (fpm writes a Build-Depends field dpkg ignores)");
        }

        if (options.CustomControlPath is null)
        {
            control = WithDebconfDependency(control, options);
        }

        control = WithAdduserPreDependency(control, options);

        string outputPath = FpmOutputPath.Resolve(options.Package, control, options.WorkingDirectory);
        DebPackageWriter.CheckOutput(outputPath, options.Force); // before any work, as fpm does for an existing file
        string? changesPath = options.GenerateChanges ? FpmChangesFile.PathFor(outputPath) : null;
        if (changesPath is not null)
        {
            DebPackageWriter.CheckOutput(changesPath, options.Force);
        }

        Dictionary<FpmScript, ReadOnlyMemory<byte>> userScripts = ReadScripts(options, control, out HashSet<string> scriptPaths);
        foreach ((FpmScript script, ReadOnlyMemory<byte> bytes) in deb?.Scripts ?? new Dictionary<FpmScript, ReadOnlyMemory<byte>>())
        {
            // The package's own scripts, unless a flag gives that one (fpm: the flag wins).
            userScripts.TryAdd(script, bytes);
        }

        ServiceFiles.Result services = ServiceFiles.Map(options);
        IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> scripts = MaintainerScripts(options, control.Package, userScripts, services.Actions);
        IReadOnlyList<PackageEntry> collected = input switch
        {
            FpmInputKind.Tarball => [.. TarballInput.Collect(options), .. services.Files.Select(f => f.Entry)],
            FpmInputKind.Empty => [.. services.Files.Select(f => f.Entry)],
            FpmInputKind.Deb => [.. deb!.Entries, .. services.Files.Select(f => f.Entry)],
            _ => DirectoryInput.Collect(options, source => scriptPaths.Contains(source) || source == outputPath, services.Files),
        };
        WarnAboutDirectories(options.Directories, collected, warnings);
        (IReadOnlyList<PackageEntry> entries, IReadOnlyList<string> configFiles) = FpmConfigFiles.Resolve(options, collected, warnings);
        IReadOnlyList<string> confFiles = [.. configFiles
            .Union(services.ConfFiles, StringComparer.Ordinal)
            .Union(deb?.KeptConfFiles(entries) ?? [], StringComparer.Ordinal)];

        var spec = new DebPackageSpec
        {
            Control = control,
            Entries = entries,
            Scripts = scripts,
            ExtraControlMembers = FpmControlMembers.Map(options, deb?.Members ?? []),
            ConfFiles = confFiles,
            EtcFilesAreConfFiles = !options.NoDefaultConfigFiles,
            Compression = options.Compression,
            Timestamp = options.Timestamp,
            Documentation = MapDocumentation(options),
        };
        return new FpmBuild
        {
            Spec = spec,
            OutputPath = outputPath,
            Overwrite = options.Force,
            Warnings = warnings,
            ChangesPath = changesPath,
            Distribution = options.Distribution ?? "unstable",
        };
    }

    /// <summary>
    /// fpm's <c>-e/--edit</c>: <paramref name="edit"/> gets the control file's text and returns
    /// the edited text, which then is the package's control file, read as with --deb-custom-control.
    /// </summary>
    public static FpmBuild EditControl(FpmBuild build, Func<string, string> edit)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(edit);
        string edited = edit(build.Spec.Control.Render());
        if (edited.Trim().Length == 0)
        {
            throw new PackageException("the control file is empty after --edit: nothing was built");
        }

        ControlFile control = FpmCustomControl.Parse(System.Text.Encoding.UTF8.GetBytes(edited), "the control file edited with --edit");
        return build with { Spec = build.Spec with { Control = control } };
    }

    /// <summary>
    /// <c>--inputs</c> and <c>--exclude-file</c> read into the lists they extend, and the defaults
    /// fpm's input types set: a tarball names the package after itself ("app-1.0.tar.gz" is "app"),
    /// an empty package is for all architectures.
    /// </summary>
    private static FpmOptions WithListFiles(FpmOptions options, FpmInputKind input)
    {
        options = options with
        {
            Inputs = [.. options.Inputs, .. FpmListFile.Read(options.InputsFile, "--inputs", options.WorkingDirectory)],
            Excludes = [.. options.Excludes, .. FpmListFile.Read(options.ExcludeFile, "--exclude-file", options.WorkingDirectory)],
        };
        return input switch
        {
            FpmInputKind.Tarball when options.Name is null && options.Inputs.Count > 0 =>
                options with { Name = Path.GetFileName(options.Inputs[0]).Split('.')[0] },
            FpmInputKind.Empty when options.Architecture is null => options with { Architecture = "all" },
            _ => options,
        };
    }

    /// <summary>
    /// fpm's <c>--directories</c> marks directories as owned for rpm and does nothing for a deb,
    /// which owns every directory it ships; so here too. Naming one the package does not ship, or
    /// one the base system keeps unowned (never listed), is most likely a mistake, and gets a
    /// warning (the package will not own it).
    /// </summary>
    private static void WarnAboutDirectories(IReadOnlyList<string> directories, IReadOnlyList<PackageEntry> entries, List<string> warnings)
    {
        foreach (string given in directories)
        {
            string path = PackagePath.Normalize(given);
            if (SiteDirectories.Contains(PackagePath.ParseFromRoot(path)))
            {
                warnings.Add($"--directories {given} has no effect on a .deb (fpm uses it for rpm only), and {path} is a directory every Debian system has and no package owns: the package never lists it (purging an owner would remove it)");
                continue;
            }

            if (!entries.Any(e => e.Path == path && e.Kind == EntryKind.Directory)
                && !entries.Any(e => e.Path.StartsWith(path + "/", StringComparison.Ordinal)))
            {
                warnings.Add($"--directories {given} has no effect on a .deb (fpm uses it for rpm only): {path} is not in the package data, so the package will not own it");
            }
        }
    }

    /// <summary>The control file alone (validated), e.g. to name the output before collecting files.</summary>
    public static ControlFile MapControl(FpmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return MapControl(options, []);
    }

    private static ControlFile MapControl(FpmOptions options, ICollection<string> warnings)
    {
        if (string.IsNullOrEmpty(options.Name))
        {
            throw new PackageException("missing -n/--name: give the package name, e.g. --name consul");
        }

        string name = FpmNames.PackageName(options.Name, warnings);
        DebianVersion version = FpmValues.Version(options.Version, options.Iteration, options.Epoch, warnings);
        var control = new ControlFile
        {
            Package = name,
            Version = version,
            Architecture = DebianArchitecture.Resolve(options.Architecture, options.HostArchitecture),
            ExtraFields = options.Fields,
        };
        foreach (FpmTextFlag flag in FpmControlFlags.Texts)
        {
            control = control.WithText(flag.Field, flag.Resolve(options.TextFields.GetValueOrDefault(flag.Field)));
        }

        foreach (FpmRelationFlag flag in FpmControlFlags.Relations)
        {
            IReadOnlyList<string> given = options.NoDepends && flag.Field == ControlField.Depends
                ? []
                : options.Relations.GetValueOrDefault(flag.Field) ?? [];
            List<string> relations = given
                .Select(r => FpmNames.RelationName(flag.FixOperators ? FixRelation(r) : r.Trim(), flag.Name, warnings))
                .ToList();
            // fpm widens "=" to the version's range in every relation field; only the fields that
            // need all their entries (dependencies) get it here: "Conflicts: foo (>= 1.0), foo (<< 1.1)"
            // would conflict with every version of foo.
            control = control.WithRelations(flag.Field, options.IgnoreIterationInDependencies && flag.IsDependency
                ? relations.SelectMany(FpmRelations.WithoutIteration).ToList()
                : relations);
        }

        control = control with
        {
            Description = WithExtendedDescription(options.Description ?? FpmDefaults.Description, name, FpmNames.Version(options.Version, []), control.Homepage),
        };
        control.Validate();
        return control;
    }

    /// <summary>
    /// A one-line description gets an extended description, which lintian requires
    /// (extended-description-is-empty, an error fpm's packages have): the homepage when given,
    /// else the name and version. A multi-line description is the user's and stays as given.
    /// </summary>
    internal static string WithExtendedDescription(string description, string name, string version, string? url)
    {
        if (description.TrimEnd('\n').Contains('\n', StringComparison.Ordinal))
        {
            return description;
        }

        string extended = url is null
            ? $"This package installs {name} version {version}."
            : $"This package installs {name} version {version}; see {url} for more.";
        return description.TrimEnd('\n') + "\n" + extended;
    }

    private static DocumentationOptions MapDocumentation(FpmOptions options)
    {
        if (options.UpstreamChangelogPath is { } upstream)
        {
            if (!options.GenerateDocumentation)
            {
                throw new PackageException("--deb-upstream-changelog and --deb-no-docs contradict each other: drop one");
            }

            return MapDocumentation(options with { UpstreamChangelogPath = null }) with
            {
                UpstreamChangelog = FpmHostFile.ReadBytes(upstream, "--deb-upstream-changelog", options.WorkingDirectory),
            };
        }

        if (options.ChangelogPath is null)
        {
            return options.GenerateDocumentation
                ? DocumentationOptions.Default with { Distribution = options.Distribution ?? "unstable" }
                : DocumentationOptions.None;
        }

        if (!options.GenerateDocumentation)
        {
            throw new PackageException("--deb-changelog and --deb-no-docs contradict each other: drop one");
        }

        byte[] changelog = FpmHostFile.ReadBytes(options.ChangelogPath, "--deb-changelog", options.WorkingDirectory);
        return DocumentationOptions.Default with { ChangelogText = System.Text.Encoding.UTF8.GetString(changelog) };
    }

    /// <summary>
    /// A package with debconf templates or a config script depends on debconf, as
    /// dh_installdebconf's ${misc:Depends} makes it (lintian: missing-debconf-dependency); fpm
    /// adds nothing. Left out with --no-depends, and when a Depends entry names debconf already.
    /// </summary>
    private static ControlFile WithDebconfDependency(ControlFile control, FpmOptions options)
    {
        bool usesDebconf = options.DebconfConfig is not null || options.DebconfTemplates is not null
            || options.MetaFiles.Any(f => Path.GetFileName(f) is "config" or "templates");
        if (!usesDebconf || options.NoDepends
            || control.Depends.Any(d => d.Split('|').Any(a => a.Trim().Split(' ')[0] is "debconf" or "debconf-2.0")))
        {
            return control;
        }

        return control with { Depends = [.. control.Depends, Debconf.Dependency] };
    }

    /// <summary>
    /// <c>--deb-sysuser</c>'s preinst runs adduser before the package is unpacked, which only a
    /// Pre-Depends guarantees (a Depends may be configured after this package's preinst).
    /// </summary>
    private static ControlFile WithAdduserPreDependency(ControlFile control, FpmOptions options) =>
        options.SystemUsers.Count == 0 || control.PreDepends.Any(d => d.Split('|').Any(a => a.Trim().Split(' ')[0] == "adduser"))
            ? control
            : control with { PreDepends = [.. control.PreDepends, "adduser"] };

    /// <summary>fpm's fix_dependency: "foo >= 1.0" becomes "foo (>= 1.0)", "&gt;"/"&lt;" become "&gt;&gt;"/"&lt;&lt;".</summary>
    public static string FixRelation(string relation)
    {
        ArgumentNullException.ThrowIfNull(relation);
        Match match = BareRelation().Match(relation.Trim());
        if (!match.Success)
        {
            return relation.Trim();
        }

        string op = match.Groups["op"].Value switch
        {
            ">" => ">>",
            "<" => "<<",
            "==" => "=",
            string other => other,
        };
        return $"{match.Groups["name"].Value} ({op} {match.Groups["version"].Value})";
    }

    private static Dictionary<FpmScript, ReadOnlyMemory<byte>> ReadScripts(FpmOptions options, ControlFile control, out HashSet<string> paths)
    {
        var scripts = new Dictionary<FpmScript, ReadOnlyMemory<byte>>();
        paths = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string>? templateValues = TemplateValues(options, control);
        foreach ((FpmScript script, string given) in options.Scripts)
        {
            string path = Path.GetFullPath(given, options.WorkingDirectory);
            try
            {
                scripts[script] = File.ReadAllBytes(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new PackageException($"cannot read the {script.Flag()} script '{path}': {IoErrorText.Reason(exception)}", exception);
            }

            if (templateValues is not null)
            {
                scripts[script] = FpmScriptTemplate.Render(scripts[script].Span, templateValues, script.Flag(), path);
            }

            paths.Add(path);
        }

        return scripts;
    }

    /// <summary>
    /// What fpm's script templates can name: the package's attributes as fpm's deb package
    /// exposes them (empty when unset), then every <c>--template-value</c>, which wins as fpm
    /// defines it as a method on the package. Null when templating is off.
    /// </summary>
    internal static IReadOnlyDictionary<string, string>? TemplateValues(FpmOptions options, ControlFile control)
    {
        if (!options.TemplateScripts && options.TemplateValues.Count == 0)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = control.Package,
            ["version"] = control.Version.Upstream,
            ["iteration"] = control.Version.Revision ?? "",
            ["epoch"] = control.Version.Epoch > 0 ? control.Version.Epoch.ToString(CultureInfo.InvariantCulture) : "",
            ["architecture"] = control.Architecture,
            ["maintainer"] = control.Maintainer ?? "",
            ["vendor"] = control.Vendor ?? "",
            ["url"] = control.Homepage ?? "",
            ["license"] = control.License ?? "",
            ["description"] = options.Description ?? control.Description ?? "",
            ["category"] = control.Section ?? "",
            ["prefix"] = options.Prefix ?? "/",
        };
        foreach ((string key, string value) in options.TemplateValues)
        {
            values[key] = value;
        }

        return values;
    }

    /// <summary>
    /// The user's scripts as the maintainer scripts themselves (fpm's plain mode), or generated
    /// scripts that embed them when an upgrade or purge script or a service asks for more.
    /// </summary>
    private static IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> MaintainerScripts(
        FpmOptions options, string packageName, Dictionary<FpmScript, ReadOnlyMemory<byte>> user, ServiceActions services)
    {
        if (MaintainerScriptGenerator.IsNeeded(user, services))
        {
            // Embedded scripts run through their own #! line, or /bin/sh without one (fpm pastes them into sh).
            return MaintainerScriptGenerator.Generate(packageName, user, services);
        }

        var scripts = new Dictionary<MaintainerScript, ReadOnlyMemory<byte>>();
        foreach ((FpmScript script, ReadOnlyMemory<byte> bytes) in user)
        {
            if (bytes.Length < 2 || bytes.Span[0] != (byte)'#' || bytes.Span[1] != (byte)'!')
            {
                string source = options.Scripts.TryGetValue(script, out string? given)
                    ? $"'{Path.GetFullPath(given, options.WorkingDirectory)}'"
                    : "of the -s deb input";
                throw new PackageException(
                    $"the {script.Flag()} script {source} does not start with '#!': add an interpreter line such as '#!/bin/sh'");
            }

            scripts[script.Target()] = bytes;
        }

        return scripts;
    }

    [GeneratedRegex(@"^(?<name>[^\s(),|]+)\s+(?<op><<|<=|>=|>>|==|=|<|>)\s*(?<version>[^\s(),|]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex BareRelation();
}
