namespace ConsulPkg.Cli.Tests.Support;

/// <summary>The source checkout the tests run from (tests read build/ scripts and test data from it).</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "global.json")) && File.Exists(Path.Combine(d.FullName, "build", "consul-pkg")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repository root (global.json, build/consul-pkg) not found above the test directory");
    }
}
