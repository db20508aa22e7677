using System.Globalization;

namespace ConsulPkg.Testing;

/// <summary>
/// Runs the built consul-pkg command line as a pipeline runs it: <c>dotnet consul-pkg.dll</c>
/// from beside the test assembly (a test project that references ConsulPkg.Cli gets it copied
/// there), through <see cref="ProcessRunner"/> under <see cref="ProcessRunner.Utc"/> and with a
/// fixed SOURCE_DATE_EPOCH, so what it builds and prints does not depend on the machine or the day.
/// </summary>
public static class ConsulPkgProcess
{
    /// <summary>2016-12-05 16:53 UTC, the seed tutorial's build date.</summary>
    public const long SeedEpoch = 1_480_956_780;

    public static string AssemblyPath { get; } = Path.Combine(AppContext.BaseDirectory, "consul-pkg.dll");

    /// <param name="environment">Added to the inherited environment; a null value removes a variable.</param>
    public static ProcessResult Run(IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, long sourceDateEpoch = SeedEpoch)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException("consul-pkg.dll is not beside the tests: does the test project reference ConsulPkg.Cli?", AssemblyPath);
        }

        var variables = new Dictionary<string, string?>(ProcessRunner.Utc, StringComparer.Ordinal)
        {
            ["SOURCE_DATE_EPOCH"] = sourceDateEpoch.ToString(CultureInfo.InvariantCulture),
        };
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return ProcessRunner.Run("dotnet", [AssemblyPath, .. arguments], workingDirectory, variables);
    }

    public static ProcessResult Run(string workingDirectory, params string[] arguments) => Run(arguments, workingDirectory);
}
