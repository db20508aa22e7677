using System.Diagnostics;

namespace ConsulPkg.Consul.Tests.Support;

/// <summary>The result of running a real program.</summary>
internal sealed record ToolResult(int ExitCode, string StdOut, string StdErr);

/// <summary>
/// Runs a real program (dpkg-deb, lintian, ...) and captures its output. A missing program is a
/// test failure, never a skip: CI installs every tool the tests use.
/// </summary>
internal static class Tool
{
    public static ToolResult Run(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LC_ALL"] = "C.UTF-8";
        psi.Environment["TZ"] = "UTC";
        foreach ((string k, string v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new ToolResult(p.ExitCode, stdout, stderr.Result);
    }

    public static ToolResult Run(string program, params string[] arguments) => Run(program, (IEnumerable<string>)arguments);

    /// <summary>Runs and asserts a zero exit, returning stdout.</summary>
    public static string Check(string program, params string[] arguments)
    {
        ToolResult r = Run(program, arguments);
        Assert.That(r.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)} failed:\n{r.StdErr}{r.StdOut}");
        return r.StdOut;
    }
}
