using ConsulPkg.Consul.Keyring;
using ConsulPkg.Debian;
using ConsulPkg.Testing.Time;

namespace ConsulPkg.Consul.Tests.Keyring;

/// <summary>
/// <see cref="KeyringRotation"/> against a keyring HTTP API on 127.0.0.1 that answers as Consul
/// 0.7.2 (no primary keys reported) and 1.x (PrimaryKeys) do: see <see cref="FakeConsulCluster"/>.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class KeyringRotationTests
{
    private const string Old = "q7RGz1+Akm8nKj/vyYq0YA==";
    private static readonly string[] Versions = ["0.7.2", "1.17.0"];

    /// <summary>Only against a hang: no outcome waits on real time.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    private sealed class Setup : IDisposable
    {
        public Setup(string version, string oldKey = Old)
        {
            Cluster = FakeConsulCluster.Typical(version, oldKey);
            Agent = new FakeConsulAgent(Cluster);
        }

        public TempDirectory Temp { get; } = new();

        public FakeConsulCluster Cluster { get; }

        public FakeConsulAgent Agent { get; set; }

        public StringWriter Output { get; } = new();

        public StringWriter Warnings { get; } = new();

        /// <summary>What every wait, deadline and request timeout of the rotation runs on: it moves only in <see cref="RunAsync"/>.</summary>
        public ManualClock Clock { get; } = new();

        public KeyringRotationOptions Options() => new() { Address = Agent.Address, KeyDirectory = Temp.Path, Timeout = TimeSpan.FromSeconds(10), Time = Clock };

        /// <summary>
        /// Runs the rotation, moving <see cref="Clock"/> to the end of each wait between listings
        /// (a timer shorter than the timeout) as soon as the rotation starts it. A step therefore
        /// times out after the same number of rounds on a loaded machine as on an idle one, and
        /// a request never times out: nothing depends on how fast the machine is.
        /// </summary>
        public async Task<KeyringRotationResult> RunAsync(KeyringRotationOptions options, CancellationToken cancellationToken = default)
        {
            Task<KeyringRotationResult> run = KeyringRotation.RunAsync(options, Output, Warnings, cancellationToken);
            while (true)
            {
                Task<TimeSpan> waiting = Clock.WhenArmed(span => span < options.Timeout);
                Task first = await Task.WhenAny(run, waiting, Task.Delay(HangGuard, CancellationToken.None));
                if (first == run)
                {
                    return await run;
                }

                Assert.That(first, Is.SameAs(waiting), $"the rotation neither ended nor waited for {HangGuard.TotalMinutes} minutes");
                Clock.Advance(await waiting);
            }
        }

        /// <summary>A cancellation (what SIGINT is to the command) requested as the agent receives the first <paramref name="method"/> request.</summary>
        public CancellationTokenSource InterruptAt(string method)
        {
            var interrupt = new CancellationTokenSource();
            Agent.OnRequest = line =>
            {
                if (line.StartsWith(method + " ", StringComparison.Ordinal))
                {
                    interrupt.Cancel();
                }
            };
            return interrupt;
        }

        /// <summary>Neither key (nor any 8 characters of one) appears in what the rotation printed or threw.</summary>
        public void AssertNoKeyIn(string text)
        {
            foreach (string key in Cluster.AllKeys().Concat(Cluster.KeysReceived).Append(Old).Distinct())
            {
                for (int start = 0; start + 8 <= key.Length; start++)
                {
                    Assert.That(text, Does.Not.Contain(key.Substring(start, 8)), "a key (or part of one) was printed");
                }
            }
        }

        public void Dispose()
        {
            Agent.Dispose();
            Temp.Dispose();
            Output.Dispose();
            Warnings.Dispose();
        }
    }

    [TestCaseSource(nameof(Versions))]
    public async Task ACleanRotationInstallsUsesAndRemovesInThatOrder(string version)
    {
        using var setup = new Setup(version);
        KeyringRotationResult result = await setup.RunAsync(setup.Options());

        string keyFile = result.KeyFile!;
        string newKey = File.ReadAllText(keyFile).Trim();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Path.GetDirectoryName(keyFile), Is.EqualTo(setup.Temp.Path));
            Assert.That(Convert.FromBase64String(newKey), Has.Length.EqualTo(version == "0.7.2" ? 16 : 32), "the size that version's keygen makes");
            Assert.That(setup.Cluster.HoldsOnly(newKey), Is.True, "every member of both pools holds only the new key");
            Assert.That(setup.Cluster.Changes, Is.EqualTo(new[] { "POST", "PUT", "DELETE" }));
            Assert.That(setup.Cluster.KeysReceived, Is.EqualTo(new[] { newKey, newKey, Old }));
            Assert.That(result.Changed, Is.True);
            Assert.That(setup.Output.ToString(), Does.Contain($"written to {keyFile} (mode 0600)"));
            Assert.That(setup.Output.ToString(), Does.Contain("step 1/3 install the new key: done, 3/3 of WAN (dc1), 5/5 of dc1 (LAN)"));
            Assert.That(setup.Output.ToString(), Does.Contain(version == "0.7.2"
                ? "step 2/3 make it primary: done, every member answered (this Consul does not report primary keys)"
                : "step 2/3 make it primary: done, 3/3 of WAN (dc1), 5/5 of dc1 (LAN)"));
            Assert.That(setup.Output.ToString(), Does.Contain("step 3/3 remove the other keys (sha256:"));
            Assert.That(setup.Output.ToString(), Does.Contain($"rotated: every member of every pool holds only {result.KeyFingerprint}"));
            Assert.That(setup.Warnings.ToString(), Is.Empty);
            Assert.That(setup.Agent.Tokens, Is.All.Null);
        }

        setup.AssertNoKeyIn(setup.Output.ToString() + setup.Warnings.ToString());
    }

    [TestCaseSource(nameof(Versions))]
    public async Task AMemberThatMissesTheFirstBroadcastGetsALaterOne(string version)
    {
        using var setup = new Setup(version);
        // Misses the first install and the listing after it, then catches up.
        setup.Agent.OnRequest = line =>
        {
            if (line.StartsWith("POST", StringComparison.Ordinal) && !setup.Cluster.Changes.Contains("POST"))
            {
                setup.Cluster.Member("client2").SilentForQueries = 2;
            }
        };
        KeyringRotationResult result = await setup.RunAsync(setup.Options());

        string newKey = File.ReadAllText(result.KeyFile!).Trim();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(setup.Cluster.HoldsOnly(newKey), Is.True);
            Assert.That(setup.Cluster.Changes.Count(c => c == "POST"), Is.GreaterThan(1), "the install was sent again");
            Assert.That(setup.Cluster.Changes.IndexOf("PUT"), Is.GreaterThan(setup.Cluster.Changes.LastIndexOf("POST")), "primary only once every member holds the key");
            Assert.That(setup.Output.ToString(), Does.Contain("step 1/3 install the new key: sent; waiting up to 10 s for every member to hold it"));
        }
    }

    [TestCaseSource(nameof(Versions))]
    public async Task AMemberThatKeepsFailingIsNamedWhenTheStepTimesOutAndNoKeyIsRemoved(string version)
    {
        using var setup = new Setup(version);
        setup.Cluster.Member("client2").Failure = "open /var/lib/consul/serf/local.keyring: read-only file system";
        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options() with { Timeout = TimeSpan.FromSeconds(1) }))!;

        string keyFile = Directory.GetFiles(setup.Temp.Path).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Does.StartWith("step 1/3 (install the new key) timed out after 1 s: not every member did (3/3 of WAN (dc1), 4/5 of dc1 (LAN))"));
            Assert.That(e.Message, Does.Contain("lagging: client2 (open /var/lib/consul/serf/local.keyring: read-only file system)"));
            Assert.That(e.Message, Does.Contain("the cluster stands (as last listed): new key sha256:"));
            Assert.That(e.Message, Does.EndWith($"run the same command again with the new key file {keyFile} to resume"));
            Assert.That(e.Setting, Is.EqualTo(KeyringSettings.Timeout));
            Assert.That(setup.Cluster.Changes, Is.All.EqualTo("POST"), "nothing made primary, nothing removed");
            Assert.That(setup.Cluster.Member("client2").Keys, Is.EqualTo(new[] { Old }));
        }

        setup.AssertNoKeyIn(e.Message + setup.Output + setup.Warnings);
    }

    [TestCaseSource(nameof(Versions))]
    public void AMemberThatDoesNotAnswerTheFirstListingStopsTheRunBeforeAnyChange(string version)
    {
        using var setup = new Setup(version);
        setup.Cluster.Member("server3.dc1").Silent = true;
        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options() with { Timeout = TimeSpan.FromSeconds(1) }))!;
        // The listing already fails before the first change: nothing is sent to a cluster that cannot answer for every member.
        Assert.That(e.Message, Does.StartWith("nothing was changed: not every member answered the keyring listing"));
        Assert.That(e.Message, Does.Contain("WAN error: 2/3 nodes reported success"));
        Assert.That(setup.Cluster.Changes, Is.Empty);
        Assert.That(Directory.GetFiles(setup.Temp.Path), Is.Empty, "no key file for a rotation that never started");
    }

    [TestCaseSource(nameof(Versions))]
    public void AMemberThatFallsSilentDuringAStepTimesItOutSayingConsulNamesNone(string version)
    {
        using var setup = new Setup(version);
        setup.Agent.OnRequest = line =>
        {
            if (line.StartsWith("POST", StringComparison.Ordinal))
            {
                setup.Cluster.Member("client1").Silent = true; // alive to serf, answering nothing
            }
        };
        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options() with { Timeout = TimeSpan.FromSeconds(1) }))!;
        Assert.That(e.Message, Does.StartWith("step 1/3 (install the new key) timed out after 1 s"));
        Assert.That(e.Message, Does.Contain(
            "Consul names no lagging member (Consul: dc1 (LAN) error: 4/5 nodes reported success): one that stays silent is not named by its API; 'consul members' on a server shows who is unreachable"));
        Assert.That(setup.Cluster.Changes, Is.All.EqualTo("POST"));
    }

    [TestCaseSource(nameof(Versions))]
    public async Task AFailedMemberDoesNotBlockTheRotationAndIsNamedAsMissingIt(string version)
    {
        using var setup = new Setup(version);
        setup.Cluster.Member("client2").Status = 4; // failed: memberlist no longer counts it
        KeyringRotationResult result = await setup.RunAsync(setup.Options());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(setup.Cluster.HoldsOnly(File.ReadAllText(result.KeyFile!).Trim()), Is.True);
            Assert.That(setup.Cluster.Member("client2").Keys, Is.EqualTo(new[] { Old }), "it was down: it keeps the old key");
            Assert.That(setup.Warnings.ToString(), Is.EqualTo(
                "warning: member client2 is failed: it misses this rotation and keeps only the old key; afterwards give it the new one as for a node that was down (docs/consul-recipe.md)\n"));
        }
    }

    /// <summary>The agent dies right after a change; a rerun with the same key against another agent resumes.</summary>
    [TestCase("0.7.2", "POST", new[] { "PUT", "DELETE" })]
    [TestCase("1.17.0", "POST", new[] { "PUT", "DELETE" })]
    [TestCase("0.7.2", "PUT", new[] { "PUT", "DELETE" })] // 0.7.2 cannot say who uses which key: the use step is sent again, harmlessly
    [TestCase("1.17.0", "PUT", new[] { "DELETE" })]
    public async Task AnAgentThatDiesBetweenStepsStopsTheRunAndARerunResumes(string version, string diesAfter, string[] rerunSends)
    {
        using var setup = new Setup(version);
        setup.Agent.StopAfter = line => line.StartsWith(diesAfter, StringComparison.Ordinal);
        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options()))!;
        string keyFile = Directory.GetFiles(setup.Temp.Path).Single();
        int step = diesAfter == "POST" ? 1 : 2;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Does.StartWith($"cannot reach Consul at {setup.Agent.Address}: "), "refused, or reset while it went down");
            Assert.That(e.Message, Does.Contain($"stopped in step {step}/3"));
            Assert.That(e.Message, Does.EndWith($"run the same command again with the new key file {keyFile} to resume"));
        }

        setup.Agent.Dispose();
        setup.Agent = new FakeConsulAgent(setup.Cluster);
        int before = setup.Cluster.Changes.Count;
        GossipKey newKey = GossipKey.FromFile(keyFile);
        KeyringRotationResult result = await setup.RunAsync(setup.Options() with { NewKey = newKey, NewKeyFile = keyFile });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(setup.Cluster.Changes.Skip(before), Is.EqualTo(rerunSends), "a step every member has done is not sent again (0.7.2's use step excepted)");
            Assert.That(setup.Cluster.HoldsOnly(newKey.ToBase64()), Is.True);
            Assert.That(result.KeyFile, Is.Null, "the key was given");
            Assert.That(Directory.GetFiles(setup.Temp.Path), Is.EqualTo(new[] { keyFile }), "no second key file");
            Assert.That(setup.Output.ToString(), Does.Contain("step 1/3 install the new key: skipped, already on 3/3 of WAN (dc1), 5/5 of dc1 (LAN)"));
        }
    }

    [Test]
    public void AnInterruptedRotationSaysWhereTheClusterStands()
    {
        using var setup = new Setup("1.17.0");
        using CancellationTokenSource interrupt = setup.InterruptAt("PUT"); // SIGINT while the use step is under way
        InterruptedException e = Assert.ThrowsAsync<InterruptedException>(() => setup.RunAsync(setup.Options(), interrupt.Token))!;
        string keyFile = Directory.GetFiles(setup.Temp.Path).Single();
        Assert.That(setup.Warnings.ToString(), Does.StartWith("consul-pkg: keyring rotate interrupted in step 2/3 (make it primary); the cluster stands (as last listed): new key sha256:"));
        Assert.That(setup.Warnings.ToString(), Does.EndWith($"run the same command again with the new key file {keyFile} to resume\n"));
        Assert.That(e.Leaves, Is.EqualTo($"the new key's file {keyFile} was written (mode 0600) and is kept: the cluster may hold the key already"));
    }

    [Test]
    public void AnInterruptedRotationToAGivenKeySaysNoFileWasWritten()
    {
        using var setup = new Setup("1.17.0");
        using CancellationTokenSource interrupt = setup.InterruptAt("POST");
        GossipKey given = GossipKey.Parse(Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), "test");
        InterruptedException e = Assert.ThrowsAsync<InterruptedException>(() => setup.RunAsync(setup.Options() with { NewKey = given, NewKeyFile = "/keys/new.key" }, interrupt.Token))!;
        Assert.That(e.Leaves, Is.EqualTo("no file was written; changes sent to the cluster stay"));
        Assert.That(Directory.GetFiles(setup.Temp.Path), Is.Empty);
        Assert.That(setup.Warnings.ToString(), Does.EndWith("run the same command again with the new key file /keys/new.key to resume\n"));
    }

    [TestCaseSource(nameof(Versions))]
    public async Task ADryRunPrintsThePlanAndChangesNothing(string version)
    {
        using var setup = new Setup(version);
        KeyringRotationResult result = await setup.RunAsync(setup.Options() with { DryRun = true });
        string output = setup.Output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(setup.Cluster.Changes, Is.Empty);
            Assert.That(setup.Agent.Requests.All(r => r.StartsWith("GET ", StringComparison.Ordinal)), Is.True);
            Assert.That(Directory.GetFiles(setup.Temp.Path), Is.Empty, "no key is generated in a dry run");
            Assert.That(result.Changed, Is.False);
            Assert.That(output, Does.Contain("dry run: nothing is changed; the plan from the cluster's keyring as it is now:"));
            Assert.That(output, Does.Contain($"step 1/3 install the new key: generate a new {(version == "0.7.2" ? 16 : 32)}-byte key"));
            Assert.That(output, Does.Contain("step 3/3 remove the other keys: remove sha256:"));
        }

        setup.AssertNoKeyIn(output);
    }

    [Test]
    public async Task ARotationUnderWayIsNotStartedAgainWithoutItsKey()
    {
        using var setup = new Setup("1.17.0");
        string other = Convert.ToBase64String(new byte[32]);
        foreach (FakeMember member in setup.Cluster.Pools.SelectMany(p => p.Members))
        {
            member.Keys.Add(other);
        }

        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options()))!;
        Assert.That(e.Message, Does.StartWith("the cluster holds 2 keys (sha256:"));
        Assert.That(e.Message, Does.Contain("a rotation is under way; finish it by giving its new key"));
        Assert.That(e.Setting, Is.EqualTo(KeyringSettings.NewKey));
        Assert.That(setup.Cluster.Changes, Is.Empty);

        // Given that key, the rotation finishes.
        await setup.RunAsync(setup.Options() with { NewKey = GossipKey.Parse(other, "test") });
        Assert.That(setup.Cluster.HoldsOnly(other), Is.True);
    }

    [Test]
    public async Task AKeyEveryMemberAlreadyHoldsAloneIsNothingToDo()
    {
        using var setup = new Setup("1.17.0");
        KeyringRotationResult result = await setup.RunAsync(setup.Options() with { NewKey = GossipKey.Parse(Old, "test") });
        Assert.That(result.Changed, Is.False);
        Assert.That(setup.Cluster.Changes, Is.Empty);
        Assert.That(setup.Output.ToString(), Does.EndWith($"nothing to do: every member of every pool holds only {GossipKey.Parse(Old, "test").Fingerprint}\n"));
    }

    [Test]
    public void AWrongTokenIsRefusedNamingTheSetting()
    {
        using var setup = new Setup("1.17.0");
        setup.Cluster.Token = "right-token";
        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options() with { Token = "wrong-token" }))!;
        Assert.That(e.Message, Is.EqualTo($"Consul at {setup.Agent.Address} refused GET /v1/agent/self (HTTP 403: Permission denied: anonymous token lacks permission 'keyring:write'): give a token with keyring:write"));
        Assert.That(e.Setting, Is.EqualTo(KeyringSettings.Token));
        Assert.That(setup.Agent.Tokens, Is.All.EqualTo("wrong-token"), "the token goes in the X-Consul-Token header");
        Assert.That(setup.Agent.Requests.Any(r => r.Contains("token", StringComparison.OrdinalIgnoreCase)), Is.False, "never in the URL");
    }

    [Test]
    public async Task TheTokenIsSentWithEveryRequest()
    {
        using var setup = new Setup("0.7.2");
        setup.Cluster.Token = "right-token";
        await setup.RunAsync(setup.Options() with { Token = "right-token" });
        Assert.That(setup.Agent.Tokens, Is.All.EqualTo("right-token"));
    }

    [Test]
    public void AnAgentOlderThanTheKeyringApiIsRefused()
    {
        using var setup = new Setup("0.7.1");
        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options()))!;
        Assert.That(e.Message, Is.EqualTo($"Consul 0.7.1 at {setup.Agent.Address} has no keyring HTTP API (it came in 0.7.2): rotate with 'consul keyring' on a server, or upgrade"));
    }

    [Test]
    public void NothingListeningIsOneLineNamingTheAddress()
    {
        using var setup = new Setup("1.17.0");
        setup.Agent.Stop();
        PackageException e = Assert.ThrowsAsync<PackageException>(() => setup.RunAsync(setup.Options()))!;
        Assert.That(e.Message, Is.EqualTo($"cannot reach Consul at {setup.Agent.Address}: Connection refused"));
        Assert.That(e.Setting, Is.EqualTo(KeyringSettings.HttpAddress));
    }

    [TestCase("127.0.0.1:8500", "http://127.0.0.1:8500/")]
    [TestCase("https://consul.example.com:8501", "https://consul.example.com:8501/")]
    [TestCase("http://[::1]:8500", "http://[::1]:8500/")]
    public void AddressesAreReadAsTheConsulCommandReadsThem(string text, string expected) =>
        Assert.That(ConsulAddress.TryParse(text, out _)?.ToString(), Is.EqualTo(expected));

    [TestCase("unix:///var/run/consul.sock", "the 'unix' scheme is not supported")]
    [TestCase("http://user:pw@127.0.0.1:8500", "without user, query or fragment")]
    [TestCase("http://127.0.0.1:8500/?token=x", "without user, query or fragment")]
    [TestCase("", "give http://HOST:PORT")]
    public void BadAddressesSayWhy(string text, string why)
    {
        Assert.That(ConsulAddress.TryParse(text, out string? reason), Is.Null);
        Assert.That(reason, Does.Contain(why));
    }
}
