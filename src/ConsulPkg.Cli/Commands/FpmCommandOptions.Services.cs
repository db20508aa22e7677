using System.CommandLine;
using System.CommandLine.Parsing;
using ConsulPkg.Fpm;
using ConsulPkg.Fpm.Scripts;
using ConsulPkg.Fpm.Services;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// fpm's service and upgrade-aware script flags (README "Services and maintainer scripts"):
/// the files they install and the lifecycle the generated maintainer scripts give them.
/// </summary>
internal sealed partial class FpmCommandOptions
{
    public Option<string?> BeforeUpgrade { get; } = Text("--before-upgrade", null, "Script run before an upgrade (preinst upgrade); --before-install then runs on fresh installs only");
    public Option<string?> AfterUpgrade { get; } = Text("--after-upgrade", null, "Script run after an upgrade (postinst configure OLD); --after-install then runs on fresh installs only");
    public Option<string?> AfterPurge { get; } = Text("--deb-after-purge", "--after-purge", "Script run on purge (postrm purge)");
    public Option<FpmServiceSource[]> Systemd { get; } = OptionParsing.Repeated("--deb-systemd", null, "A systemd unit to install and manage; NAME becomes NAME.service (repeatable)", FpmServiceSource.Systemd);
    public Option<string?> SystemdPath { get; } = OptionParsing.Single("--deb-systemd-path", null, "Directory of the units in the package (default lib/systemd/system)", FpmValues.PackagePathText);
    public Option<bool> SystemdEnable { get; } = Flag("--deb-systemd-enable", null, "Enable the units on install (default: off)");
    public Option<bool> NoSystemdEnable { get; } = Flag("--no-deb-systemd-enable", null, "Do not enable the units on install (the default)");
    public Option<bool> SystemdAutoStart { get; } = Flag("--deb-systemd-auto-start", null, "Start the units after install (default: off)");
    public Option<bool> NoSystemdAutoStart { get; } = Flag("--no-deb-systemd-auto-start", null, "Do not start the units after install (the default)");
    public Option<bool> SystemdRestartAfterUpgrade { get; } = Flag("--deb-systemd-restart-after-upgrade", null, "Restart running units after an upgrade (the default)");
    public Option<bool> NoSystemdRestartAfterUpgrade { get; } = Flag("--no-deb-systemd-restart-after-upgrade", null, "Leave running units alone on upgrade");
    public Option<FpmServiceSource[]> Init { get; } = OptionParsing.Repeated("--deb-init", null, "A SysV init script, installed as /etc/init.d/NAME (repeatable)", FpmServiceSource.Init);
    public Option<FpmServiceSource[]> Default { get; } = OptionParsing.Repeated("--deb-default", null, "A file installed as /etc/default/NAME (repeatable)", FpmServiceSource.Default);
    public Option<FpmServiceSource[]> Upstart { get; } = OptionParsing.Repeated("--deb-upstart", null, "An upstart job, installed as /etc/init/NAME.conf (repeatable)", FpmServiceSource.Upstart);
    public Option<FpmSystemUser[]> SystemUsers { get; } = OptionParsing.Repeated("--deb-sysuser", null, "NAME[:HOME]: a system user and group the package makes before its files are unpacked, HOME created only when given; never removed (repeatable; an extension, fpm 1.17 has no such flag)", FpmValues.SystemUser);
    public Option<bool> AutoConfigFiles { get; } = Flag("--deb-auto-config-files", null, "--deb-init/--deb-default/--deb-upstart files are conffiles (the default)");
    public Option<bool> NoAutoConfigFiles { get; } = Flag("--no-deb-auto-config-files", null, "--deb-init/--deb-default/--deb-upstart files are not conffiles by themselves");

    private IEnumerable<Option> Services =>
    [
        BeforeUpgrade, AfterUpgrade, AfterPurge, Systemd, SystemdPath, SystemdEnable, NoSystemdEnable, SystemdAutoStart,
        NoSystemdAutoStart, SystemdRestartAfterUpgrade, NoSystemdRestartAfterUpgrade, Init, Default, Upstart,
        AutoConfigFiles, NoAutoConfigFiles, SystemUsers,
    ];

    private FpmOptions WithServices(ParseResult r, FpmOptions options) => options with
    {
        SystemdUnits = r.GetValue(Systemd) ?? [],
        SystemdPath = r.GetValue(SystemdPath),
        SystemdEnable = Toggle(r, SystemdEnable, NoSystemdEnable, false),
        SystemdAutoStart = Toggle(r, SystemdAutoStart, NoSystemdAutoStart, false),
        SystemdRestartAfterUpgrade = Toggle(r, SystemdRestartAfterUpgrade, NoSystemdRestartAfterUpgrade, true),
        InitScripts = r.GetValue(Init) ?? [],
        DefaultFiles = r.GetValue(Default) ?? [],
        UpstartJobs = r.GetValue(Upstart) ?? [],
        AutoConfigFiles = Toggle(r, AutoConfigFiles, NoAutoConfigFiles, true),
        SystemUsers = [.. (r.GetValue(SystemUsers) ?? []).DistinctBy(u => u.Name, StringComparer.Ordinal)],
    };

    /// <summary>fpm's <c>--[no-]flag</c> pair: the one given last wins, as in fpm's option parser.</summary>
    private static bool Toggle(ParseResult r, Option<bool> on, Option<bool> off, bool defaultValue)
    {
        Token? last = r.Tokens.LastOrDefault(t => t.Type == TokenType.Option && (t.Value == on.Name || t.Value == off.Name));
        return last is null ? defaultValue : last.Value == on.Name;
    }
}
