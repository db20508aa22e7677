using System.Runtime.CompilerServices;

namespace ConsulPkg.Consul.Tests.Support;

/// <summary>
/// Golden files under tests/ConsulPkg.Consul.Tests/Golden. To refresh after an intended change,
/// run the tests with UPDATE_GOLDEN=1 and review the diff before committing.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        string directory = Path.Combine(FindProjectDirectory(callerFile), "Golden");
        string path = Path.Combine(directory, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, actual);
        }

        Assert.That(path, Does.Exist, "golden file missing: run the tests with UPDATE_GOLDEN=1 once and review it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"differs from {path} (UPDATE_GOLDEN=1 refreshes it)");
    }

    private static string FindProjectDirectory(string callerFile)
    {
        string? dir = Path.GetDirectoryName(callerFile);
        while (dir is not null && !File.Exists(Path.Combine(dir, "ConsulPkg.Consul.Tests.csproj")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException($"no test project above {callerFile}");
    }
}
