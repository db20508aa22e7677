using System.Diagnostics;
using ConsulPkg.Cli.Tests.Support;

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
    /// CONSUL_PKG_ARTIFACTS...), in the checkout.
    /// </summary>
    public ToolResult RunLauncher(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var psi = new ProcessStartInfo(Launcher)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        // The test host's MSBuild settings must not leak into the launcher's own dotnet publish.
        foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList())
        {
            psi.Environment.Remove(key);
        }

        psi.Environment.Remove("CONSUL_PKG_ARTIFACTS");
        psi.Environment.Remove("CONSUL_PKG_BUILD");
        psi.Environment["LC_ALL"] = "C.UTF-8";
        foreach ((string key, string value) in environment)
        {
            psi.Environment[key] = value;
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the launcher");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new ToolResult(p.ExitCode, stdout, stderr.Result);
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
