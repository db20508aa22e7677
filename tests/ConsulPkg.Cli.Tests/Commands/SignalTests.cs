using System.Globalization;
using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Testing.Releases;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>
/// Real signals to the real executable: SIGINT or SIGTERM while a package is being written or
/// a release downloaded removes every temporary and exits 130 or 143 with one line; SIGKILL
/// cannot leave the data member's temporary (which holds the configs, gossip key included)
/// named on disk, because it never has a name.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SignalTests
{
    private const int SigInt = 2, SigKill = 9, SigTerm = 15;

    /// <summary>
    /// Only against a hang, never what a test waits for: each signal is sent on an event (the
    /// package's temporary appearing, the server receiving the request), and a signalled process
    /// then ends on its own. Ending is not instant: an xz block already in the encoder is
    /// compressed to its end first (1 to 3 s on an idle machine, many times that under load).
    /// </summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    private TempDirectory _temp = null!;
    private string _tmp = null!;
    private string _out = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _tmp = Directory.CreateDirectory(_temp.Combine("tmp")).FullName;
        _out = Directory.CreateDirectory(_temp.Combine("out")).FullName;
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase(SigInt, 130)]
    [TestCase(SigTerm, 143)]
    public void ASignalWhileWritingAPackageRemovesEveryTemporary(int signal, int exitCode)
    {
        using RunningProcess fpm = StartFpmOnALargeTree();
        SignalOnceThePackageTemporaryAppears(fpm, signal);
        ProcessResult r = fpm.Finish(HangGuard);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(exitCode), r.StdErr);
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: interrupted; nothing was written\n"));
            Assert.That(Directory.EnumerateFileSystemEntries(_out), Is.Empty, "output directory");
            Assert.That(Directory.EnumerateFileSystemEntries(_tmp), Is.Empty, "TMPDIR");
        });
    }

    [Test]
    public void SigkillCannotLeaveTheDataTemporaryNamedOnDisk()
    {
        using RunningProcess fpm = StartFpmOnALargeTree();
        string packageTemporary = SignalOnceThePackageTemporaryAppears(fpm, SigKill);
        fpm.Finish(HangGuard);
        // The package's own temporary is named until it is renamed into place; the data member's never is.
        Assert.That(Directory.EnumerateFileSystemEntries(_out).Select(Path.GetFileName), Is.EquivalentTo(new[] { Path.GetFileName(packageTemporary) }));
        Assert.That(Directory.EnumerateFileSystemEntries(_tmp), Is.Empty, "TMPDIR");
    }

    [Test]
    public async Task SigintDuringADownloadRemovesTheWorkDirectoryAndExits130()
    {
        using var server = new FakeReleaseServer();
        var release = new FakeRelease("0.7.5");
        release.Publish(server, TestKeys.Trusted);
        server.FailAlways(release.Dir + release.ZipName, Fault.StallAfterHeaders);
        string key = _temp.WriteFile("test-key.asc", TestKeys.Trusted.ArmoredPublicKey);
        using RunningProcess build = Start(["build", "--consul-version", "0.7.5", "--maintainer", "Ops <ops@example.org>", "--trusted-key", key, "--release-url", server.BaseUrl.ToString(), "--output", _out],
            new() { ["CONSUL_PKG_GOSSIP_KEY"] = TestKeys.GossipKeyBase64, ["XDG_CACHE_HOME"] = _temp.Combine("cache") });
        Task arrived = server.RequestArrived(release.Dir + release.ZipName);
        Assert.That(await Task.WhenAny(arrived, Task.Delay(HangGuard)), Is.SameAs(arrived), "the zip was never requested");
        Assert.That(Directory.EnumerateDirectories(_tmp), Is.Not.Empty, "the build's work directory exists while it downloads");
        build.Signal(SigInt);
        ProcessResult r = build.Finish(HangGuard);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(130), r.StdErr);
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: interrupted; nothing was written\n"));
            Assert.That(Directory.EnumerateFileSystemEntries(_tmp), Is.Empty, "TMPDIR: the work directory and its download");
            Assert.That(Directory.EnumerateFileSystemEntries(_out), Is.Empty);
        });
    }

    /// <summary>fpm with xz on 48 MiB that does not compress: seconds of work, so a signal lands mid-write.</summary>
    private RunningProcess StartFpmOnALargeTree()
    {
        string tree = Directory.CreateDirectory(_temp.Combine("tree", "usr", "lib", "big")).FullName;
        byte[] noise = new byte[48 << 20];
        new Random(7).NextBytes(noise);
        File.WriteAllBytes(Path.Combine(tree, "blob"), noise);
        _temp.WriteFile("tree/etc/secret.json", "{\"encrypt\": \"" + TestKeys.GossipKeyBase64 + "\"}\n");
        return Start(["fpm", "-s", "dir", "-t", "deb", "-n", "big", "-v", "1.0", "--deb-compression", "xz", "-C", _temp.Combine("tree"), "-p", _out, "."], []);
    }

    private RunningProcess Start(string[] arguments, Dictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment)
        {
            ["TMPDIR"] = _tmp,
            // No runtime diagnostic pipes in TMPDIR: SIGKILL would leave those, and they are not ours.
            ["DOTNET_EnableDiagnostics"] = "0",
            ["SOURCE_DATE_EPOCH"] = CliRunner.Epoch.ToString(CultureInfo.InvariantCulture),
        };
        return ProcessRunner.Start("dotnet", [ConsulPkgProcess.AssemblyPath, .. arguments], _temp.Path, variables);
    }

    /// <summary>
    /// Sends <paramref name="signal"/> as soon as inotify reports the package's temporary
    /// (<c>.NAME.deb.RANDOM.tmp</c>): the write is under way. The signal goes from the watcher's
    /// own event, not after this thread wakes up, so a loaded machine adds no scheduling delay
    /// to the few seconds of compression the signal must land in.
    /// </summary>
    private string SignalOnceThePackageTemporaryAppears(RunningProcess process, int signal)
    {
        using var watcher = new FileSystemWatcher(_out, ".*.tmp");
        var created = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        int sent = 0;
        void Send(string path)
        {
            if (Interlocked.Exchange(ref sent, 1) != 0)
            {
                return;
            }

            try
            {
                process.Signal(signal);
                created.TrySetResult(path);
            }
            catch (InvalidOperationException e)
            {
                created.TrySetException(e); // not thrown on the watcher's thread, which would end the test run
            }
        }

        watcher.Created += (_, e) => Send(e.FullPath);
        watcher.EnableRaisingEvents = true;
        if (Directory.EnumerateFiles(_out, ".*.tmp").FirstOrDefault() is { } already)
        {
            Send(already);
        }

        Assert.That(created.Task.Wait(HangGuard), Is.True, "the package write never started");
        return created.Task.Result;
    }
}
