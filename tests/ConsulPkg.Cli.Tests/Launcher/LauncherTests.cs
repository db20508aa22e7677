using System.Diagnostics;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Launcher;

/// <summary>
/// build/consul-pkg, the README's entry point, run for real on a copy of the sources (so that
/// touching and breaking them cannot disturb the checkout): it publishes once, stays quiet,
/// passes arguments and exit codes through, rebuilds only when a source is newer than its stamp,
/// and shows the build output only when the build fails.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LauncherTests
{
    private static readonly string[] CopiedFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props", "build/consul-pkg"];
    private static readonly string[] CopiedTrees = ["src", "templates"];

    private TempDirectory _checkout = null!;
    private string _launcher = null!;
    private string _stamp = null!;
    private string _published = null!;

    [OneTimeSetUp]
    public void PublishOnce()
    {
        _checkout = new TempDirectory();
        string root = RepositoryRoot.Find();
        foreach (string file in CopiedFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_checkout.Combine(file))!);
            File.Copy(Path.Combine(root, file), _checkout.Combine(file));
        }

        foreach (string tree in CopiedTrees.Where(t => Directory.Exists(Path.Combine(root, t))))
        {
            CopySources(Path.Combine(root, tree), _checkout.Combine(tree));
        }

        _launcher = _checkout.Combine("build", "consul-pkg");
        _stamp = _checkout.Combine(".artifacts", "bin.stamp");
        _published = _checkout.Combine(".artifacts", "bin", "consul-pkg.dll");
    }

    [OneTimeTearDown]
    public void RemoveCheckout() => _checkout.Dispose();

    [Test]
    [Order(1)]
    public void FirstRunPublishesQuietlyAndRunsTheTool()
    {
        ToolResult r = RunLauncher("--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.Empty, "a successful build prints nothing");
            Assert.That(r.StdOut, Does.Match(@"^\d+\.\d+\.\d+\S*\n$"));
            Assert.That(File.Exists(_published), Is.True);
            Assert.That(File.Exists(_stamp), Is.True);
        });
    }

    [Test]
    [Order(2)]
    public void PassesArgumentsAndExitCodesThrough()
    {
        string missing = _checkout.Combine("no such dir", "x.deb");
        ToolResult failure = RunLauncher("info", missing);
        ToolResult usage = RunLauncher("--no-such-option");
        ToolResult help = RunLauncher("fpm", "--help");
        Assert.Multiple(() =>
        {
            Assert.That(failure.ExitCode, Is.EqualTo(1));
            Assert.That(failure.StdErr, Does.StartWith($"consul-pkg: {missing}"), "an argument with a space arrives as one argument");
            Assert.That(usage.ExitCode, Is.EqualTo(2));
            Assert.That(usage.StdErr, Does.Contain("'--no-such-option'"));
            Assert.That(help.ExitCode, Is.Zero);
            Assert.That(help.StdOut, Does.Contain("--deb-compression"));
        });
    }

    [Test]
    [Order(3)]
    public void DoesNotRebuildWhenNothingChanged()
    {
        DateTime stamp = File.GetLastWriteTimeUtc(_stamp);
        DateTime published = File.GetLastWriteTimeUtc(_published);
        ToolResult r = RunLauncher("--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(File.GetLastWriteTimeUtc(_stamp), Is.EqualTo(stamp), "no publish ran");
            Assert.That(File.GetLastWriteTimeUtc(_published), Is.EqualTo(published));
        });
    }

    [Test]
    [Order(4)]
    public void RebuildsWhenASourceIsNewerThanTheStamp()
    {
        DateTime past = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(_stamp, past);
        File.SetLastWriteTimeUtc(_checkout.Combine("src", "ConsulPkg.Cli", "Program.cs"), DateTime.UtcNow);
        ToolResult r = RunLauncher("--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.Empty);
            Assert.That(File.GetLastWriteTimeUtc(_stamp), Is.GreaterThan(past.AddMinutes(30)), "the stamp was renewed by a publish");
        });
    }

    [Test]
    [Order(5)]
    public void BuildFailureShowsTheBuildOutputOnStderrAndKeepsTheOldTool()
    {
        string broken = _checkout.WriteFile("src/ConsulPkg.Cli/Broken.cs", "namespace ConsulPkg.Cli; internal static class Broken { int }\n");
        DateTime stamp = File.GetLastWriteTimeUtc(_stamp);
        try
        {
            ToolResult r = RunLauncher("--version");
            Assert.Multiple(() =>
            {
                Assert.That(r.ExitCode, Is.EqualTo(1));
                Assert.That(r.StdOut, Is.Empty, "the tool did not run");
                Assert.That(r.StdErr, Does.Contain("Broken.cs").And.Contain("error CS"));
                Assert.That(r.StdErr, Does.EndWith("consul-pkg: building the tool failed (output above, also in " + _checkout.Combine(".artifacts", "publish.log") + ")\n"));
                Assert.That(File.GetLastWriteTimeUtc(_stamp), Is.EqualTo(stamp), "a failed build leaves the stamp alone, so the next run retries");
                Assert.That(File.Exists(_published), Is.True);
            });
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private ToolResult RunLauncher(params string[] arguments)
    {
        var psi = new ProcessStartInfo(_launcher)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _checkout.Path,
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
        psi.Environment["LC_ALL"] = "C.UTF-8";
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the launcher");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new ToolResult(p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Copies a source tree without build outputs, keeping file modes (the launcher is executable).</summary>
    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.EnumerateDirectories(from))
        {
            string name = Path.GetFileName(dir);
            if (name is not ("bin" or "obj"))
            {
                CopySources(dir, Path.Combine(to, name));
            }
        }

        foreach (string file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
