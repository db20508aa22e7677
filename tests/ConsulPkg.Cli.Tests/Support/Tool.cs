using System.Text;

namespace ConsulPkg.Cli.Tests.Support;

/// <summary>The result of running a program or the CLI.</summary>
internal sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>The lines on stderr (without the final empty one).</summary>
    public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs a real program (dpkg-deb, dotnet) through <see cref="ProcessRunner"/> under UTC and a
/// UTF-8 C locale, with its output as text.
/// </summary>
internal static class Tool
{
    public static ToolResult Run(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var variables = new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8", ["TZ"] = "UTC" };
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        ProcessOutput output = ProcessRunner.Run(program, arguments, workingDirectory, variables);
        return new ToolResult(output.ExitCode, Encoding.UTF8.GetString(output.Stdout), output.Stderr);
    }

    public static ToolResult Run(string program, params string[] arguments) => Run(program, (IEnumerable<string>)arguments);
}
