using System.Diagnostics;

namespace ConsulPkg.Testing;

/// <summary>What a finished process gave back: exit code, stdout as bytes, stderr as text.</summary>
internal readonly record struct ProcessOutput(int ExitCode, byte[] Stdout, string Stderr);

/// <summary>
/// Runs a real program (dpkg-deb, tar, xz, dotnet, ...) with its output captured; both pipes are
/// drained at once so a chatty tool cannot block. A missing program is a test failure, never a
/// skip: CI installs every tool the tests use. Shared by the test projects (tests/Shared).
/// </summary>
internal static class ProcessRunner
{
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static ProcessOutput Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? stdin = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
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

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
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
        return new ProcessOutput(process.ExitCode, stdout.ToArray(), stderr.Result);
    }
}
