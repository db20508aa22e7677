using System.Globalization;
using System.Text.RegularExpressions;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Progress;

/// <summary>
/// fpm, extract and repo publish report their work to the bar <see cref="CliContext.Progress"/>
/// gives: drawn on a terminal, never with --quiet or under CI=true, and nothing else they write
/// changes. In-process, on a clock a second further on at every reading, so every piece of work
/// is "long" however fast the machine (the real terminal is <see cref="PseudoTerminalProgressTests"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class CommandProgressTests
{
    private static TempDirectory _temp = null!;
    private static GpgHome _gpg = null!;

    [OneTimeSetUp]
    public static void OneTimeSetUp()
    {
        _temp = new TempDirectory("consul-pkg-progress-");
        _gpg = new GpgHome();
        _gpg.ExportSecret(_gpg.Generate("Progress <progress@repo.invalid>", "ed25519"), _temp.Combine("repo-key.asc"), armor: true);
        _temp.WriteFile("tree/usr/share/tool/README", "tool\n");
        _temp.WriteFile("tree/usr/share/tool/data.bin", new string('x', 300_000));
        CliRunner.Run(Context(terminal: false), Fpm("given.deb")).EnsureSuccess();
    }

    [OneTimeTearDown]
    public static void OneTimeTearDown()
    {
        _gpg.Dispose();
        _temp.Dispose();
    }

    /// <summary>Each command, where it writes (emptied before a run) and what its output is compared by.</summary>
    public static IEnumerable<TestCaseData> Commands()
    {
        yield return new TestCaseData("fpm", Fpm("built.deb"), "built.deb", "built.deb").SetArgDisplayNames("fpm");
        yield return new TestCaseData("extract", new[] { "extract", "given.deb", "unpacked" }, "unpacked", "given.deb").SetArgDisplayNames("extract");
        yield return new TestCaseData("publish", new[] { "repo", "publish", "--repo", "repo", "--suite", "stable", "--signing-key", "repo-key.asc", "given.deb" }, "repo", "given.deb")
            .SetArgDisplayNames("repo publish");
    }

    [TestCaseSource(nameof(Commands))]
    public void OnATerminalTheBarIsDrawnAndNothingElseChanges(string name, string[] args, string written, string label)
    {
        (ProcessResult plain, Dictionary<string, string> plainFiles) = RunFresh(Context(terminal: false), args, written);
        (ProcessResult shown, Dictionary<string, string> shownFiles) = RunFresh(Context(terminal: true), args, written);
        Assert.Multiple(() =>
        {
            Assert.That(plain.ExitCode, Is.Zero, plain.ToString());
            Assert.That(plain.StdErr, Is.Empty, "no terminal, no bar");
            Assert.That(shown.ExitCode, Is.Zero, shown.ToString());
            Assert.That(shown.StdOut, Is.EqualTo(plain.StdOut), $"{name}: standard output");
            Assert.That(shownFiles, Is.EqualTo(plainFiles), $"{name}: what it wrote");
            Assert.That(shown.StdErr, Does.Match(@"^(\r" + Regex.Escape(label) + @" +[0-9]+% \[#*\s*\] [^\r\n]+\x1b\[K)+\n$"),
                $"{name}: bars redrawn in place, the last left on its line");
            Assert.That(shown.StdErr, Does.Contain("100% [##########]"), $"{name}: the last state is all done");
        });
    }

    [TestCaseSource(nameof(Commands))]
    public void QuietDrawsNoBar(string name, string[] args, string written, string label)
    {
        (ProcessResult r, _) = RunFresh(Context(terminal: true), [.. args, "--quiet"], written);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.StdErr, Is.Empty, $"{name} --quiet, {label}");
    }

    [TestCaseSource(nameof(Commands))]
    public void UnderCiNoBarIsDrawn(string name, string[] args, string written, string label)
    {
        (ProcessResult ci, _) = RunFresh(Context(terminal: true, ("CI", "true")), args, written);
        (ProcessResult notCi, _) = RunFresh(Context(terminal: true, ("CI", "false")), args, written);
        Assert.Multiple(() =>
        {
            Assert.That(ci.ExitCode, Is.Zero, ci.ToString());
            Assert.That(ci.StdErr, Is.Empty, $"{name} with CI=true");
            Assert.That(notCi.StdErr, Does.Contain(label), $"{name} with CI=false draws its bar");
        });
    }

    [Test]
    public void AnErrorLineStartsALineOfItsOwn()
    {
        _temp.WriteFile("broken.deb", "!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n");
        ProcessResult r = CliRunner.Run(Context(terminal: true), "extract", "broken.deb", "broken");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.StdErr, Does.Match(@"^\rbroken\.deb +[0-9]+% [^\n]*\x1b\[K\nconsul-pkg: [^\r\x1b]*\n$"), "the bar's line ended before the error's");
    }

    /// <summary>2024-01-01 UTC: after the creation the test key's signatures need.</summary>
    private const long Epoch = 1_704_067_200;

    private static string[] Fpm(string output) =>
        ["fpm", "-s", "dir", "-t", "deb", "-n", "tool", "-v", "1.0", "-a", "all", "-p", output, "-C", "tree", "."];

    private static CliContext Context(bool terminal, params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = Epoch.ToString(CultureInfo.InvariantCulture) };
        foreach ((string name, string value) in variables)
        {
            environment[name] = value;
        }

        return CliRunner.Context(_temp.Path, environment, () => DateTimeOffset.FromUnixTimeSeconds(Epoch)) with
        {
            ErrorIsTerminal = terminal,
            Clock = new SteppingClock(),
        };
    }

    /// <summary>Runs with <paramref name="written"/> removed first; returns what it printed and the files it wrote, by relative path and SHA-256.</summary>
    private static (ProcessResult Result, Dictionary<string, string> Files) RunFresh(CliContext context, string[] args, string written)
    {
        string target = _temp.Combine(written);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        else
        {
            File.Delete(target);
        }

        ProcessResult result = CliRunner.Run(context, args);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        IEnumerable<string> paths = Directory.Exists(target) ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories) : File.Exists(target) ? [target] : [];
        foreach (string path in paths)
        {
            files[Path.GetRelativePath(_temp.Path, path)] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        }

        return (result, files);
    }

    /// <summary>A clock a second on each time it is read: to the bar, all work has run long.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerSecond);
    }
}
