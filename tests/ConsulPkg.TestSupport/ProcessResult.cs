using System.Globalization;
using System.Text;

namespace ConsulPkg.Testing;

/// <summary>
/// What a finished command left behind: its exit code, stdout (as bytes, and as UTF-8 text) and
/// stderr. The one result type of the tests, for real processes (<see cref="ProcessRunner"/>) and
/// for the CLI run in-process alike.
/// </summary>
public sealed record ProcessResult(int ExitCode, byte[] StdOutBytes, string StdErr)
{
    private string? _stdOut;

    /// <summary>For a command whose output was captured as text (the CLI run in-process).</summary>
    public static ProcessResult FromText(int exitCode, string stdOut, string stdErr) =>
        new(exitCode, Encoding.UTF8.GetBytes(stdOut), stdErr) { _stdOut = stdOut };

    /// <summary>The command as a shell would read it, for messages; empty for an in-process run.</summary>
    public string CommandLine { get; init; } = "";

    public TimeSpan Elapsed { get; init; }

    /// <summary>Stdout decoded as UTF-8 (use <see cref="StdOutBytes"/> where names need not be UTF-8).</summary>
    public string StdOut => _stdOut ??= Encoding.UTF8.GetString(StdOutBytes);

    public bool Succeeded => ExitCode == 0;

    /// <summary>The lines on stderr (without the final empty one).</summary>
    public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Throws with the whole transcript when the command failed, so a failing test shows why.</summary>
    public ProcessResult EnsureSuccess() => Succeeded ? this : throw new InvalidOperationException(ToString());

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"$ {CommandLine}\nexit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n");
        if (StdOutBytes.Length > 0)
        {
            text.Append("--- stdout ---\n").Append(StdOut);
        }

        if (StdErr.Length > 0)
        {
            text.Append("--- stderr ---\n").Append(StdErr);
        }

        return text.ToString();
    }
}
