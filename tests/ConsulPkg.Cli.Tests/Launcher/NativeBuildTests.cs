using System.Globalization;
using ConsulPkg.Cli.Tests.DpkgDeb;
using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Testing.Releases;
using ConsulPkg.Testing.Tutorial;

namespace ConsulPkg.Cli.Tests.Launcher;

/// <summary>
/// The NativeAOT executable, published by build/consul-pkg the way a developer gets it (the
/// launcher picks it on its own where clang and the zlib headers are installed, as in CI): every
/// command runs with it, and it writes the same bytes as the JIT build. Both are published from a
/// copy of the sources, so a reflection use that breaks only the trimmed executable fails here.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category(TestCategories.Publish)]
public sealed class NativeBuildTests
{
    private static readonly string Epoch = CliRunner.Epoch.ToString(CultureInfo.InvariantCulture);

    private SourceCheckout _checkout = null!;
    private ProcessResult _firstNativeRun = null!;
    private string _native = null!;
    private string _jit = null!;
    private TempDirectory _work = null!;
    private TempDirectory _tree = null!;
    private FakeReleaseServer _server = null!;

    [OneTimeSetUp]
    public void PublishBothBuilds()
    {
        _checkout = new SourceCheckout();
        _firstNativeRun = _checkout.RunLauncher(new Dictionary<string, string> { ["CONSUL_PKG_ARTIFACTS"] = _checkout.Combine("native") }, "--version");
        ProcessResult jit = _checkout.RunLauncher(
            new Dictionary<string, string> { ["CONSUL_PKG_ARTIFACTS"] = _checkout.Combine("jit"), ["CONSUL_PKG_BUILD"] = "jit" }, "--version");
        Assert.That(jit.ExitCode, Is.Zero, jit.StdErr);
        _native = _checkout.Combine("native", "bin", "consul-pkg");
        _jit = _checkout.Combine("jit", "bin", "consul-pkg");

        _work = new TempDirectory();
        _work.WriteFile("test-key.asc", TestKeys.Trusted.ArmoredPublicKey);
        _work.WriteFile("gossip.key", TestKeys.GossipKeyBase64 + "\n");
        _tree = new TempDirectory();
        SeedTree.Create(_tree);
        _server = new FakeReleaseServer();
        new FakeRelease("0.7.5").Publish(_server, TestKeys.Trusted);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _server?.Dispose();
        _work?.Dispose();
        _tree?.Dispose();
        _checkout?.Dispose();
    }

