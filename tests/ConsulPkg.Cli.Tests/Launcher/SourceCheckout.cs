namespace ConsulPkg.Cli.Tests.Launcher;

/// <summary>
/// A copy of the sources the launcher (build/consul-pkg) needs, in a temporary directory, so a
/// test can publish, touch and break them without disturbing the checkout.
/// </summary>
internal sealed class SourceCheckout : IDisposable
{
    private static readonly string[] CopiedFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props", "build/consul-pkg"];
    private static readonly string[] CopiedTrees = ["src", "templates"];

    private readonly TempDirectory _directory = new();

    public SourceCheckout()
    {
        string root = RepositoryRoot.Find();
        foreach (string file in CopiedFiles)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Combine(file))!);
            File.Copy(System.IO.Path.Combine(root, file), Combine(file));
        }

        foreach (string tree in CopiedTrees.Where(t => Directory.Exists(System.IO.Path.Combine(root, t))))
        {
            CopySources(System.IO.Path.Combine(root, tree), Combine(tree));
        }
    }

    public string Path => _directory.Path;

    public string Launcher => Combine("build", "consul-pkg");

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public string WriteFile(string relative, string content) => _directory.WriteFile(relative, content);

    /// <summary>
    /// Runs build/consul-pkg with <paramref name="environment"/> added (CONSUL_PKG_BUILD,
    /// CONSUL_PKG_ARTIFACTS...), in the checkout. The test host's build settings and the
    /// launcher's own variables are not inherited; a native publish may take many minutes on a
    /// loaded machine, hence the long timeout.
    /// </summary>
    public ProcessResult RunLauncher(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        Dictionary<string, string?> variables = ProcessRunner.WithoutHostBuildSettings();
        variables["CONSUL_PKG_ARTIFACTS"] = null;
        variables["CONSUL_PKG_BUILD"] = null;
        variables["LC_ALL"] = "C.UTF-8";
        foreach ((string key, string value) in environment)
        {
            variables[key] = value;
        }

        return ProcessRunner.Run(Launcher, arguments, Path, variables, timeout: TimeSpan.FromMinutes(30));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Copies a source tree without build outputs, keeping file modes (the launcher is executable).</summary>
    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.EnumerateDirectories(from))
        {
            string name = System.IO.Path.GetFileName(dir);
            if (name is not ("bin" or "obj"))
            {
                CopySources(dir, System.IO.Path.Combine(to, name));
            }
        }

        foreach (string file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        }
    }
}
