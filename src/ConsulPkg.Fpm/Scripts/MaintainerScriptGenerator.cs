using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Scripts;

namespace ConsulPkg.Fpm.Scripts;

/// <summary>
/// Writes the maintainer scripts for fpm's upgrade-aware and service flags. Where fpm pastes the
/// package's own scripts into shell functions of one script (so a user script's <c>exit 0</c>
/// ends the whole postinst before <c>systemctl enable</c>), each is embedded here as a quoted
/// here-document, written to a temporary file and run by its own interpreter in its own process:
/// its <c>exit</c> ends only itself and its failure fails the maintainer script. The service part
/// is assembled from the shared snippets (<see cref="ScriptSnippets"/>) as <c>dh_installsystemd</c>
/// and <c>dh_installinit</c> assemble theirs (deb-systemd-helper, deb-systemd-invoke, update-rc.d,
/// invoke-rc.d), so it works without a running systemd. Every argument dpkg passes is handled; an
/// unknown one fails.
/// <para>When a user script runs (fpm's points, see the README): an "install" script runs on
/// every call of its maintainer script with dpkg's arguments, unless the matching upgrade script
/// is given; then it runs on a fresh install only and the upgrade script gets the old version as
/// its one argument, as in fpm. Given either upgrade script, the remove scripts run only on
/// remove (and abort-install), and <c>--deb-after-purge</c> always runs only on purge.</para>
/// </summary>
public static partial class MaintainerScriptGenerator
{
    private const string Fresh = "if [ -z \"$2\" ]; then";
    private const string Upgrade = "if [ -n \"$2\" ]; then";

