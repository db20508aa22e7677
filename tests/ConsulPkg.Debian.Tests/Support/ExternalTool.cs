using System.Diagnostics;
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
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        if (environment is not null)
        {
            foreach ((string key, string? value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }
        }
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        copy.Wait();
        process.WaitForExit();
        return new ToolResult(process.ExitCode, stdout.ToArray(), stderr.Result);
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
