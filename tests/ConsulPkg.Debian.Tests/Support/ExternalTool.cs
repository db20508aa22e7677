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

/// <summary>A fresh directory under the system temp dir, removed (even if read-only inside) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("consul-pkg-test-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating parent directories) and returns its full path.</summary>
    public string WriteFile(string relative, string content, UnixFileMode? mode = null)
    {
        string full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mode is not null)
        {
            File.SetUnixFileMode(full, mode.Value);
        }

        return full;
    }

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }
        // Directories extracted with mode 0555 must be made writable before they can be emptied.
        ExternalTool.Run("chmod", ["-R", "u+rwx", Path]);
        Directory.Delete(Path, recursive: true);
    }
}