    /// <summary>
    /// True when the package's scripts can be shipped as given (fpm's plain mode): no upgrade or
    /// purge script and no service. Then each user script is the maintainer script and sees every
    /// dpkg argument itself.
    /// </summary>
    public static bool IsNeeded(IReadOnlyDictionary<FpmScript, ReadOnlyMemory<byte>> user, ServiceActions services)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(services);
        return !services.IsEmpty
            || user.ContainsKey(FpmScript.BeforeUpgrade)
            || user.ContainsKey(FpmScript.AfterUpgrade)
            || user.ContainsKey(FpmScript.AfterPurge);
    }

    public static IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> Generate(
        string packageName, IReadOnlyDictionary<FpmScript, ReadOnlyMemory<byte>> user, ServiceActions services)
    {
        ArgumentNullException.ThrowIfNull(packageName);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(services);
        var generator = new Context(packageName, user, services);
        var scripts = new Dictionary<MaintainerScript, ReadOnlyMemory<byte>>();
        foreach (MaintainerScript script in Enum.GetValues<MaintainerScript>())
        {
            if (generator.Build(script) is { } bytes)
            {
                scripts[script] = bytes;
            }
        }

        return scripts;
    }

    /// <summary>The interpreter from a script's <c>#!</c> line, as the kernel splits it; /bin/sh without one (fpm pastes such scripts into sh).</summary>
    internal static IReadOnlyList<string> Interpreter(ReadOnlySpan<byte> script)
    {
        if (script.Length < 2 || script[0] != (byte)'#' || script[1] != (byte)'!')
        {
            return ["/bin/sh"];
        }

        int end = script.IndexOf((byte)'\n');
        string line = Encoding.UTF8.GetString(end < 0 ? script[2..] : script[2..end]).Trim();
        int space = line.IndexOfAny([' ', '\t']);
        return space < 0 ? [line] : [line[..space], line[(space + 1)..].Trim()];
    }

    internal static string Quote(string word) =>
        SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_./+:=@%-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeWord();

    private sealed class Context(string packageName, IReadOnlyDictionary<FpmScript, ReadOnlyMemory<byte>> user, ServiceActions services)
    {
        private bool UpgradeAware => user.ContainsKey(FpmScript.BeforeUpgrade) || user.ContainsKey(FpmScript.AfterUpgrade);

        public byte[]? Build(MaintainerScript script)
        {
            FpmScript[] own = Enum.GetValues<FpmScript>().Where(s => s.Target() == script && user.ContainsKey(s)).ToArray();
            bool makesUsers = script == MaintainerScript.Preinst && services.SystemUsers.Count > 0;
            List<string> serviceLines = script switch
            {
                MaintainerScript.Preinst => PreinstServices(),
                MaintainerScript.Postinst => PostinstServices(),
                MaintainerScript.Prerm => PrermServices(),
                MaintainerScript.Postrm => PostrmServices(),
                _ => [],
            };
            if (own.Length == 0 && serviceLines.Count == 0 && !makesUsers)
            {
                return null;
            }

            string name = script.ToString().ToLowerInvariant();
            var text = new ShellScriptText()
                .Line("#!/bin/sh")
                .Line($"# {name} of {packageName}, generated by consul-pkg fpm.")
                .Line("# The package's own scripts are embedded below; each runs in its own process, so an 'exit'")
                .Line("# in one ends only that script, and its failure fails this one.")
                .Line("set -e")
                .Line();
            if (script == MaintainerScript.Preinst && services.SystemUsers.Count > 0)
            {
                // Before the package's own script, which may well use the user.
                text.Lines(SystemUserLines()).Line();
            }

            if (own.Length > 0)
            {
                WriteRunner(text, name);
                foreach (FpmScript s in own)
                {
                    WriteFunction(text, s);
                }
            }

            text.Line("case \"$1\" in");
            foreach ((string pattern, List<string> body) in Dispatch(script))
            {
                text.Line($"    {pattern})").Lines(body, 8).Line("        ;;");
            }

            text.Line("    *)")
                .Line($"        echo \"{packageName} {name}: called with unknown argument '$1'\" >&2")
                .Line("        exit 1")
                .Line("        ;;")
                .Line("esac")
                .Line();
            if (serviceLines.Count > 0)
            {
                text.Lines(serviceLines).Line();
            }

            return text.Line("exit 0").ToArray();
        }

        private void WriteRunner(ShellScriptText text, string name) => text
            .Line("user_script=")
            .Line("trap 'rm -f \"$user_script\"' EXIT")
            .Line()
            .Line("# run_user_script FLAG COMMAND...: runs the script just written to $user_script, then removes it.")
            .Line("run_user_script() {")
            .Line("    flag=$1")
            .Line("    shift")
            .Line("    status=0")
            .Line("    \"$@\" || status=$?")
            .Line("    rm -f \"$user_script\"")
            .Line("    user_script=")
            .Line("    if [ \"$status\" -ne 0 ]; then")
            .Line($"        echo \"{packageName} {name}: the $flag script failed with exit status $status\" >&2")
            .Line("        exit \"$status\"")
            .Line("    fi")
            .Line("}")
            .Line();

        private void WriteFunction(ShellScriptText text, FpmScript script)
        {
            string function = FunctionName(script);
            ReadOnlyMemory<byte> content = user[script];
            string interpreter = string.Join(' ', Interpreter(content.Span).Select(Quote));
            text.Line($"# {script.Flag()}, run by {interpreter}.")
                .Line($"{function}() {{")
                .Line("    user_script=$(mktemp)")
                .HereDocument("    ", "\"$user_script\"", "END_OF_" + function.ToUpperInvariant(), content.Span)
                .Line($"    run_user_script {script.Flag()} {interpreter} \"$user_script\" \"$@\"")
                .Line("}")
                .Line();
        }

        private static string FunctionName(FpmScript script) => script.Flag().TrimStart('-').Replace("deb-", "", StringComparison.Ordinal).Replace('-', '_');

        /// <summary>A call of the user's script with its arguments, or nothing when it was not given.</summary>
        private IEnumerable<string> Call(FpmScript script, string arguments)
        {
            if (user.ContainsKey(script))
            {
                yield return $"{FunctionName(script)} {arguments}";
            }
        }

        /// <summary>One script on a fresh install (no old version in $2), another on an upgrade.</summary>
        private static List<string> FreshOrUpgrade(List<string> fresh, List<string> upgrade)
        {
            if (fresh.Count == 0 && upgrade.Count == 0)
            {
                return [];
            }

            if (upgrade.Count == 0)
            {
                return [Fresh, .. Indent(fresh), "fi"];
            }

            if (fresh.Count == 0)
            {
                return [Upgrade, .. Indent(upgrade), "fi"];
            }

            return [Fresh, .. Indent(fresh), "else", .. Indent(upgrade), "fi"];
        }

        private static IEnumerable<string> Indent(IEnumerable<string> lines) => lines.Select(l => "    " + l);

        private List<(string Pattern, List<string> Body)> Dispatch(MaintainerScript script)
        {
            bool aware = UpgradeAware;
            return script switch
            {
                MaintainerScript.Preinst => PreinstDispatch(),
                MaintainerScript.Postinst => PostinstDispatch(),
                MaintainerScript.Prerm =>
                [
                    ("remove", [.. Call(FpmScript.BeforeRemove, "\"$@\"")]),
                    ("upgrade|deconfigure|failed-upgrade", aware ? [] : [.. Call(FpmScript.BeforeRemove, "\"$@\"")]),
                ],
                MaintainerScript.Postrm =>
                [
                    ("remove|abort-install", [.. Call(FpmScript.AfterRemove, "\"$@\"")]),
                    ("purge", [.. aware ? [] : Call(FpmScript.AfterRemove, "\"$@\""), .. Call(FpmScript.AfterPurge, "\"$@\"")]),
                    ("upgrade|failed-upgrade|abort-upgrade|disappear", aware ? [] : [.. Call(FpmScript.AfterRemove, "\"$@\"")]),
                ],
                _ => throw new ArgumentOutOfRangeException(nameof(script), script, null),
            };
        }

        private List<(string Pattern, List<string> Body)> PreinstDispatch()
        {
            List<string> install = [.. Call(FpmScript.BeforeInstall, "\"$@\"")];
            if (!user.ContainsKey(FpmScript.BeforeUpgrade))
            {
                return [("install|upgrade|abort-upgrade", install)];
            }

            // "install OLD" is a reinstall over a removed package's configuration: fpm treats it as an upgrade.
            List<string> upgrade = [.. Call(FpmScript.BeforeUpgrade, "\"$2\"")];
            return
            [
                ("install", FreshOrUpgrade(install, upgrade)),
                ("upgrade", upgrade),
                ("abort-upgrade", []),
            ];
        }

        private List<(string Pattern, List<string> Body)> PostinstDispatch()
        {
            List<string> install = [.. Call(FpmScript.AfterInstall, "\"$@\"")];
            if (!user.ContainsKey(FpmScript.AfterUpgrade))
            {
                return [("configure|abort-upgrade|abort-deconfigure|abort-remove", install)];
            }

            return
            [
                ("configure", FreshOrUpgrade(install, [.. Call(FpmScript.AfterUpgrade, "\"$2\"")])),
                // A failed prerm remove is rolled back as a fresh configuration, as fpm does.
                ("abort-remove", install),
                ("abort-upgrade|abort-deconfigure", []),
            ];
        }

        private List<string> SystemUserLines() =>
        [
            .. services.SystemUsers.SelectMany(user => user.Home is null
                ? Snippet("preinst-sysuser", ("USER", user.Name))
                : Snippet("preinst-sysuser-home", ("USER", user.Name), ("HOME", user.Home), ("PACKAGE", packageName))),
        ];

        private List<string> PreinstServices() =>
            [.. services.InitScripts.SelectMany(init => Snippet("preinst-init-chmod", ("SCRIPT", init)))];

        /// <summary>
        /// dh_installsystemd's and dh_installinit's postinst parts: enable (or only keep an
        /// administrator's enable) unit by unit, then start, restart or only reload as the flags
        /// say; update-rc.d and invoke-rc.d for each init script.
        /// </summary>
        private List<string> PostinstServices()
        {
            var lines = new List<string>();
            foreach (string unit in services.SystemdUnits)
            {
                lines.AddRange(Snippet(services.Enable ? "postinst-systemd-enable" : "postinst-systemd-dont-enable", ("UNITFILE", unit)));
            }

            if (services.SystemdUnits.Count > 0)
            {
                string units = string.Join(' ', services.SystemdUnits);
                lines.AddRange((services.AutoStart, services.RestartAfterUpgrade) switch
                {
                    (true, true) => Snippet("postinst-systemd-restart", ("UNITFILES", units), ("RESTART_ACTION", "restart")),
                    (true, false) => Snippet("postinst-systemd-start", ("UNITFILES", units)),
                    (false, true) => Snippet("postinst-systemd-restartnostart", ("UNITFILES", units), ("RESTART_ACTION", "try-restart")),
                    (false, false) => Snippet("postinst-systemd-reload"),
                });
            }

            foreach (string init in services.InitScripts)
            {
                string parameters = services.Enable ? "defaults" : "defaults-disabled";
                lines.AddRange((services.AutoStart, services.RestartAfterUpgrade) switch
                {
                    (true, true) => Snippet("postinst-init-restart", InitTokens(init, ("INITPARMS", parameters))),
                    (true, false) => Snippet("postinst-init", InitTokens(init, ("INITPARMS", parameters))),
                    _ => Snippet("postinst-init-nostart", ("SCRIPT", init), ("INITPARMS", parameters), ("ERROR_HANDLER", ErrorHandler)),
                });
            }

            return lines;
        }

        /// <summary>The service stops on remove, never on upgrade (postinst restarts it, or not, as the flags say).</summary>
        private List<string> PrermServices()
        {
            var lines = new List<string>();
            if (services.SystemdUnits.Count > 0)
            {
                lines.AddRange(Snippet("prerm-systemd-restart", ("UNITFILES", string.Join(' ', services.SystemdUnits))));
            }

            foreach (string init in services.InitScripts)
            {
                lines.AddRange(Snippet("prerm-init-norestart", InitTokens(init)));
            }

            return lines;
        }

        private List<string> PostrmServices()
        {
            var lines = new List<string>();
            if (services.SystemdUnits.Count > 0)
            {
                lines.AddRange(Snippet("postrm-systemd-reload-only"));
                lines.AddRange(Snippet("postrm-systemd", ("UNITFILES", string.Join(' ', services.SystemdUnits))));
            }

            foreach (string init in services.InitScripts)
            {
                lines.AddRange(Snippet("postrm-init", ("SCRIPT", init)));
            }

            return lines;
        }

        /// <summary>
        /// dh_installinit's values: invoke-rc.d leaves a service with a systemd unit to systemd
        /// (compat 12 on), and a failing start or stop fails the maintainer script.
        /// </summary>
        private static (string, string)[] InitTokens(string init, params (string, string)[] more) =>
            [("SCRIPT", init), ("INVOKE_RCD_PARAMS", "--skip-systemd-native "), ("ERROR_HANDLER", ErrorHandler), .. more];

        private const string ErrorHandler = "exit 1";

        private static string[] Snippet(string name, params (string Token, string Value)[] tokens) =>
            ScriptSnippets.Render(name, tokens.ToDictionary(t => t.Token, t => t.Value, StringComparer.Ordinal)).TrimEnd('\n').Split('\n');
    }
}
