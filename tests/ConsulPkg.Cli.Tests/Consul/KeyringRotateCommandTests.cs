using System.Collections.Concurrent;
using System.Globalization;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Consul;

/// <summary>
/// <c>consul-pkg keyring rotate</c> as a process against a keyring HTTP API on 127.0.0.1: the key
/// never on stdout, stderr or any process's command line, the token only in a header, and
/// every bad option one line with its exit code.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KeyringRotateCommandTests
{
    private const string Old = "q7RGz1+Akm8nKj/vyYq0YA==";
    private const int SigInt = 2, SigTerm = 15;

    /// <summary>Only against a hang: the signal is sent on an event, and the process then ends on its own.</summary>
    private static readonly TimeSpan AfterTheSignal = TimeSpan.FromMinutes(10);
    private const string Token = "9a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d";

    private TempDirectory _temp = null!;
    private FakeConsulCluster _cluster = null!;
    private FakeConsulAgent _agent = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _cluster = FakeConsulCluster.Typical("1.17.0", Old);
        _cluster.Token = Token;
        _agent = new FakeConsulAgent(_cluster);
        _temp.WriteFile("token", Token + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [TearDown]
    public void TearDown()
    {
        _agent.Dispose();
        _temp.Dispose();
    }

    [Test]
    public void ARotationPrintsEachStepAndNoKeyAnywhere()
    {
        // While each request is served, the rotation is under way: every command line on the
        // machine is read then, to be searched for the keys afterwards.
        var commandLines = new ConcurrentBag<string>();
        _agent.OnRequest = _ =>
        {
            foreach (string cmdline in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)).Select(d => Path.Combine(d, "cmdline")))
            {
                try
                {
                    commandLines.Add(File.ReadAllText(cmdline).Replace('\0', ' '));
                }
                catch (IOException)
                {
                    // the process ended meanwhile
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        };

        ProcessResult r = ConsulPkgProcess.Run(["keyring", "rotate", "--http-addr", _agent.Address.ToString(), "--token-file", "token"], _temp.Path);

        string keyFile = _temp.Combine("consul-gossip-key-" + FingerprintHex(r.StdOut));
        string newKey = File.ReadAllText(keyFile).Trim();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.StdErr, Is.Empty);
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(_cluster.HoldsOnly(newKey), Is.True);
            Assert.That(r.StdOut, Does.StartWith($"Consul 1.17.0 at {_agent.Address}: WAN (dc1) 3 members, dc1 (LAN) 5 members; installed: sha256:"));
            Assert.That(r.StdOut, Does.Contain("step 1/3 install the new key: done"));
            Assert.That(r.StdOut, Does.Contain("step 2/3 make it primary: done"));
            Assert.That(r.StdOut, Does.Contain("step 3/3 remove the other keys"));
            Assert.That(_agent.Tokens, Is.All.EqualTo(Token), "the token from the file, in the header of every request");
            Assert.That(commandLines, Is.Not.Empty);
        }

        foreach (string secret in new[] { newKey, Old, Token })
        {
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain(secret[..12]));
            Assert.That(commandLines.Where(c => c.Contains(secret[..12], StringComparison.Ordinal)), Is.Empty, "a secret on a command line");
            Assert.That(_agent.Requests.Where(line => line.Contains(secret[..12], StringComparison.Ordinal)), Is.Empty, "a secret in a URL");
        }
    }

    [Test]
    public void TheTokenComesFromTheEnvironmentAndTheAddressFromConsulHttpAddr()
    {
        ProcessResult r = ConsulPkgProcess.Run(["keyring", "rotate", "--dry-run"], _temp.Path,
            new Dictionary<string, string?> { ["CONSUL_HTTP_ADDR"] = _agent.Address.Authority, ["CONSUL_HTTP_TOKEN"] = Token });
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(r.StdOut, Does.Contain("dry run: nothing is changed"));
        Assert.That(_cluster.Changes, Is.Empty);
        Assert.That(_agent.Tokens, Is.All.EqualTo(Token));
    }

    [Test]
    public void AGivenKeyFileIsTheKeyRotatedTo()
    {
        string key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _temp.WriteFile("new.key", key + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ProcessResult r = CliRunner.Run(Context(), "keyring", "rotate", "--http-addr", _agent.Address.ToString(), "--token-file", "token", "--new-key-file", "new.key", "--timeout", "30");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(_cluster.HoldsOnly(key), Is.True);
        Assert.That(Directory.GetFiles(_temp.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "token", "new.key" }), "no key file written");
    }

    [TestCase("--http-addr", "unix:///run/consul.sock", "consul-pkg: invalid --http-addr 'unix:///run/consul.sock': the 'unix' scheme is not supported; give an http or https address of the agent (see 'consul-pkg keyring rotate --help')")]
    [TestCase("--timeout", "0", "consul-pkg: invalid --timeout 0: give a number of seconds, 1 or more (see 'consul-pkg keyring rotate --help')")]
    public void ABadOptionValueIsAUsageError(string option, string value, string line)
    {
        ProcessResult r = CliRunner.Run(Context(), "keyring", "rotate", option, value);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(r.StdErr, Is.EqualTo(line + "\n"));
        Assert.That(_agent.Requests, Is.Empty);
    }

    [Test]
    public void AMissingTokenFileIsOneLine()
    {
        ProcessResult r = CliRunner.Run(Context(), "keyring", "rotate", "--http-addr", _agent.Address.ToString(), "--token-file", "nope");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: token file '{_temp.Combine("nope")}' does not exist: write the ACL token (its SecretID) into it, one line\n"));
        Assert.That(_agent.Requests, Is.Empty);
    }

    [Test]
    public void ARefusedTokenNamesTheOptionThatGivesIt()
    {
        _temp.WriteFile("bad-token", "not-the-token\n");
        ProcessResult r = CliRunner.Run(Context(), "keyring", "rotate", "--http-addr", _agent.Address.ToString(), "--token-file", "bad-token");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(r.StdErr, Does.StartWith($"consul-pkg: Consul at {_agent.Address} refused GET /v1/agent/self (HTTP 403"));
        Assert.That(r.StdErr, Does.EndWith("give a token with keyring:write (--token-file)\n"));
        Assert.That(r.StdErr.Count(c => c == '\n'), Is.EqualTo(1));
    }

    [Test]
    public void ABadCONSUL_HTTP_ADDRIsNamed()
    {
        var environment = new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = "ftp://x" };
        ProcessResult r = CliRunner.Run(CliRunner.Context(_temp.Path, environment), "keyring", "rotate");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(r.StdErr, Is.EqualTo("consul-pkg: invalid CONSUL_HTTP_ADDR 'ftp://x': the 'ftp' scheme is not supported; give an http or https address of the agent\n"));
    }

    [TestCase(SigInt, 130)]
    [TestCase(SigTerm, 143)]
    public void ASignalAfterTheKeyFileIsWrittenSaysTheFileIsKept(int signal, int exitCode)
    {
        // The key file is written before the first change (the install, POST) is sent.
        ProcessResult r = RotateSignalledAt("POST ", signal);

        string keyFile = Directory.GetFiles(_temp.Path, "consul-gossip-key-*").Single();
        string[] lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(exitCode), $"exit {r.ExitCode}; stderr: {r.StdErr}; stdout: {r.StdOut}");
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(r.StdOut, Does.Contain($"written to {keyFile} (mode 0600)"));
            Assert.That(lines, Has.Length.EqualTo(2), r.StdErr);
            Assert.That(lines[0], Does.StartWith("consul-pkg: keyring rotate interrupted in step 1/3 (install the new key); the cluster stands (as last listed): new key sha256:"));
            Assert.That(lines[0], Does.EndWith($"run the same command again with the new key file {keyFile} to resume"));
            Assert.That(lines[^1], Is.EqualTo($"consul-pkg: interrupted; the new key's file {keyFile} was written (mode 0600) and is kept: the cluster may hold the key already"));
        }
    }

    [Test]
    public void ASignalBeforeTheKeyFileIsWrittenSaysNothingWasWritten()
    {
        ProcessResult r = RotateSignalledAt("GET /v1/operator/keyring", SigInt);

        Assert.That(r.ExitCode, Is.EqualTo(130), r.StdErr);
        Assert.That(r.StdErr, Is.EqualTo("consul-pkg: interrupted; nothing was written\n"));
        Assert.That(Directory.GetFiles(_temp.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "token" }));
        Assert.That(_cluster.Changes, Is.Empty);
    }

    /// <summary>
    /// Runs <c>keyring rotate</c> as a process and signals it when the agent receives the first
    /// request starting with <paramref name="request"/>. That request is answered only once the
    /// process has ended, so the signal lands while the rotation waits for it, however slow the
    /// machine: nothing can happen between the two.
    /// </summary>
    private ProcessResult RotateSignalledAt(string request, int signal)
    {
        var started = new TaskCompletionSource<RunningProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int signalled = 0;
        _agent.OnRequest = line =>
        {
            if (line.StartsWith(request, StringComparison.Ordinal) && Interlocked.Exchange(ref signalled, 1) == 0)
            {
                started.Task.Result.Signal(signal);
                ended.Task.Wait(AfterTheSignal);
            }
        };
        ProcessResult r;
        using (RunningProcess rotate = ProcessRunner.Start("dotnet", [ConsulPkgProcess.AssemblyPath, "keyring", "rotate", "--http-addr", _agent.Address.ToString(), "--token-file", "token"],
            _temp.Path, new Dictionary<string, string?> { ["DOTNET_EnableDiagnostics"] = "0" }))
        {
            started.SetResult(rotate);
            try
            {
                r = rotate.Finish(AfterTheSignal);
            }
            finally
            {
                ended.SetResult(); // only now is the request answered (to a process that is gone)
            }
        }

        Assert.That(signalled, Is.EqualTo(1), $"no request began with '{request}'");
        return r;
    }

    private CliContext Context() => CliRunner.Context(_temp.Path, new Dictionary<string, string>());

    /// <summary>The 16 hex digits of the new key's fingerprint, from the line that says where it was written.</summary>
    private static string FingerprintHex(string stdout)
    {
        string line = stdout.Split('\n').Single(l => l.StartsWith("new key sha256:", StringComparison.Ordinal));
        return line.Substring("new key sha256:".Length, 16).ToString(CultureInfo.InvariantCulture);
    }
}
