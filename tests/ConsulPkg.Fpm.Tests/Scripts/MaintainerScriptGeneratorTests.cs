using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Fpm.Scripts;

namespace ConsulPkg.Fpm.Tests.Scripts;

/// <summary>
/// The generated maintainer scripts, judged by the real shellcheck for every combination of the
/// service flags, and run with the real /bin/sh where they touch nothing but a temporary
/// directory (no service part: that runs only in the install tests' Debian root).
/// </summary>
[TestFixture]
public sealed class MaintainerScriptGeneratorTests
{
    private static readonly IReadOnlyDictionary<FpmScript, ReadOnlyMemory<byte>> AllScripts =
        Enum.GetValues<FpmScript>().ToDictionary(s => s, s => Bytes($"#!/bin/sh\necho {s}\nexit 0\n"));

    private static IEnumerable<TestCaseData> Combinations()
    {
        foreach (bool enable in new[] { true, false })
        {
            foreach (bool start in new[] { true, false })
            {
                foreach (bool restart in new[] { true, false })
                {
                    yield return new TestCaseData(enable, start, restart).SetArgDisplayNames($"enable={enable},start={start},restart={restart}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Combinations))]
    public void EveryCombinationPassesShellcheck(bool enable, bool start, bool restart)
    {
        var services = new ServiceActions
        {
            SystemdUnits = ["app.service", "app.timer"],
            InitScripts = ["app"],
            Enable = enable,
            AutoStart = start,
            RestartAfterUpgrade = restart,
        };
        IReadOnlyDictionary<FpmScript, ReadOnlyMemory<byte>> withoutUpgrade =
            AllScripts.Where(p => p.Key is not (FpmScript.BeforeUpgrade or FpmScript.AfterUpgrade)).ToDictionary();

        using var temp = new TempDirectory();
        var files = new List<string>();
        foreach ((string label, IReadOnlyDictionary<FpmScript, ReadOnlyMemory<byte>> user) in new[]
        {
            ("aware", AllScripts), ("plain", withoutUpgrade), ("none", new Dictionary<FpmScript, ReadOnlyMemory<byte>>()),
        })
        {
            foreach ((MaintainerScript script, ReadOnlyMemory<byte> bytes) in MaintainerScriptGenerator.Generate("app", user, services))
            {
                files.Add(temp.WriteFile($"{label}.{script}", Encoding.UTF8.GetString(bytes.Span)));
            }
        }

        ProcessResult result = ProcessRunner.Run("shellcheck", ["--shell=sh", "--severity=style", .. files]);
        Assert.That(result.ExitCode, Is.Zero, Encoding.UTF8.GetString(result.StdOutBytes) + result.StdErr);
        Assert.That(files, Has.Count.EqualTo(4 + 4 + 4), "all four with user scripts; without, all four for the services (preinst: the init script's execute bit on reinstall)");
    }

    [Test]
    public void SystemUsersAreMadeInPreinstBeforeThePackagesOwnScript()
    {
        var services = new ServiceActions { SystemUsers = [new FpmSystemUser("app", "/var/lib/app"), new FpmSystemUser("app-worker", null)] };
        var user = new Dictionary<FpmScript, ReadOnlyMemory<byte>> { [FpmScript.BeforeInstall] = Bytes("#!/bin/sh\nchown app /tmp/x\n") };
        IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> scripts = MaintainerScriptGenerator.Generate("app", user, services);
        string preinst = Text(scripts[MaintainerScript.Preinst]);

        using var temp = new TempDirectory();
        ProcessResult check = ProcessRunner.Run("shellcheck", ["--shell=sh", "--severity=style", temp.WriteFile("preinst", preinst)]);
        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.Zero, Encoding.UTF8.GetString(check.StdOutBytes));
            Assert.That(preinst.IndexOf("adduser --system --quiet --ingroup app --home /var/lib/app", StringComparison.Ordinal),
                Is.LessThan(preinst.IndexOf("before_install \"$@\"", StringComparison.Ordinal)), "the user exists when the package's own preinst runs");
            Assert.That(preinst, Does.Contain("--ingroup app-worker --no-create-home --home /nonexistent"));
            Assert.That(scripts.Keys, Is.EquivalentTo(new[] { MaintainerScript.Preinst }), "nothing else: the user is never removed");
            Assert.That(MaintainerScriptGenerator.IsNeeded(new Dictionary<FpmScript, ReadOnlyMemory<byte>>(), services), Is.True);
        });
    }

    [Test]
    public void ShellcheckWouldCatchAnError()
    {
        using var temp = new TempDirectory();
        string file = temp.WriteFile("broken", "#!/bin/sh\nif [ $1 = x ]; then echo\n");
        Assert.That(ProcessRunner.Run("shellcheck", ["--shell=sh", file]).ExitCode, Is.Not.Zero);
    }

    [Test]
    public void UserScriptsRunInTheirOwnProcessSoExitZeroDoesNotEndTheMaintainerScript()
    {
        using var temp = new TempDirectory();
        string log = temp.Combine("log");
        var user = new Dictionary<FpmScript, ReadOnlyMemory<byte>>
        {
            [FpmScript.BeforeRemove] = Bytes($"#!/bin/sh\necho \"before-remove $*\" >> {log}\nexit 0\n"),
            [FpmScript.AfterRemove] = Bytes($"#!/bin/sh\necho \"after-remove $*\" >> {log}\nexit 0\n"),
            // The delimiter the generator would pick, as a line of the script: it must pick another.
            [FpmScript.AfterPurge] = Bytes($"#!/bin/bash\ncat >/dev/null <<'END_OF_AFTER_PURGE'\nEND_OF_AFTER_PURGE\necho \"after-purge $*\" >> {log}\n"),
        };
        string postrm = temp.WriteFile("postrm", Text(MaintainerScriptGenerator.Generate("app", user, ServiceActions.None)[MaintainerScript.Postrm]));
        string tmp = temp.Combine("tmp");
        Directory.CreateDirectory(tmp);
        var environment = new Dictionary<string, string?> { ["TMPDIR"] = tmp };

        Assert.Multiple(() =>
        {
            Assert.That(ProcessRunner.Run("/bin/sh", [postrm, "remove"], environment: environment).ExitCode, Is.Zero);
            Assert.That(ProcessRunner.Run("/bin/sh", [postrm, "purge"], environment: environment).ExitCode, Is.Zero);
            Assert.That(File.ReadAllLines(log), Is.EqualTo(new[] { "after-remove remove", "after-remove purge", "after-purge purge" }),
                "without upgrade scripts --after-remove sees every postrm call, --deb-after-purge only purge");
            Assert.That(Directory.GetFiles(tmp), Is.Empty, "the temporary copies are removed");
        });
    }

    [Test]
    public void FailingUserScriptFailsTheMaintainerScriptWithItsStatusAndName()
    {
        using var temp = new TempDirectory();
        var user = new Dictionary<FpmScript, ReadOnlyMemory<byte>>
        {
            [FpmScript.AfterInstall] = Bytes("#!/bin/sh\nexit 7\n"),
            [FpmScript.AfterUpgrade] = Bytes("#!/bin/sh\nexit 0\n"),
        };
        string postinst = temp.WriteFile("postinst", Text(MaintainerScriptGenerator.Generate("app", user, ServiceActions.None)[MaintainerScript.Postinst]));

        ProcessResult fresh = ProcessRunner.Run("/bin/sh", [postinst, "configure", ""]);
        ProcessResult upgrade = ProcessRunner.Run("/bin/sh", [postinst, "configure", "1.0-1"]);
        ProcessResult unknown = ProcessRunner.Run("/bin/sh", [postinst, "reconfigure"]);
        Assert.Multiple(() =>
        {
            Assert.That(fresh.ExitCode, Is.EqualTo(7));
            Assert.That(fresh.StdErr, Does.Contain("app postinst: the --after-install script failed with exit status 7"));
            Assert.That(upgrade.ExitCode, Is.Zero, "an upgrade runs --after-upgrade, not --after-install");
            Assert.That(unknown.ExitCode, Is.EqualTo(1));
            Assert.That(unknown.StdErr, Does.Contain("app postinst: called with unknown argument 'reconfigure'"));
        });
    }

    [TestCase("#!/bin/sh\n", new[] { "/bin/sh" })]
    [TestCase("#! /bin/bash -e\n", new[] { "/bin/bash", "-e" })]
    [TestCase("#!/usr/bin/env python3\nprint(1)\n", new[] { "/usr/bin/env", "python3" })]
    [TestCase("echo no interpreter line\n", new[] { "/bin/sh" })]
    public void InterpreterComesFromTheHashBangLineAsTheKernelSplitsIt(string script, string[] expected) =>
        Assert.That(MaintainerScriptGenerator.Interpreter(Encoding.UTF8.GetBytes(script)), Is.EqualTo(expected));

    [Test]
    public void PlainScriptsNeedNoGeneration()
    {
        var plain = AllScripts.Where(p => p.Key is FpmScript.BeforeInstall or FpmScript.AfterRemove).ToDictionary();
        Assert.Multiple(() =>
        {
            Assert.That(MaintainerScriptGenerator.IsNeeded(plain, ServiceActions.None), Is.False);
            Assert.That(MaintainerScriptGenerator.IsNeeded(plain, new ServiceActions { InitScripts = ["app"] }), Is.True);
            Assert.That(MaintainerScriptGenerator.IsNeeded(AllScripts.Where(p => p.Key == FpmScript.AfterPurge).ToDictionary(), ServiceActions.None), Is.True);
        });
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
