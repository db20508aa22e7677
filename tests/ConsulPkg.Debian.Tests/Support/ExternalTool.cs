using System.Text;

namespace ConsulPkg.Debian.Tests.Support;

/// <summary>The outcome of running a real tool: exit code, stdout as bytes, stderr as text.</summary>
internal sealed record ToolResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
}

/// <summary>
/// Runs the real Debian tools (dpkg-deb, tar, ar, xz, ...) that judge the reader. A missing tool
/// fails the test: CI installs them.
/// </summary>
internal static class ExternalTool
{
    public static ToolResult Run(string tool, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? stdin = null)
    {
        ProcessOutput output = ProcessRunner.Run(tool, args, workingDirectory, environment, stdin);
        return new ToolResult(output.ExitCode, output.Stdout, output.Stderr);
    }

    /// <summary>Runs a tool and fails unless it exits 0.</summary>
    public static ToolResult Check(string tool, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? stdin = null)
    {
        ToolResult result = Run(tool, args, workingDirectory, environment, stdin);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        }
        return result;
    }
}
