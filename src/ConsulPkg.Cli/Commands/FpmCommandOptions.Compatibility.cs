using System.CommandLine;
using ConsulPkg.Debian;
using ConsulPkg.Fpm;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// The rest of fpm 1.17's flags for <c>-t deb</c>, kept apart from the core ones: those with a
/// meaning here, and those accepted without effect (fpm's own no-ops, and every other package
/// type's flags, which shared argument lists carry along).
/// README "fpm flags" is the table of all of them.
/// </summary>
internal sealed partial class FpmCommandOptions
{
    public Option<bool> TemplateScripts { get; } = Flag("--template-scripts", null, "Render maintainer scripts as fpm's ERB templates (<%= name %> ...)");
    public Option<KeyValuePair<string, string>[]> TemplateValues { get; } = OptionParsing.Repeated("--template-value", null, "KEY=VALUE for <%= KEY %> in script templates; implies --template-scripts (repeatable)", FpmValues.TemplateValue);
    public Option<bool> UseFilePermissions { get; } = Flag("--deb-use-file-permissions", null, "Keep each file's owner and group from disk");
    public Option<bool> NoUseFilePermissions { get; } = Flag("--no-deb-use-file-permissions", null, "Owner and group from --deb-user/--deb-group (the default)");
    public Option<string?> CustomControl { get; } = Text("--deb-custom-control", null, "Use this control file instead of one made from the flags");
    public Option<string?> Dist { get; } = Text("--deb-dist", null, "Distribution of the generated changelog entry (default unstable)");
    public Option<string[]> BuildDepends { get; } = List("--deb-build-depends", null, "Accepted for fpm compatibility; a binary package has no Build-Depends (repeatable)");
    public Option<string[]> Directories { get; } = OptionParsing.Repeated("--directories", null, "A directory the package owns; must be in the data (repeatable)", FpmValues.PackagePathText);
    public Option<string?> InputsFile { get; } = Text("--inputs", null, "File with one input path per line");
    public Option<string?> ExcludeFile { get; } = Text("--exclude-file", null, "File with one exclude pattern per line");
    public Option<long?> InstalledSize { get; } = OptionParsing.Single<long?>("--deb-installed-size", null, "Installed-Size in KiB instead of the computed one", t => FpmValues.InstalledSize(t));
    public Option<bool> Edit { get; } = Flag("--edit", "-e", "Edit the control file with $FPM_EDITOR (else $EDITOR, else vi) before building");
    public Option<bool> DefaultConfigFiles { get; } = Flag("--no-deb-no-default-config-files", null, "Mark every file under /etc as a conffile (the default)");

    /// <summary>fpm flags that change nothing in a .deb built here; each is named in the README with the reason.</summary>
    private readonly List<Option> _noEffect = [];

