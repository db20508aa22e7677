using System.Diagnostics;

namespace ConsulPkg.Testing;

/// <summary>
/// The one way the tests run a real program (dpkg-deb, tar, lintian, dotnet, the launcher, ...):
/// arguments passed as a list (never through a shell unless the test asks for one), stdin given
/// or closed, both output pipes drained at once so a chatty tool cannot block, and always a
/// timeout, after which the whole process tree is killed and the test fails with what it had
/// printed. A missing program is a test failure, never a skip: CI installs every tool the tests use.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Long enough for a debootstrap or a native publish; a hung tool still ends the test.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>UTC and a UTF-8 C locale: dates and names in listings do not depend on the machine.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Utc = new Dictionary<string, string?>
    {
        ["LC_ALL"] = "C.UTF-8",
        ["TZ"] = "UTC",
    };

    /// <param name="program">A name looked up on PATH, or a path.</param>
    /// <param name="arguments">Passed to the program as they are.</param>
    /// <param name="workingDirectory">Default: the test's current directory.</param>
    /// <param name="environment">Variables to set; a null value removes one.</param>
    /// <param name="stdin">Bytes written to the program's stdin, which is then closed; with none it is closed at once.</param>
    /// <param name="timeout">Default <see cref="DefaultTimeout"/>.</param>
    /// <param name="inheritEnvironment">
    /// False: the program gets exactly <paramref name="environment"/> (commands run inside a
    /// Debian root must not see the test host's DOTNET_*, proxy or locale settings).
    /// </param>
    public static ProcessResult Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? stdin = null, TimeSpan? timeout = null,
        bool inheritEnvironment = true)
    {
        using RunningProcess process = Start(program, arguments, workingDirectory, environment, stdin, inheritEnvironment);
        return process.Finish(timeout);
    }

    public static ProcessResult Run(string program, params string[] arguments) => Run(program, (IEnumerable<string>)arguments);

    /// <summary><see cref="Run(string, string[])"/> under <see cref="Utc"/>.</summary>
    public static ProcessResult RunUtc(string program, params string[] arguments) => Run(program, arguments, environment: Utc);

    /// <summary><see cref="Run(string, IEnumerable{string}, string?, IReadOnlyDictionary{string, string?}?, byte[]?, TimeSpan?, bool)"/> under <see cref="Utc"/> plus <paramref name="environment"/>.</summary>
    public static ProcessResult RunUtc(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        Run(program, arguments, workingDirectory, Merge(Utc, environment));

    /// <summary>
    /// Starts <paramref name="program"/> and returns at once, for a test that acts on it while it
    /// runs (sends it a signal); <see cref="RunningProcess.Finish"/> waits for it with a timeout.
    /// Its output is drained from the start.
    /// </summary>
    public static RunningProcess Start(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? stdin = null, bool inheritEnvironment = true)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!inheritEnvironment)
        {
            info.Environment.Clear();
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
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

        return new RunningProcess(info, stdin);
    }

    /// <summary>
    /// The test host's own build settings (MSBuild*, DOTNET_HOST_PATH) as removals, for a child
    /// that runs its own dotnet build or publish: inherited, they would point it at the test
    /// host's MSBuild instead of its own.
    /// </summary>
    public static Dictionary<string, string?> WithoutHostBuildSettings(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name == "DOTNET_HOST_PATH")
            {
                result[name] = null;
            }
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            result[name] = value;
        }

        return result;
    }

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> first, IReadOnlyDictionary<string, string?>? second)
    {
        var merged = new Dictionary<string, string?>(first, StringComparer.Ordinal);
        foreach ((string name, string? value) in second ?? new Dictionary<string, string?>())
        {
            merged[name] = value;
        }

        return merged;
    }
}
