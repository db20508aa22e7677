using System.Globalization;
using System.Text;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>What a finished process left behind: its exit code and both output streams.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the whole transcript when the process failed, so a failing test shows why.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException(ToString());
        }

        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"$ {CommandLine}\nexit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n");
        if (StdOut.Length > 0)
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