    [Test]
    public void TheLauncherPicksTheNativeExecutableWhereItCanAndSaysSoOnce()
    {
        ProcessResult again = _checkout.RunLauncher(new Dictionary<string, string> { ["CONSUL_PKG_ARTIFACTS"] = _checkout.Combine("native") }, "--version");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_firstNativeRun.ExitCode, Is.Zero, _firstNativeRun.StdErr);
            Assert.That(_firstNativeRun.StdErr, Is.EqualTo("consul-pkg: publishing the native executable (once, a few minutes)\n"));
            Assert.That(again.StdErr, Is.Empty, "said once, on the run that published");
            Assert.That(again.StdOut, Is.EqualTo(_firstNativeRun.StdOut));
            Assert.That(File.Exists(Path.ChangeExtension(_native, ".dll")), Is.False, "no managed assembly beside the native executable");
            Assert.That(File.ReadAllBytes(_native).AsSpan(0, 4).ToArray(), Is.EqualTo("\u007fELF"u8.ToArray()));
        }
    }

    [Test]
    public void BesideTheNativeToolIsASmallDpkgDebExecutableAndBesideTheJitBuildALinkToTheTool()
    {
        string small = NativeDpkgDeb;
        var jitLink = new FileInfo(_checkout.Combine("jit", "bin", "bin", "dpkg-deb"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllBytes(small).AsSpan(0, 4).ToArray(), Is.EqualTo("\u007fELF"u8.ToArray()));
            Assert.That(new FileInfo(small).LinkTarget, Is.Null, "an executable of its own, not a link");
            // What it is for: the front end alone, so far less to map and relocate at every start.
            Assert.That(new FileInfo(small).Length, Is.LessThan(new FileInfo(_native).Length / 4));
            Assert.That(jitLink.LinkTarget, Is.EqualTo("../consul-pkg"));
        }
    }

    private static IEnumerable<TestCaseData> DpkgDebCases() => DpkgDebLinkTests.Cases("TheNativeDpkgDebExecutable");

    [TestCaseSource(nameof(DpkgDebCases))]
    public void TheDpkgDebExecutableBehavesAsDpkgDeb(string[] operation) =>
        DpkgDebLinkTests.AssertBehavesAsDpkgDeb(NativeDpkgDeb, operation, DpkgDebRunner.Environment);

    private string NativeDpkgDeb => _checkout.Combine("native", "bin", "bin", "dpkg-deb");

    [TestCase("gz")]
    [TestCase("xz")]
    [TestCase("zst")]
    [TestCase("none")]
    public void FpmPackagesAreByteIdenticalToTheJitBuilds(string compression)
    {
        string[] fpm = [.. SeedTree.FpmArguments[..^1], "--deb-compression", compression, "-p", "OUT", "."];
        byte[] native = BuildWith(_native, fpm, _tree.Path);
        byte[] jit = BuildWith(_jit, fpm, _tree.Path);
        Assert.That(native, Is.EqualTo(jit));
    }

    [Test]
    public void ConsulPackagesAreByteIdenticalToTheJitBuilds()
    {
        string[] build = ["build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--gossip-key-file", "gossip.key", "--output", "OUT"];
        byte[] native = BuildWith(_native, build, _work.Path);
        byte[] jit = BuildWith(_jit, build, _work.Path);
        Assert.That(native, Is.EqualTo(jit));
    }

    [Test]
    public void EveryCommandRunsWithTheNativeExecutable()
    {
        string deb = _work.Combine("smoke.deb");
        ProcessResult fpm = Run(_native, [.. SeedTree.FpmArguments[..^1], "-p", deb, "-f", "."], _tree.Path);
        ProcessResult build = Native("build", "--consul-version", "0.7.5", "--trusted-key", "test-key.asc", "--output", _work.Combine("consul.deb"), "--force");
        ProcessResult contents = Native("contents", deb);
        ProcessResult info = Native("info", deb);
        ProcessResult field = Native("info", deb, "Version");
        ProcessResult extract = Native("extract", deb, _work.Combine("extracted"));
        ProcessResult keygen = Native("keygen", "--bytes", "32");
        ProcessResult configs = Native("configs", "--output", _work.Combine("configs"));
        using (Assert.EnterMultipleScope())
        {
            foreach (ProcessResult r in new[] { fpm, build, contents, info, field, extract, keygen, configs })
            {
                Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            }

            Assert.That(contents.StdOut, Is.EqualTo(ProcessRunner.RunUtc("dpkg-deb", "-c", deb).StdOut));
            Assert.That(info.StdOut, Is.EqualTo(ProcessRunner.RunUtc("dpkg-deb", "-I", deb).StdOut));
            Assert.That(field.StdOut, Is.EqualTo("0.7.2-1\n"));
            Assert.That(File.ReadAllText(_work.Combine("extracted", "usr", "local", "bin", "consul")), Does.Contain("consul stand-in"));
            Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", _work.Combine("consul.deb"), "Version").StdOut, Is.EqualTo("0.7.5-1\n"));
            Assert.That(Convert.FromBase64String(keygen.StdOut.Trim()), Has.Length.EqualTo(32));
            Assert.That(File.ReadAllText(_work.Combine("configs", "server", "consul.json")), Does.Contain("\"server\": true"));
            Assert.That(build.StdOut + build.StdErr + configs.StdOut + configs.StdErr, Does.Not.Contain(TestKeys.GossipKeyBase64));
        }
    }

    [Test]
    public void BadInputGetsTheSameOneLineFromTheNativeExecutable()
    {
        ProcessResult native = Native("fpm", "-s", "dir", "-t", "rpm", "-n", "consul", ".");
        Assert.Multiple(() =>
        {
            Assert.That(native.ExitCode, Is.EqualTo(2));
            Assert.That(native.StdErr, Is.EqualTo("consul-pkg: unsupported output type '-t rpm': consul-pkg fpm writes only '-t deb' (see 'consul-pkg fpm --help')\n"));
        });
    }

    /// <summary>Runs one build with <paramref name="tool"/>, OUT replaced by a fresh file name, and returns the package.</summary>
    private byte[] BuildWith(string tool, string[] arguments, string workingDirectory)
    {
        string output = _work.Combine(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(tool)))! + "-" + Guid.NewGuid().ToString("N") + ".deb");
        ProcessResult r = Run(tool, arguments.Select(a => a == "OUT" ? output : a).ToArray(), workingDirectory);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        return File.ReadAllBytes(output);
    }

    private ProcessResult Native(params string[] arguments) => Run(_native, arguments, _work.Path);

    private ProcessResult Run(string tool, string[] arguments, string workingDirectory) => ProcessRunner.RunUtc(tool, arguments, new Dictionary<string, string?>
    {
        ["SOURCE_DATE_EPOCH"] = Epoch,
        ["CONSUL_PKG_RELEASE_URL"] = _server.BaseUrl.ToString(),
        ["XDG_CACHE_HOME"] = _work.Combine("cache"),
        ["CONSUL_PKG_GOSSIP_KEY"] = TestKeys.GossipKeyBase64,
    }, workingDirectory);
}
