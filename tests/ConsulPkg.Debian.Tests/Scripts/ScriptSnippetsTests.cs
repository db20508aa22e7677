using System.Text;
using ConsulPkg.Debian.Scripts;

namespace ConsulPkg.Debian.Tests.Scripts;

/// <summary>
/// The shared maintainer-script snippets against debhelper's autoscripts of the same purpose
/// (/usr/share/debhelper/autoscripts, the debhelper CI installs), so a drift from what Debian
/// generates is a failing test. Two things are normalised, and only these: indentation (our
/// snippets indent with four spaces, as every script this tool generates; debhelper's with tabs),
/// compared as depth; and comment lines (ours say why in our words, debhelper's are notes to its
/// own maintainers, e.g. when a line may go). Every command, condition, quote and redirection
/// must be debhelper's, token for token.
/// </summary>
[TestFixture]
public sealed class ScriptSnippetsTests
{
    private const string Autoscripts = "/usr/share/debhelper/autoscripts";

    /// <summary>
    /// Snippets debhelper has no file for, each with the autoscript it is cut from and how (or
    /// none, when debhelper has nothing of that purpose): the one place a deliberate difference
    /// from Debian is declared, with the reason.
    /// </summary>
    private static readonly Dictionary<string, (string? Autoscript, Func<List<string>, List<string>> Cut, string Why)> OwnSnippets = new(StringComparer.Ordinal)
    {
        ["preinst-sysuser"] = (null, lines => lines,
            "debhelper makes system users with dh_installsysusers' postinst-sysusers (systemd-sysusers), after the " +
            "files are unpacked; --deb-sysuser must make the user before, so that dpkg gives its files to it"),
        ["preinst-sysuser-home"] = (null, lines => lines, "preinst-sysuser with a home directory adduser creates"),
        ["postinst-systemd-reload"] = (
            "postinst-systemd-restartnostart",
            lines => WithoutBlock(lines, "if [ -n \"$2\" ]; then"),
            "debhelper reloads only inside its start/restart snippets; a unit neither started nor restarted " +
            "(the Consul recipe, fpm's --no-deb-systemd-restart-after-upgrade without auto-start) still needs " +
            "systemd to reread a changed unit file"),
    };

    private static IEnumerable<string> SnippetNames() => ScriptSnippets.Names;

    [TestCaseSource(nameof(SnippetNames))]
    public void MatchesDebhelpersAutoscriptOfTheSamePurpose(string name)
    {
        (string? autoscript, Func<List<string>, List<string>> cut) = OwnSnippets.TryGetValue(name, out var own)
            ? (own.Autoscript, own.Cut)
            : (name, lines => lines);
        if (autoscript is null)
        {
            Assert.That(File.Exists(Path.Combine(Autoscripts, name)), Is.False, $"debhelper now has {name}: compare with it");
            Assert.Pass($"{name} has no debhelper counterpart: {own.Why}");
        }

        string path = Path.Combine(Autoscripts, autoscript);
        Assert.That(File.Exists(path), Is.True, $"{path}: a snippet is named as debhelper's autoscript, or declared in OwnSnippets with the reason");

        List<string> ours = Normalise(ScriptSnippets.Text(name), "    ", name);
        List<string> debian = cut(Normalise(File.ReadAllText(path), "\t", path));
        Assert.That(ours, Is.EqualTo(debian), $"{name} drifted from {path} (indentation as depth, comment lines left out)");
    }

    [Test]
    public void AnOwnSnippetIsCutFromARealAutoscriptAndStillDiffersFromIt()
    {
        foreach ((string name, var own) in OwnSnippets.Where(o => o.Value.Autoscript is not null))
        {
            Assert.That(ScriptSnippets.Names, Does.Contain(name));
            Assert.That(File.Exists(Path.Combine(Autoscripts, name)), Is.False, $"debhelper now has {name}: compare with it instead");
            List<string> whole = Normalise(File.ReadAllText(Path.Combine(Autoscripts, own.Autoscript!)), "\t", own.Autoscript!);
            Assert.That(own.Cut(whole), Is.Not.EqualTo(whole), $"{name}: the cut must remove something ({own.Why})");
        }
    }

    [Test]
    public void NormalisationWouldCatchAChangedCommand()
    {
        string changed = ScriptSnippets.Text("postrm-systemd").Replace("purge #UNITFILES#", "purge --quiet #UNITFILES#", StringComparison.Ordinal);
        Assert.That(Normalise(changed, "    ", "changed"), Is.Not.EqualTo(Normalise(File.ReadAllText(Path.Combine(Autoscripts, "postrm-systemd")), "\t", "postrm-systemd")));
    }

