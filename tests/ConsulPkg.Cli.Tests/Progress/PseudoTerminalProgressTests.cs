using System.Text.RegularExpressions;
using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Testing.Releases;

namespace ConsulPkg.Cli.Tests.Progress;

/// <summary>
/// The progress bar of the real <c>consul-pkg build</c> process, its standard error a pseudo-terminal
/// (<see cref="TerminalSession"/>): the release zip's download is held half-way by the server on
/// 127.0.0.1 for as long as the test needs, so the work lasts over a second on any machine.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class PseudoTerminalProgressTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private TempDirectory _temp = null!;
    private FakeReleaseServer _server = null!;
    private FakeRelease _release = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("consul-pkg-pty-");
        _server = new FakeReleaseServer();
        _release = new FakeRelease("0.7.5");
        _release.Publish(_server, TestKeys.Trusted);
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [Test]
    public void TheBarIsDrawnOnATerminalOnlyAndChangesNoOutput()
    {
        _server.FailAlways(_release.Dir + _release.ZipName, Fault.PauseMidBody);

        // Three runs that must draw nothing start first and are held half-way...
        using RunningProcess plain = ProcessRunner.Start("dotnet", [ConsulPkgProcess.AssemblyPath, .. Build()], Directory("plain"), Environment("plain", ci: null));
        using TerminalSession quiet = TerminalSession.Start(Directory("quiet"), [.. Build(), "--quiet"], Environment("quiet", ci: null));
        using TerminalSession ci = TerminalSession.Start(Directory("ci"), Build(), Environment("ci", ci: "true"));
        Assert.That(_server.Paused(3).Wait(Timeout), Is.True, "the three downloads never started");

        // ...and stay held until one started after them has drawn its bar, over a second into its own download.
        using TerminalSession shown = TerminalSession.Start(Directory("shown"), Build(), Environment("shown", ci: null));
        shown.WaitFor(HalfWay(), Timeout);
        _server.Resume();

        ProcessResult plainResult = plain.Finish(Timeout);
        (int quietExit, string quietScreen, string quietOut) = quiet.Finish(Timeout);
        (int ciExit, string ciScreen, string ciOut) = ci.Finish(Timeout);
        (int shownExit, string shownScreen, string shownOut) = shown.Finish(Timeout);
        Assert.Multiple(() =>
        {
            Assert.That((plainResult.ExitCode, quietExit, ciExit, shownExit), Is.EqualTo((0, 0, 0, 0)), plainResult.ToString());
            Assert.That(plainResult.StdErr, Is.Empty, "standard error not a terminal");
            Assert.That(quietScreen, Is.Empty, "--quiet");
            Assert.That(ciScreen, Is.Empty, "CI=true");
            Assert.That(shownScreen, Does.Match(@"^((\r[^\r\n]+\x1b\[K)+\n)+$"), "bars redrawn in place, each left on its line: " + TerminalSession.Printable(shownScreen));
            Assert.That(shownScreen, Does.Match(@"\rconsul_0\.7\.5_linux_amd6… +100% \[##########\] [^\r\n]+\x1b\[K\n"), "the download's bar ends all done");

            string expected = plainResult.StdOut.Replace(Directory("plain"), "DIR", StringComparison.Ordinal);
            Assert.That(expected, Does.Contain("Created package DIR/out/consul_0.7.5-1_amd64.deb"));
            foreach ((string name, string stdout) in new[] { ("quiet", quietOut), ("ci", ciOut), ("shown", shownOut) })
            {
                Assert.That(stdout.Replace(Directory(name), "DIR", StringComparison.Ordinal), Is.EqualTo(expected), $"{name}: standard output");
                Assert.That(File.ReadAllBytes(Path.Combine(Directory(name), "out", "consul_0.7.5-1_amd64.deb")),
                    Is.EqualTo(File.ReadAllBytes(Path.Combine(Directory("plain"), "out", "consul_0.7.5-1_amd64.deb"))), $"{name}: the package");
            }
        });
    }

    [Test]
    public void AnErrorIsWrittenOnALineOfItsOwnAfterTheBar()
    {
        _server.FailAlways(_release.Dir + _release.ZipName, Fault.StallAfterHeaders);

        // The download's own deadline ends it, two seconds after its bar came up.
        using TerminalSession session = TerminalSession.Start(Directory("stalled"), [.. Build(), "--download-timeout", "3"], Environment("stalled", ci: null));
        (int exitCode, string screen, string stdout) = session.Finish(Timeout);
        string[] lines = screen.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), TerminalSession.Printable(screen));
            Assert.That(stdout, Is.Empty);
            Assert.That(screen, Does.Match(@"^(\r[^\r\n]+\x1b\[K)+\n"), "first the bar, ended by a newline: " + TerminalSession.Printable(screen));
            Assert.That(lines[^2], Does.Match(@"^consul-pkg: [^\r\x1b]+$"), "the error alone on the last line");
            Assert.That(lines[^1], Is.Empty);
            Assert.That(lines.Where(l => l.Contains("consul-pkg:", StringComparison.Ordinal)), Has.All.StartWith("consul-pkg:"), "no message shares a line with a bar");
        });
    }

    [Test]
    public void AtAShellPromptTheBarIsTheOnlyControlSequenceWritten()
    {
        _server.FailAlways(_release.Dir + _release.ZipName, Fault.PauseMidBody);

        // Standard input, output and error all the terminal: the runtime's own console set-up
        // (terminfo's keypad_xmit) would show here, before the bar.
        using TerminalSession session = TerminalSession.Start(Directory("prompt"), Build(), Environment("prompt", ci: null), interactive: true);
        session.WaitFor(HalfWay(), Timeout);
        _server.Resume();
        (int exitCode, string screen, _) = session.Finish(Timeout);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), TerminalSession.Printable(screen));
            Assert.That(screen, Does.Contain(TerminalProgress.ClearToEndOfLine), "the bar was drawn");
            Assert.That(screen, Does.Contain($"\nCreated package {Path.Combine(Directory("prompt"), "out", "consul_0.7.5-1_amd64.deb")} (Consul 0.7.5)\n"), "standard output, after the bar's line");
            Assert.That(TerminalSession.Unintended(screen), Does.Not.Contain("\x1b"), "no control sequence but the bar's: " + TerminalSession.Printable(screen));
        });
    }

    [GeneratedRegex(@"\rconsul_0\.7\.5_linux_amd6… +[1-9][0-9]% \[#+ +\] [0-9.]+/[0-9.]+ [KMG]?i?B +[0-9.]+ [KMG]?i?B/s +[0-9:]+ left\x1b\[K")]
    private static partial Regex HalfWay();

    private static string[] Build() => ["build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", "out"];

    /// <summary>A working directory of its own for one run: its key, its output directory, its download cache.</summary>
    private string Directory(string name)
    {
        string directory = _temp.Combine(name);
        if (!System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "out"));
            File.WriteAllText(Path.Combine(directory, "test-key.asc"), TestKeys.Trusted.ArmoredPublicKey);
        }

        return directory;
    }

    private Dictionary<string, string?> Environment(string name, string? ci)
    {
        var environment = new Dictionary<string, string?>(ProcessRunner.Utc, StringComparer.Ordinal) { ["CI"] = ci };
        foreach ((string variable, string value) in CliRunner.ConsulEnvironment(_server.BaseUrl, Path.Combine(Directory(name), "cache"), TestKeys.GossipKeyBase64))
        {
            environment[variable] = value;
        }

        return environment;
    }
}
