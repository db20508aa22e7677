using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ConsulPkg.Cli.Tests.Progress;

/// <summary>
/// consul-pkg run by <c>script</c> (util-linux) on a pseudo-terminal of its own, an xterm: its
/// standard error is a real terminal, its standard output goes to stdout.txt in its working
/// directory (or, in an interactive session, all three are the terminal), and what the terminal
/// shows is read as it comes.
/// </summary>
internal sealed class TerminalSession : IDisposable
{
    private readonly Process _process;
    private readonly bool _interactive;
    private readonly Task _reader;
    private readonly StringBuilder _screen = new();
    private readonly object _changed = new();

    private TerminalSession(Process process, bool interactive)
    {
        _process = process;
        _interactive = interactive;
        _reader = Task.Run(Read);
    }

    public string WorkingDirectory => _process.StartInfo.WorkingDirectory;

    /// <param name="environment">Added to the inherited environment; a null value removes a variable.</param>
    /// <param name="interactive">
    /// Standard input and output on the terminal too, as for a person at a shell prompt (the
    /// standard output is then part of the screen); else they are stdout.txt and /dev/null.
    /// </param>
    public static TerminalSession Start(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment,
        bool interactive = false)
    {
        string command = "exec " + string.Join(' ', new[] { "dotnet", ConsulPkgProcess.AssemblyPath }.Concat(arguments).Select(Quote))
            + (interactive ? "" : " >stdout.txt </dev/null");
        var info = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        // A terminal whose terminfo entry has keypad_xmit and colours, like most a person uses.
        info.Environment["TERM"] = "xterm";
        // -q: no start and end lines, -e: its exit code, -f: the output as it comes, -c: this command.
        foreach (string argument in new[] { "-c", "exec script -qefc \"$0\" /dev/null </dev/null", command })
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return new TerminalSession(Process.Start(info) ?? throw new InvalidOperationException("could not start script"), interactive);
    }

    /// <summary>What the terminal has shown, its line ends as the program wrote them ("\n", not the terminal's "\r\n").</summary>
    public string Screen
    {
        get
        {
            lock (_changed)
            {
                return _screen.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Returns once the screen matches <paramref name="pattern"/>; fails after <paramref name="timeout"/>, or when the program ends first.</summary>
    public void WaitFor(Regex pattern, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        lock (_changed)
        {
            while (!pattern.IsMatch(Screen))
            {
                TimeSpan left = timeout - clock.Elapsed;
                if (_reader.IsCompleted || left <= TimeSpan.Zero || !Monitor.Wait(_changed, left) && !pattern.IsMatch(Screen))
                {
                    Assert.Fail($"the terminal never showed {pattern}; it showed: {Printable(Screen)}");
                }
            }
        }
    }

    /// <summary>Waits for the program to end: its exit code, the screen, and its standard output (empty in an interactive session: it is on the screen).</summary>
    public (int ExitCode, string Screen, string StdOut) Finish(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Assert.Fail($"consul-pkg on a terminal did not finish within {timeout}; it showed: {Printable(Screen)}");
        }

        _process.WaitForExit();
        _reader.Wait(timeout);
        return (_process.ExitCode, Screen, _interactive ? "" : File.ReadAllText(Path.Combine(WorkingDirectory, "stdout.txt")));
    }

    /// <summary>
    /// The screen without the one control sequence consul-pkg means to write (the progress bar's
    /// <see cref="TerminalProgress.ClearToEndOfLine"/>): what is left must hold no ESC.
    /// </summary>
    public static string Unintended(string screen) => screen.Replace(TerminalProgress.ClearToEndOfLine, "", StringComparison.Ordinal);

    /// <summary>The screen with its control characters visible, for a failure message.</summary>
    public static string Printable(string screen) =>
        screen.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\x1b", "\\e", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private async Task Read()
    {
        var decoder = Encoding.UTF8.GetDecoder();
        byte[] buffer = new byte[4096];
        char[] chars = new char[4096];
        Stream output = _process.StandardOutput.BaseStream;
        int n;
        while ((n = await output.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            int count = decoder.GetChars(buffer, 0, n, chars, 0);
            lock (_changed)
            {
                _screen.Append(chars, 0, count);
                Monitor.PulseAll(_changed);
            }
        }

        lock (_changed)
        {
            Monitor.PulseAll(_changed);
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
