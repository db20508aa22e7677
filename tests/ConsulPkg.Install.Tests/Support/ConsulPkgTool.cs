namespace ConsulPkg.Install.Tests.Support;

/// <summary>Runs the built <c>consul-pkg</c> command line (copied beside the tests by the project reference).</summary>
public static class ConsulPkgTool
{
    /// <summary>A fixed SOURCE_DATE_EPOCH (2016-12-05, the seed's consul 0.7.2 era): builds are reproducible.</summary>
    public const string SourceDateEpoch = "1480956780";

    public static string AssemblyPath { get; } = Path.Combine(AppContext.BaseDirectory, "consul-pkg.dll");

    public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? extraEnvironment, params string[] arguments)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value ?? string.Empty;
        }

        environment["SOURCE_DATE_EPOCH"] = SourceDateEpoch;
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return ProcessRunner.Run("dotnet", [AssemblyPath, .. arguments], environment, workingDirectory);
    }

    public static ProcessResult Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, null, arguments);
}