    [Test]
    public void RendersEveryTokenAndNothingElse()
    {
        string text = ScriptSnippets.Render("postinst-init", new Dictionary<string, string>
        {
            ["SCRIPT"] = "app",
            ["INITPARMS"] = "defaults",
            ["INVOKE_RCD_PARAMS"] = "--skip-systemd-native ",
            ["ERROR_HANDLER"] = "exit 1",
        });
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("update-rc.d app defaults >/dev/null\n"));
            Assert.That(text, Does.Contain("invoke-rc.d --skip-systemd-native app start || exit 1\n"));
            Assert.That(text, Does.Not.Match("#[A-Z_]+#"));
            Assert.That(ScriptSnippets.Tokens("postinst-init"), Is.EqualTo(new[] { "SCRIPT", "INITPARMS", "INVOKE_RCD_PARAMS", "ERROR_HANDLER" }));
        });
    }

    [Test]
    public void AMissingTokenIsAnErrorNamingItNeverAnEmptyString() =>
        Assert.That(() => ScriptSnippets.Render("postrm-systemd", new Dictionary<string, string>()),
            Throws.ArgumentException.With.Message.StartsWith("snippet 'postrm-systemd' needs UNITFILES: give UNITFILES"));

    [Test]
    public void AnUnknownTokenIsAnError() =>
        Assert.That(() => ScriptSnippets.Render("postrm-systemd", new Dictionary<string, string> { ["UNITFILES"] = "a.service", ["UNITFILE"] = "a.service" }),
            Throws.ArgumentException.With.Message.StartsWith("snippet 'postrm-systemd' has no token UNITFILE: it takes UNITFILES"));

    [Test]
    public void AnUnknownSnippetIsAnErrorListingTheKnownOnes() =>
        Assert.That(() => ScriptSnippets.Render("postrm-sytemd"),
            Throws.ArgumentException.With.Message.StartsWith("unknown maintainer-script snippet 'postrm-sytemd': the snippets are postinst-"));

    [TestCase("a.service; rm -rf /")]
    [TestCase("$(reboot)")]
    [TestCase("a\nb")]
    [TestCase("'a'")]
    public void AValueTheShellWouldInterpretIsRefused(string value) =>
        Assert.That(() => ScriptSnippets.Render("postrm-systemd", new Dictionary<string, string> { ["UNITFILES"] = value }),
            Throws.ArgumentException.With.Message.Contains("has characters the shell would interpret"));

    [TestCaseSource(nameof(SnippetNames))]
    public void EverySnippetFilledPassesShellcheck(string name)
    {
        Dictionary<string, string> tokens = ScriptSnippets.Tokens(name).ToDictionary(t => t, t => t switch
        {
            "UNITFILE" or "UNITFILES" => "app.service",
            "HOME" => "/var/lib/app",
            "RESTART_ACTION" => "try-restart",
            "INITPARMS" => "defaults",
            "INVOKE_RCD_PARAMS" => "--skip-systemd-native ",
            "ERROR_HANDLER" => "exit 1",
            _ => "app",
        });
        using var temp = new TempDirectory();
        string file = temp.WriteFile(name, "#!/bin/sh\nset -e\n" + ScriptSnippets.Render(name, tokens) + "exit 0\n");
        ProcessResult result = ProcessRunner.Run("shellcheck", ["--shell=sh", "--severity=style", file]);
        Assert.That(result.ExitCode, Is.Zero, Encoding.UTF8.GetString(result.StdOutBytes) + result.StdErr);
    }

    /// <summary>Lines as (depth, text) without comment lines; every indentation must be whole units of <paramref name="unit"/>.</summary>
    private static List<string> Normalise(string text, string unit, string what)
    {
        var lines = new List<string>();
        foreach (string line in text.TrimEnd('\n').Split('\n'))
        {
            int depth = 0;
            string rest = line;
            while (rest.StartsWith(unit, StringComparison.Ordinal))
            {
                rest = rest[unit.Length..];
                depth++;
            }

            Assert.That(rest, Does.Not.StartWith(" ").And.Not.StartWith("\t"), $"{what}: indentation other than whole '{Printable(unit)}' units: '{line}'");
            if (rest.StartsWith('#'))
            {
                continue;
            }

            lines.Add(rest.Length == 0 ? "" : $"{depth}|{rest}");
        }

        return lines;
    }

    /// <summary>The lines without the block that starts with <paramref name="opening"/> and ends at its "fi".</summary>
    private static List<string> WithoutBlock(List<string> lines, string opening)
    {
        int start = lines.FindIndex(l => l.EndsWith("|" + opening, StringComparison.Ordinal));
        Assert.That(start, Is.Not.Negative, $"'{opening}' not found: the autoscript changed, look again at the own snippet");
        string depth = lines[start].Split('|')[0];
        int end = lines.FindIndex(start, l => l == depth + "|fi");
        return [.. lines.Take(start), .. lines.Skip(end + 1)];
    }

    private static string Printable(string unit) => unit == "\t" ? "\\t" : unit;
}