    /// <summary>Every other package type's flags, as fpm 1.17 defines them ("=" takes a value, "[no-]" has a negated form).</summary>
    private static readonly string[] OtherTypeFlags =
    [
        "--[no-]cpan-cpanm-force", "--[no-]cpan-mirror-only", "--[no-]cpan-sandbox-non-core", "--[no-]cpan-test",
        "--[no-]cpan-verbose", "--[no-]gem-embed-dependencies", "--[no-]gem-env-shebang",
        "--[no-]gem-fix-dependencies", "--[no-]gem-fix-name", "--[no-]gem-prerelease", "--[no-]gem-version-bins",
        "--[no-]osxpkg-payload-free", "--[no-]p5p-lint", "--[no-]p5p-validate", "--[no-]pacman-use-file-permissions",
        "--[no-]pear-channel-update", "--[no-]python-dependencies", "--[no-]python-downcase-dependencies",
        "--[no-]python-downcase-name", "--[no-]python-fix-dependencies", "--[no-]python-fix-name",
        "--[no-]python-internal-pip", "--[no-]python-obey-requirements-txt", "--[no-]rpm-auto-add-directories",
        "--[no-]rpm-autoprov", "--[no-]rpm-autoreq", "--[no-]rpm-autoreqprov",
        "--[no-]rpm-ignore-iteration-in-dependencies", "--[no-]rpm-macro-expansion",
        "--[no-]rpm-old-perl-dependency-name", "--[no-]rpm-sign", "--[no-]rpm-use-file-permissions",
        "--[no-]rpm-verbatim-gem-dependencies", "--[no-]virtualenv-fix-name", "--[no-]virtualenv-setup-install",
        "--[no-]virtualenv-system-site-packages", "--cpan-cpanm-bin=", "--cpan-disable-dependency=",
        "--cpan-metacpan-api-url=", "--cpan-mirror=", "--cpan-package-name-prefix=", "--cpan-perl-bin=",
        "--cpan-perl-lib-path=", "--freebsd-origin=", "--freebsd-osversion=", "--gem-bin-path=",
        "--gem-disable-dependency=", "--gem-gem=", "--gem-git-branch=", "--gem-git-repo=",
        "--gem-package-name-prefix=", "--gem-package-prefix=", "--gem-shebang=", "--gem-stagingdir=", "--npm-bin=",
        "--npm-package-name-prefix=", "--npm-registry=", "--osxpkg-dont-obsolete=", "--osxpkg-identifier-prefix=",
        "--osxpkg-ownership=", "--osxpkg-postinstall-action=", "--p5p-group=", "--p5p-publisher=", "--p5p-user=",
        "--p5p-zonetype=", "--pacman-compression=", "--pacman-group=", "--pacman-optional-depends=",
        "--pacman-user=", "--pear-bin-dir=", "--pear-channel=", "--pear-data-dir=", "--pear-package-name-prefix=",
        "--pear-php-bin=", "--pear-php-dir=", "--pleaserun-chdir=", "--pleaserun-name=", "--pleaserun-user=",
        "--python-bin=", "--python-disable-dependency=", "--python-easyinstall=", "--python-install-bin=",
        "--python-install-data=", "--python-install-lib=", "--python-package-name-prefix=",
        "--python-package-prefix=", "--python-pip=", "--python-pypi=", "--python-scripts-executable=",
        "--python-setup-py-arguments=", "--python-trusted-host=", "--rpm-attr=",
        "--rpm-auto-add-exclude-directories=", "--rpm-changelog=", "--rpm-compression=", "--rpm-compression-level=",
        "--rpm-defattrdir=", "--rpm-defattrfile=", "--rpm-digest=", "--rpm-dist=", "--rpm-filter-from-provides=",
        "--rpm-filter-from-requires=", "--rpm-group=", "--rpm-init=", "--rpm-os=", "--rpm-posttrans=",
        "--rpm-pretrans=", "--rpm-rpmbuild-define=", "--rpm-summary=", "--rpm-tag=", "--rpm-trigger-after-install=",
        "--rpm-trigger-after-target-uninstall=", "--rpm-trigger-before-install=", "--rpm-trigger-before-uninstall=",
        "--rpm-user=", "--rpm-verifyscript=", "--snap-confinement=", "--snap-grade=", "--snap-yaml=",
        "--solaris-group=", "--solaris-user=", "--virtualenv-find-links=", "--virtualenv-install-location=",
        "--virtualenv-other-files-dir=", "--virtualenv-package-name-prefix=", "--virtualenv-pypi=",
        "--virtualenv-pypi-extra-url="
    ];

    private IEnumerable<Option> Compatibility =>
    [
        TemplateScripts, TemplateValues, UseFilePermissions, NoUseFilePermissions, CustomControl, Dist, BuildDepends,
        Directories, InputsFile, ExcludeFile, InstalledSize, Edit, DefaultConfigFiles, .. _noEffect,
    ];

    private void AddCompatibilityFlags()
    {
        NoEffect(Flag("--debug-workspace", null, "Accepted for fpm compatibility; consul-pkg keeps no workspace"));
        NoEffect(Text("--package-name-suffix", "-S", "Accepted for fpm compatibility; fpm 1.17 does not use it for deb"));
        NoEffect(Flag("--source-date-epoch-from-changelog", null, "Accepted for fpm compatibility; fpm uses it only for -s gem"));
        foreach (string spec in OtherTypeFlags)
        {
            string name = spec.TrimEnd('=');
            if (spec.EndsWith('='))
            {
                NoEffect(List(name, null, "Another package type's flag; no effect on -t deb"), hidden: true);
            }
            else if (name.StartsWith("--[no-]", StringComparison.Ordinal))
            {
                NoEffect(Flag("--" + name[7..], null, "Another package type's flag; no effect on -t deb"), hidden: true);
                NoEffect(Flag("--no-" + name[7..], null, "Another package type's flag; no effect on -t deb"), hidden: true);
            }
            else
            {
                NoEffect(Flag(name, null, "Another package type's flag; no effect on -t deb"), hidden: true);
            }
        }
    }

    private void NoEffect(Option option, bool hidden = false)
    {
        option.Hidden = hidden;
        _noEffect.Add(option);
    }

    /// <summary>The compatibility flags' part of <see cref="FpmOptions"/>.</summary>
    private FpmOptions WithCompatibility(ParseResult r, FpmOptions options) => options with
    {
        TemplateScripts = r.GetValue(TemplateScripts),
        TemplateValues = r.GetValue(TemplateValues) ?? [],
        UseFilePermissions = r.GetValue(UseFilePermissions) && !r.GetValue(NoUseFilePermissions),
        CustomControlPath = r.GetValue(CustomControl),
        Distribution = r.GetValue(Dist),
        BuildDepends = r.GetValue(BuildDepends) ?? [],
        Directories = r.GetValue(Directories) ?? [],
        InputsFile = r.GetValue(InputsFile),
        ExcludeFile = r.GetValue(ExcludeFile),
        InstalledSize = r.GetValue(InstalledSize),
        NoDefaultConfigFiles = options.NoDefaultConfigFiles && !r.GetValue(DefaultConfigFiles),
    };
}
