using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Launcher;

/// <summary>
/// build/consul-pkg, the README's entry point, run for real on a copy of the sources (so that
/// touching and breaking them cannot disturb the checkout): it publishes once, says once which
/// build it published, passes arguments and exit codes through, rebuilds only when a source is
/// newer than its stamp, and shows the build output only when the build fails. The JIT build is
/// forced here because it publishes fastest; <see cref="NativeBuildTests"/> covers the native one.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LauncherTests
{
    private const string JitNotice =
        "consul-pkg: publishing the JIT build (once); for the native executable, which starts about ten times faster, apt-get install clang zlib1g-dev\n";

    private static readonly Dictionary<string, string> ForceJit = new() { ["CONSUL_PKG_BUILD"] = "jit" };

    private SourceCheckout _checkout = null!;
    private string _stamp = null!;
    private string _published = null!;

    [OneTimeSetUp]
    public void CopySources()
    {
        _checkout = new SourceCheckout();
        _stamp = _checkout.Combine(".artifacts", "bin.stamp");
        _published = _checkout.Combine(".artifacts", "bin", "consul-pkg.dll");
    }

    [OneTimeTearDown]
    public void RemoveCheckout() => _checkout.Dispose();

    [Test]
    [Order(1)]
    public void FirstRunPublishesSayingWhichBuildAndRunsTheTool()
    {
        ToolResult r = RunLauncher("--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.EqualTo(JitNotice), "one line: which build, and how to get the faster one");
            Assert.That(r.StdOut, Does.Match(@"^\d+\.\d+\.\d+\S*\n$"));
            Assert.That(File.Exists(_published), Is.True);
            Assert.That(File.ReadAllText(_stamp), Does.StartWith("jit "), "the stamp records the kind of build");
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
    public void DoesNotRebuildOrSpeakWhenNothingChanged()
    {
        DateTime stamp = File.GetLastWriteTimeUtc(_stamp);
        DateTime published = File.GetLastWriteTimeUtc(_published);
        ToolResult r = RunLauncher("--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.Empty);
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
            Assert.That(r.StdErr, Is.EqualTo(JitNotice));
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
                Assert.That(r.StdErr, Does.StartWith(JitNotice));
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

    [Test]
    [Order(6)]
    public void AnUnknownBuildKindIsRefusedByName()
    {
        ToolResult r = _checkout.RunLauncher(new Dictionary<string, string> { ["CONSUL_PKG_BUILD"] = "fast" }, "--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: CONSUL_PKG_BUILD='fast' is not native, jit or auto: unset it or pick one\n"));
        });
    }

    private ToolResult RunLauncher(params string[] arguments) => _checkout.RunLauncher(ForceJit, arguments);
}
