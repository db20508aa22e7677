using ConsulPkg.Testing;

namespace ConsulPkg.Cli.Tests.Progress;

/// <summary>
/// consul-pkg run at a shell prompt (<see cref="TerminalSession"/>, standard input, output and
/// error all the terminal) writes no control sequence of its own making: the terminal is left in
/// the mode it was in (no keypad transmit / application cursor mode from terminfo's
/// keypad_xmit), and a log taken through a pseudo-terminal holds only the text.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class TerminalModeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [TestCase(new[] { "--help" }, ExitCodes.Success, "Description:", TestName = "Help")]
    [TestCase(new[] { "--version" }, ExitCodes.Success, "1.", TestName = "Version")]
    [TestCase(new[] { "--no-such-option" }, ExitCodes.Usage, "consul-pkg: ", TestName = "BadOption")]
    [TestCase(new[] { "dpkg-deb", "--info", "missing.deb" }, 2, "dpkg-deb: error: missing.deb", TestName = "DpkgDebFailing")]
    public void NothingButTheTextReachesTheTerminal(string[] arguments, int exitCode, string text)
    {
        using var directory = new TempDirectory("consul-pkg-tty-");
        using TerminalSession session = TerminalSession.Start(directory.Path, arguments, ProcessRunner.Utc, interactive: true);
        (int actualExitCode, string screen, _) = session.Finish(Timeout);
        Assert.Multiple(() =>
        {
            Assert.That(actualExitCode, Is.EqualTo(exitCode), TerminalSession.Printable(screen));
            Assert.That(screen, Does.StartWith(text));
            Assert.That(screen, Does.Not.Contain("\x1b"), "no control sequence: " + TerminalSession.Printable(screen));
        });
    }
}
