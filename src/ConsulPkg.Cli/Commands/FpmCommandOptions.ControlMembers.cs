using System.CommandLine;
using ConsulPkg.Fpm;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// fpm's flags for control members beyond the control file and scripts (debconf, triggers,
/// shlibs, meta files), the upstream changelog, the .changes file, dependency ranges and the
/// options file (README "fpm flags").
/// </summary>
internal sealed partial class FpmCommandOptions
{
    public Option<string?> DebconfConfig { get; } = Text("--deb-config", null, "debconf config script, shipped as the 'config' control member (0755)");
    public Option<string?> DebconfTemplates { get; } = Text("--deb-templates", null, "debconf templates file, shipped as the 'templates' control member");
    public Option<string[]> Interest { get; } = Trigger("--deb-interest", "A trigger this package is interested in (repeatable)");
    public Option<string[]> Activate { get; } = Trigger("--deb-activate", "A trigger this package activates (repeatable)");
    public Option<string[]> InterestNoAwait { get; } = Trigger("--deb-interest-noawait", "A trigger this package is interested in, without awaiting (repeatable)");
    public Option<string[]> ActivateNoAwait { get; } = Trigger("--deb-activate-noawait", "A trigger this package activates, without awaiting (repeatable)");
    public Option<string[]> MetaFiles { get; } = List("--deb-meta-file", null, "A file added to the control member under its own name (repeatable)");
    public Option<string?> Shlibs { get; } = Text("--deb-shlibs", null, "Content of the 'shlibs' control member; also activates the ldconfig trigger");
    public Option<string?> UpstreamChangelog { get; } = Text("--deb-upstream-changelog", null, "Upstream changelog, shipped as usr/share/doc/NAME/changelog.gz");
    public Option<bool> GenerateChanges { get; } = Flag("--deb-generate-changes", null, "Also write NAME_VERSION_ARCH.changes next to the package");
    public Option<bool> NoGenerateChanges { get; } = Flag("--no-deb-generate-changes", null, "Write no .changes file (the default)");
    public Option<bool> IgnoreIteration { get; } = Flag("--deb-ignore-iteration-in-dependencies", null, "Turn 'foo (= 1.2)' dependencies into 'foo (>= 1.2), foo (<< 1.3)'");
    public Option<bool> NoIgnoreIteration { get; } = Flag("--no-deb-ignore-iteration-in-dependencies", null, "Keep '=' dependencies exact (the default)");
    public Option<bool> ForceErrorChecks { get; } = Flag("--deb-maintainerscripts-force-errorchecks", null, "Accepted for fpm compatibility; generated scripts always run with 'set -e'");
    public Option<bool> NoForceErrorChecks { get; } = Flag("--no-deb-maintainerscripts-force-errorchecks", null, "Accepted for fpm compatibility; generated scripts always run with 'set -e'");

    /// <summary>For --help only: <see cref="FpmOptionsFile"/> expands it into the command line before parsing.</summary>
    public Option<string?> OptionsFile { get; } = Text(FpmOptionsFile.Flag, null, "A file of further flags, read as if given at this place (fpm's format: shell words, flags only)");

    private IEnumerable<Option> ControlMemberOptions =>
    [
        DebconfConfig, DebconfTemplates, Interest, Activate, InterestNoAwait, ActivateNoAwait, MetaFiles, Shlibs,
        UpstreamChangelog, GenerateChanges, NoGenerateChanges, IgnoreIteration, NoIgnoreIteration, ForceErrorChecks,
        NoForceErrorChecks, OptionsFile,
    ];

    private FpmOptions WithControlMembers(ParseResult r, FpmOptions options) => options with
    {
        DebconfConfig = r.GetValue(DebconfConfig),
        DebconfTemplates = r.GetValue(DebconfTemplates),
        Triggers = new FpmTriggers
        {
            Interest = r.GetValue(Interest) ?? [],
            Activate = r.GetValue(Activate) ?? [],
            InterestNoAwait = r.GetValue(InterestNoAwait) ?? [],
            ActivateNoAwait = r.GetValue(ActivateNoAwait) ?? [],
        },
        MetaFiles = r.GetValue(MetaFiles) ?? [],
        Shlibs = r.GetValue(Shlibs),
        UpstreamChangelogPath = r.GetValue(UpstreamChangelog),
        GenerateChanges = Toggle(r, GenerateChanges, NoGenerateChanges, false),
        IgnoreIterationInDependencies = Toggle(r, IgnoreIteration, NoIgnoreIteration, false),
    };

    /// <summary>A trigger flag; a name dpkg would refuse is a usage error, before any work.</summary>
    private static Option<string[]> Trigger(string name, string description)
    {
        Option<string[]> option = List(name, null, description);
        option.Validators.Add(result =>
        {
            foreach (string value in result.Tokens.Select(t => t.Value))
            {
                try
                {
                    FpmTriggers.CheckName(value, name["--deb-".Length..]);
                }
                catch (Debian.PackageException exception)
                {
                    result.AddError(exception.Message);
                    return;
                }
            }
        });
        return option;
    }
}
