namespace ConsulPkg.Cli.Tests.Launcher;

/// <summary>
/// build/consul-pkg, the README's entry point, run for real on a copy of the sources (so that
/// touching and breaking them cannot disturb the checkout): it publishes once, says once which
/// build it published, passes arguments and exit codes through, rebuilds only when a source is
/// newer than its stamp, and shows the build output only when the build fails. The JIT build is
/// forced here because it publishes fastest; <see cref="NativeBuildTests"/> covers the native one.
/// The one publish every test needs happens once, in the fixture; a test that changes what the
/// launcher sees (the stamp, a broken source) works on its own copy of the published tool, so
/// each test stands alone and they may run in any order.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category(TestCategories.Publish)]
public sealed class LauncherTests
{
    private const string JitNotice =
        "consul-pkg: publishing the JIT build (once); for the native executable, which starts about ten times faster, apt-get install clang zlib1g-dev\n";

    private SourceCheckout _checkout = null!;
    private ProcessResult _firstRun = null!;
    private TempDirectory _copies = null!;

    [OneTimeSetUp]
    public void PublishOnce()
    {
        _checkout = new SourceCheckout();
        _copies = new TempDirectory();
        _firstRun = RunLauncher(Artifacts, "--version");
    }

    [OneTimeTearDown]
    public void RemoveCheckout()
    {
        _checkout?.Dispose();
        _copies?.Dispose();
    }

    /// <summary>Where the fixture's publish lives (the launcher's default, .artifacts/ in the checkout).</summary>
    private string Artifacts => _checkout.Combine(".artifacts");

    [Test]
    public void FirstRunPublishesSayingWhichBuildAndRunsTheTool()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_firstRun.ExitCode, Is.Zero, _firstRun.StdErr);
            Assert.That(_firstRun.StdErr, Is.EqualTo(JitNotice), "one line: which build, and how to get the faster one");
            Assert.That(_firstRun.StdOut, Does.Match(@"^\d+\.\d+\.\d+\S*\n$"));
            Assert.That(File.Exists(Published(Artifacts)), Is.True);
            Assert.That(File.ReadAllText(Stamp(Artifacts)), Does.StartWith("jit "), "the stamp records the kind of build");
        });
    }

    [Test]
    public void PassesArgumentsAndExitCodesThrough()
    {
        string missing = _checkout.Combine("no such dir", "x.deb");
        ProcessResult failure = RunLauncher(Artifacts, "info", missing);
        ProcessResult usage = RunLauncher(Artifacts, "--no-such-option");
        ProcessResult help = RunLauncher(Artifacts, "fpm", "--help");
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
    public void DoesNotRebuildOrSpeakWhenNothingChanged()
    {
        DateTime stamp = File.GetLastWriteTimeUtc(Stamp(Artifacts));
        DateTime published = File.GetLastWriteTimeUtc(Published(Artifacts));
        ProcessResult r = RunLauncher(Artifacts, "--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.Empty);
            Assert.That(File.GetLastWriteTimeUtc(Stamp(Artifacts)), Is.EqualTo(stamp), "no publish ran");
            Assert.That(File.GetLastWriteTimeUtc(Published(Artifacts)), Is.EqualTo(published));
        });
    }

    [Test]
    public void RebuildsWhenASourceIsNewerThanTheStamp()
    {
        string artifacts = CopyOfThePublishedTool();
        // A stamp from 2000 is older than every source, without touching the checkout's sources
        // (which the other tests' publish is stamped against).
        DateTime past = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Stamp(artifacts), past);
        ProcessResult r = RunLauncher(artifacts, "--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.EqualTo(JitNotice));
            Assert.That(File.GetLastWriteTimeUtc(Stamp(artifacts)), Is.GreaterThan(past), "the stamp was renewed by a publish");
        });
    }

    [Test]
    public void BuildFailureShowsTheBuildOutputOnStderrAndKeepsTheOldTool()
    {
        string artifacts = CopyOfThePublishedTool();
        DateTime stamp = File.GetLastWriteTimeUtc(Stamp(artifacts));
        string broken = _checkout.WriteFile("src/ConsulPkg.Cli/Broken.cs", "namespace ConsulPkg.Cli; internal static class Broken { int }\n");
        try
        {
            ProcessResult r = RunLauncher(artifacts, "--version");
            Assert.Multiple(() =>
            {
                Assert.That(r.ExitCode, Is.EqualTo(1));
                Assert.That(r.StdOut, Is.Empty, "the tool did not run");
                Assert.That(r.StdErr, Does.StartWith(JitNotice));
                Assert.That(r.StdErr, Does.Contain("Broken.cs").And.Contain("error CS"));
                Assert.That(r.StdErr, Does.EndWith("consul-pkg: building the tool failed (output above, also in " + Path.Combine(artifacts, "publish.log") + ")\n"));
                Assert.That(File.GetLastWriteTimeUtc(Stamp(artifacts)), Is.EqualTo(stamp), "a failed build leaves the stamp alone, so the next run retries");
                Assert.That(File.Exists(Published(artifacts)), Is.True);
            });
        }
        finally
        {
            // The stamp digests the input names, so with the file gone the sources are as the fixture published them.
            File.Delete(broken);
        }
    }

    [Test]
    public void AnUnknownBuildKindIsRefusedByName()
    {
        ProcessResult r = _checkout.RunLauncher(new Dictionary<string, string> { ["CONSUL_PKG_BUILD"] = "fast" }, "--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: CONSUL_PKG_BUILD='fast' is not native, jit or auto: unset it or pick one\n"));
        });
    }

    private static string Stamp(string artifacts) => Path.Combine(artifacts, "bin.stamp");

    private static string Published(string artifacts) => Path.Combine(artifacts, "bin", "consul-pkg.dll");

    /// <summary>The fixture's published tool and stamp copied (times and modes kept) for a test that changes them.</summary>
    private string CopyOfThePublishedTool()
    {
        string copy = _copies.Combine(TestContext.CurrentContext.Test.MethodName!);
        ProcessRunner.Run("cp", "-a", "--", Artifacts, copy).EnsureSuccess();
        return copy;
    }

    private ProcessResult RunLauncher(string artifacts, params string[] arguments) =>
        _checkout.RunLauncher(new Dictionary<string, string> { ["CONSUL_PKG_BUILD"] = "jit", ["CONSUL_PKG_ARTIFACTS"] = artifacts }, arguments);
}
