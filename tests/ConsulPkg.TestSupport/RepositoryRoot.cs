namespace ConsulPkg.Testing;

/// <summary>The source checkout the tests run from (tests read build/ scripts and sources from it).</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest directory above the test assembly holding global.json and build/consul-pkg.</summary>
    public static string Find()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "global.json")) && File.Exists(Path.Combine(d.FullName, "build", "consul-pkg")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repository root (global.json, build/consul-pkg) not found above " + AppContext.BaseDirectory);
    }
}
