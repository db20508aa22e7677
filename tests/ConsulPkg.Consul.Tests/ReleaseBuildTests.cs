using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Debian;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Consul.Tests;

/// <summary>
/// consul-pkg build end to end against a real HTTP server on 127.0.0.1 serving a fake release,
/// checked with the real dpkg-deb.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReleaseBuildTests
{
    private const string UnpinnedVersion = "0.7.5";
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_480_956_810);

    private ReleaseBuildSetup _setup = null!;
    private FakeRelease _release = null!;
    private string _gossipKeyFile = null!;

    [SetUp]
    public void SetUp()
    {
        _setup = new ReleaseBuildSetup();
        _gossipKeyFile = _setup.Temp.WriteFile("gossip.key", TestKeys.GossipKeyBase64 + "\n");
        _release = new FakeRelease(UnpinnedVersion);
        _release.Publish(_setup.Server, TestKeys.Trusted);
    }

    [TearDown]
    public void TearDown() => _setup.Dispose();

    private ConsulRecipeOptions Options(string? version = null) => _setup.Options(version ?? UnpinnedVersion, Timestamp, "Ops <ops@test.invalid>") with
    {
        Iteration = "1",
        GossipKey = new GossipKeySource { File = _gossipKeyFile },
        Download = new DownloadOptions { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10), ReadTimeout = TimeSpan.FromSeconds(20) },
    };

    private Task<ConsulBuildResult> Build(ConsulRecipeOptions? options = null) => _setup.Build(options ?? Options());

    /// <summary>Runs a build expected to fail; asserts nothing was left behind and the key is not in the message.</summary>
    private async Task<PackageException> BuildFails(ConsulRecipeOptions? options = null)
    {
        PackageException? error = null;
        try
        {
            await Build(options);
        }
        catch (PackageException e)
        {
            error = e;
        }

        Assert.That(error, Is.Not.Null, "the build should have failed");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Not.Contain("\n"), "one line");
            Assert.That(error.Message, Does.Not.Contain(TestKeys.GossipKeyBase64));
            Assert.That(Directory.EnumerateFileSystemEntries(_setup.Output), Is.Empty, "no .deb, no temp file");
            Assert.That(CachedZips(), Is.Empty, "nothing unverified in the cache");
            Assert.That(_setup.Diagnostics.ToString(), Does.Not.Contain(TestKeys.GossipKeyBase64));
        }

        return error!;
    }

    private string[] CachedZips() =>
        Directory.Exists(Path.Combine(_setup.CacheDirectory, "sha256")) ? Directory.GetFiles(Path.Combine(_setup.CacheDirectory, "sha256")) : [];

    [Test]
    public async Task HappyPathBuildsAPackageDpkgDebReads()
    {
        ConsulBuildResult result = await Build();

        string deb = Path.Combine(_setup.Output, $"consul_{UnpinnedVersion}-1_amd64.deb");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.PackagePath, Is.EqualTo(deb));
            Assert.That(result.ZipSha256, Is.EqualTo(FakeRelease.Sha256(_release.Zip)));
            Assert.That(result.SignedBy, Is.Not.Null);
            Assert.That(result.Pinned, Is.False);
            Assert.That(result.FromCache, Is.False);
            Assert.That(result.KeyFingerprint, Is.EqualTo(GossipKey.Parse(TestKeys.GossipKeyBase64, "test").Fingerprint));
            Assert.That(File.GetUnixFileMode(deb), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the .deb carries the gossip key");
        }

        string listing = ProcessRunner.RunUtc("dpkg-deb", "-c", deb).EnsureSuccess().StdOut;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listing, Does.Match(@"-rwxr-xr-x root/root +\d+ \S+ \S+ \./usr/local/bin/consul\n"));
            Assert.That(listing, Does.Contain("./usr/lib/systemd/system/consul.service"));
            Assert.That(listing, Does.Match(@"-rw-r----- root/consul +\d+ \S+ \S+ \./etc/consul\.d/server/consul\.json\n"));
            Assert.That(listing, Does.Match(@"-rw-r----- root/consul +\d+ \S+ \S+ \./etc/consul\.d/bootstrap/consul\.json\n"));
            Assert.That(listing, Does.Match(@"-rw-r----- root/consul +\d+ \S+ \S+ \./etc/consul\.d/client/consul\.json\n"));
            Assert.That(listing, Does.Match(@"drwxr-x--- consul/consul +0 \S+ \S+ \./var/lib/consul/\n"));
            Assert.That(listing, Does.Not.Contain("consul.conf"), "0.7 reads only *.json");
        }

        string info = ProcessRunner.RunUtc("dpkg-deb", "-I", deb).EnsureSuccess().StdOut;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info, Does.Contain(" Pre-Depends: adduser"));
            Assert.That(info, Does.Contain($" Version: {UnpinnedVersion}-1"));
            foreach (string script in new[] { "preinst", "postinst", "prerm", "postrm" })
            {
                Assert.That(info, Does.Match($@"\*  {script} +#!/bin/sh"));
            }
        }

        // The key is in the three configs, and nowhere else in the package or the output.
        using var unpacked = new TempDirectory();
        ProcessRunner.RunUtc("dpkg-deb", "-R", deb, unpacked.Path).EnsureSuccess();
        string[] withKey = Directory.EnumerateFiles(unpacked.Path, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(TestKeys.GossipKeyBase64, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(unpacked.Path, f))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.That(withKey, Is.EqualTo(new[] { "etc/consul.d/bootstrap/consul.json", "etc/consul.d/client/consul.json", "etc/consul.d/server/consul.json" }));
        Assert.That(File.ReadAllText(Path.Combine(unpacked.Path, "DEBIAN", "conffiles")), Is.EqualTo(
            "/etc/consul.d/bootstrap/consul.json\n/etc/consul.d/client/consul.json\n/etc/consul.d/server/consul.json\n"));
        Assert.That(File.ReadAllText(Path.Combine(unpacked.Path, "usr/local/bin/consul")), Is.EqualTo(FakeRelease.StandInScript));
        Assert.That(_setup.Diagnostics.ToString(), Does.Not.Contain(TestKeys.GossipKeyBase64));
    }

    [TestCase(PackageLayout.Seed)]
    [TestCase(PackageLayout.Debian)]
    public async Task ContentsListingMatchesTheGoldenFile(PackageLayout layout)
    {
        ConsulBuildResult result = await Build(Options() with { Layout = layout });
        string listing = ProcessRunner.RunUtc("dpkg-deb", "-c", result.PackagePath).EnsureSuccess().StdOut;
        Golden.AssertMatches($"consul_{UnpinnedVersion}-1_amd64.{layout.ToString().ToLowerInvariant()}.contents.txt", listing);
    }

    /// <summary>Both layouts are lintian-clean; every tag they earn on purpose is overridden with its reason.</summary>
    [TestCase(PackageLayout.Seed)]
    [TestCase(PackageLayout.Debian)]
    public async Task PackagePassesLintian(PackageLayout layout)
    {
        ConsulBuildResult result = await Build(Options() with { Layout = layout });
        ProcessResult lintian = ProcessRunner.RunUtc("lintian", "--fail-on", "error,warning", "--tag-display-limit", "0", result.PackagePath);
        Assert.That(lintian.ExitCode, Is.Zero, lintian.StdOut + lintian.StdErr);
        Assert.That(lintian.StdOut, Does.Not.Match("(?m)^[EW]: "));
    }

    /// <summary>
    /// With HashiCorp's kind of binary inside (a real static, unstripped ELF) both layouts still
    /// have no lintian error or warning: the two tags it earns are overridden with their reason.
    /// </summary>
    [TestCase(PackageLayout.Seed)]
    [TestCase(PackageLayout.Debian)]
    public async Task PackageWithARealStaticBinaryPassesLintian(PackageLayout layout)
    {
        _release.Zip = FakeRelease.MakeZip(("consul", StaticElf.Bytes), ("LICENSE.txt", "licence\n"u8.ToArray()));
        _release.Sums = _release.SumsFor(_release.Zip);
        _release.Publish(_setup.Server, TestKeys.Trusted);
        ConsulBuildResult result = await Build(Options() with { Layout = layout });
        ProcessResult lintian = ProcessRunner.RunUtc("lintian", "--fail-on", "error,warning", "--info", "--tag-display-limit", "0", result.PackagePath);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lintian.ExitCode, Is.Zero, lintian.StdOut + lintian.StdErr);
            Assert.That(lintian.StdOut, Does.Not.Match("(?m)^[EW]: "));
            Assert.That(lintian.StdOut, Does.Not.Contain("unused-override"), "each override is earned");
        }

        string overrides = ProcessRunner.RunUtc("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - ./usr/share/lintian/overrides/consul", "sh", result.PackagePath).EnsureSuccess().StdOut;
        Assert.That(overrides, Does.Contain("consul: statically-linked-binary [").And.Contain("consul: unstripped-binary-or-object ["));
    }

    [Test]
    public void ABinaryForAnotherMachineIsRefused()
    {
        var i386 = new FakeRelease(UnpinnedVersion, "386");
        i386.Zip = FakeRelease.MakeZip(("consul", StaticElf.Bytes));
        i386.Sums = i386.SumsFor(i386.Zip);
        i386.Publish(_setup.Server, TestKeys.Trusted);
        var e = Assert.ThrowsAsync<PackageException>(() => Build(Options() with { Architecture = "i386" }));
        Assert.That(Directory.EnumerateFileSystemEntries(_setup.Output), Is.Empty);
        Assert.That(e!.Message, Is.EqualTo($"the consul binary in consul_{UnpinnedVersion}_linux_386.zip is for x86-64, not i386 (i386): the mirror serves the wrong build"));
    }

    /// <summary>A mirror's log names the tool and the version it was built as (Directory.Build.props), not a constant.</summary>
    [Test]
    public async Task EveryRequestNamesTheToolsVersion()
    {
        await Build();
        string props = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "Directory.Build.props"));
        string version = System.Text.RegularExpressions.Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;
        Assert.That(version, Is.Not.Empty);
        Assert.That(_setup.Server.UserAgents, Is.Not.Empty.And.All.EqualTo($"consul-pkg/{version}"));
    }

    /// <summary>The warning that says so is the command line's (ConsulCommandsTests), which knows the option.</summary>
    [Test]
    public async Task WithoutAMaintainerTheDocumentedDefaultIsWritten()
    {
        ConsulBuildResult result = await Build(Options() with { Maintainer = null });
        Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", result.PackagePath, "Maintainer").EnsureSuccess().StdOut, Is.EqualTo(ConsulRecipe.DefaultMaintainer + "\n"));
        ProcessResult lintian = ProcessRunner.RunUtc("lintian", "--fail-on", "error,warning", result.PackagePath);
        Assert.That(lintian.ExitCode, Is.Zero, lintian.StdOut + lintian.StdErr);
    }

    [TestCase("root <root@localhost>")]
    [TestCase("ops@example.org")]
    [TestCase("Ops <ops@example.org")]
    [TestCase("<ops@example.org>")]
    public async Task AnInvalidMaintainerIsRefusedBeforeAnyDownload(string maintainer)
    {
        PackageException e = await BuildFails(Options() with { Maintainer = maintainer });
        Assert.That(e.Message, Is.EqualTo($"invalid maintainer '{maintainer}' from the Maintainer setting: give 'Full Name <user@example.org>' (a name, then a mail address with a dotted domain)"));
        Assert.That(_setup.Server.RequestCount(_release.Dir + _release.SumsName), Is.Zero);
    }

    [Test]
    public async Task SameInputsGiveTheSameBytes()
    {
        ConsulBuildResult first = await Build();
        byte[] bytes = await File.ReadAllBytesAsync(first.PackagePath);
        await Build(Options() with { Overwrite = true });
        Assert.That(await File.ReadAllBytesAsync(first.PackagePath), Is.EqualTo(bytes));
    }

    [Test]
    public async Task DebianLayoutUsesPolicyPaths()
    {
        ConsulBuildResult result = await Build(Options() with { Layout = PackageLayout.Debian });
        string listing = ProcessRunner.RunUtc("dpkg-deb", "-c", result.PackagePath).EnsureSuccess().StdOut;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listing, Does.Contain("./usr/bin/consul\n"));
            Assert.That(listing, Does.Contain("./lib/systemd/system/consul.service\n"));
            Assert.That(listing, Does.Not.Contain("/usr/local"));
        }
    }

    [Test]
    public async Task PlainSignatureIsUsedWhenTheKeyIdNamedOneIsAbsent()
    {
        _setup.Server.Remove(_release.Dir + _release.SumsName + ".72D7468F.sig");
        _setup.Server.Serve(_release.Dir + _release.SumsName + ".sig", TestKeys.Trusted.Sign(_release.Sums));
        ConsulBuildResult result = await Build();
        Assert.That(result.SignedBy, Is.Not.Null);
    }

    [Test]
    public async Task PinnedVersionWhoseZipDiffersFromThePinIsRefused()
    {
        // A consistent zip + SHA256SUMS + valid signature, but not HashiCorp's 0.7.2 zip.
        var pinned = new FakeRelease("0.7.2");
        pinned.Publish(_setup.Server, TestKeys.Trusted);
        PackageException e = await BuildFails(Options("0.7.2"));
        Assert.That(e, Is.TypeOf<ChecksumException>());
        Assert.That(e.Message, Does.Contain("consul_0.7.2_linux_amd64.zip")
            .And.Contain("aa97f4e5a552d986b2a36d48fdc3a4a909463e7de5f726f3c5a89b8a1be74a58")
            .And.Contain(FakeRelease.Sha256(pinned.Zip))
            .And.Contain("pinned"));
    }

    [Test]
    public async Task TamperedZipIsRefused()
    {
        byte[] tampered = FakeRelease.MakeZip(("consul", "#!/bin/sh\necho evil\n"u8.ToArray()));
        _setup.Server.Serve(_release.Dir + _release.ZipName, tampered);
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.Contain(_release.ZipName)
            .And.Contain(FakeRelease.Sha256(_release.Zip))
            .And.Contain(FakeRelease.Sha256(tampered)));
    }

    [Test]
    public async Task SumsWithoutTheZipsLineIsRefused()
    {
        byte[] sums = "0000000000000000000000000000000000000000000000000000000000000000  consul_0.7.5_linux_arm64.zip\n"u8.ToArray();
        _setup.Server.Serve(_release.Dir + _release.SumsName, sums);
        _setup.Server.Serve(_release.Dir + _release.SumsName + ".72D7468F.sig", TestKeys.Trusted.Sign(sums));
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.Contain("has no line for consul_0.7.5_linux_amd64.zip"));
    }

    [TestCase("upper-case hex", "{0}  consul_0.7.5_linux_amd64.zip\n")]
    [TestCase("one space on another line", "{1}  consul_0.7.5_linux_amd64.zip\n{1} consul_0.7.5_linux_386.zip\n")]
    [TestCase("short hash", "abc123  consul_0.7.5_linux_amd64.zip\n")]
    [TestCase("binary marker", "{1} *consul_0.7.5_linux_amd64.zip\n")]
    [TestCase("trailing blank", "{1}  consul_0.7.5_linux_amd64.zip \n")]
    public async Task MalformedSumsLineIsRefused(string what, string format)
    {
        string hash = FakeRelease.Sha256(_release.Zip);
        byte[] sums = System.Text.Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, hash.ToUpperInvariant(), hash));
        _setup.Server.Serve(_release.Dir + _release.SumsName, sums);
        _setup.Server.Serve(_release.Dir + _release.SumsName + ".72D7468F.sig", TestKeys.Trusted.Sign(sums));
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.Contain("is malformed"), what);
    }

    [Test]
    public async Task BadSignatureIsRefused()
    {
        // SHA256SUMS changed after signing (with a hash matching a different zip).
        byte[] other = FakeRelease.MakeZip(("consul", "#!/bin/sh\n"u8.ToArray()));
        _setup.Server.Serve(_release.Dir + _release.ZipName, other);
        _setup.Server.Serve(_release.Dir + _release.SumsName, _release.SumsFor(other));
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.StartWith("BAD signature").And.Contain(_release.SumsName));
        Assert.That(_setup.Server.RequestCount(_release.Dir + _release.ZipName), Is.Zero, "the zip is not even fetched");
    }

    [Test]
    public async Task SignatureThatIsNotOpenPgpIsRefused()
    {
        _setup.Server.Serve(_release.Dir + _release.SumsName + ".72D7468F.sig", "<html><body>mirror error</body></html>\n"u8.ToArray());
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.Contain(_release.SumsName + ".72D7468F.sig"));
    }

    [Test]
    public async Task DebianArchitectureNamesAreMappedToHashiCorps()
    {
        var i386 = new FakeRelease(UnpinnedVersion, "386");
        i386.Publish(_setup.Server, TestKeys.Trusted); // same SHA256SUMS name: now lists the 386 zip
        ConsulBuildResult result = await Build(Options() with { Architecture = "i386" });
        Assert.That(Path.GetFileName(result.PackagePath), Is.EqualTo($"consul_{UnpinnedVersion}-1_i386.deb"));
        Assert.That(_setup.Server.RequestCount(i386.Dir + "consul_0.7.5_linux_386.zip"), Is.EqualTo(1));
        Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", result.PackagePath, "Architecture").EnsureSuccess().StdOut, Is.EqualTo("i386\n"));
    }

    [Test]
    public async Task SignatureByAnUntrustedKeyIsRefused()
    {
        _setup.Server.Serve(_release.Dir + _release.SumsName + ".72D7468F.sig", TestKeys.Other.Sign(_release.Sums));
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.Contain("not trusted"));
        Assert.That(e.Setting, Is.EqualTo(OpenPgpSettings.TrustedKeys), "the command line names its option for it");
    }

    [Test]
    public async Task MissingSignatureIsRefusedUnlessSkippedWithAWarning()
    {
        _setup.Server.Remove(_release.Dir + _release.SumsName + ".72D7468F.sig");
        PackageException e = await BuildFails();
        Assert.That(e.Message, Is.EqualTo(
            $"no signature for {_release.SumsName} (looked for {_setup.Server.BaseUrl}consul/{UnpinnedVersion}/{_release.SumsName}.72D7468F.sig and {_setup.Server.BaseUrl}consul/{UnpinnedVersion}/{_release.SumsName}.sig): "
            + "the release cannot be verified; skip the signature check only if you trust where the files come from"));
        Assert.That(e.Setting, Is.EqualTo(ConsulSettings.SkipSignature));

        ConsulBuildResult result = await Build(Options() with { SkipSignature = true });
        Assert.That(result.SignedBy, Is.Null);
        Assert.That(_setup.Diagnostics.ToString(), Does.Contain($"warning: the signature on {_release.SumsName} is NOT checked, as asked"));
    }

    [Test]
    public async Task MissingReleaseIs404WithAClearMessage()
    {
        PackageException e = await BuildFails(Options("9.9.9"));
        Assert.That(e.Message, Does.Contain("consul_9.9.9_SHA256SUMS was not found (HTTP 404)"));
        Assert.That(_setup.Server.RequestCount("/consul/9.9.9/consul_9.9.9_SHA256SUMS"), Is.EqualTo(1), "a 404 is not retried");
    }

    [Test]
    public async Task ConnectionDroppedMidBodyIsRetried()
    {
        string zipPath = _release.Dir + _release.ZipName;
        _setup.Server.FailNext(zipPath, Fault.DropMidBody, times: 2);
        ConsulBuildResult result = await Build();
        Assert.That(File.Exists(result.PackagePath), Is.True);
        Assert.That(_setup.Server.RequestCount(zipPath), Is.EqualTo(3));
    }

    [Test]
    public async Task ServerErrorIsRetried()
    {
        string sumsPath = _release.Dir + _release.SumsName;
        _setup.Server.FailNext(sumsPath, Fault.ServiceUnavailable);
        await Build();
        Assert.That(_setup.Server.RequestCount(sumsPath), Is.EqualTo(2));
    }

    [Test]
    public async Task ConnectionThatNeverRecoversGivesUpWithAClearError()
    {
        string zipPath = _release.Dir + _release.ZipName;
        _setup.Server.FailAlways(zipPath, Fault.DropMidBody);
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.StartWith($"could not download {_setup.Server.BaseUrl}consul/{UnpinnedVersion}/{_release.ZipName} after 3 attempts"));
        Assert.That(_setup.Server.RequestCount(zipPath), Is.EqualTo(3));
    }

    /// <summary>
    /// Downloads on a clock the test moves: a timeout fires when the test advances the clock past
    /// it, after the server saw the request, and never because the machine is slow.
    /// </summary>
    private ConsulRecipeOptions OnClock(ManualClock clock, TimeSpan readTimeout, TimeSpan deadline)
    {
        ConsulRecipeOptions options = Options();
        return options with
        {
            Download = options.Download with { Time = clock, InitialBackoff = TimeSpan.Zero, ReadTimeout = readTimeout, Deadline = deadline },
        };
    }

    [Test]
    public async Task ServerThatStopsAnsweringTimesOutAndIsRetried()
    {
        string sumsPath = _release.Dir + _release.SumsName;
        _setup.Server.FailNext(sumsPath, Fault.Stall);
        var clock = new ManualClock();
        Task<ConsulBuildResult> build = Build(OnClock(clock, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5)));
        await _setup.Server.RequestArrived(sumsPath);
        clock.Advance(TimeSpan.FromSeconds(20));
        await build;
        Assert.That(_setup.Server.RequestCount(sumsPath), Is.EqualTo(2), "the stalled request and one retry");
    }

    [Test]
    public async Task ServerThatNeverAnswersGivesUpNamingTheTimeout()
    {
        string sumsPath = _release.Dir + _release.SumsName;
        _setup.Server.FailAlways(sumsPath, Fault.Stall);
        var clock = new ManualClock();
        Task<PackageException> failing = BuildFails(OnClock(clock, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5)));
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            await _setup.Server.RequestArrived(sumsPath, attempt);
            clock.Advance(TimeSpan.FromSeconds(20));
        }

        PackageException e = await failing;
        Assert.That(e.Message, Does.Contain("after 3 attempts: no data for 20 s"));
        Assert.That(e.Setting, Is.EqualTo(ConsulSettings.ReleaseUrl));
    }

    [Test]
    public async Task ProgressIsReportedOnlyWhereAsked()
    {
        ConsulRecipeOptions options = Options();
        using var progress = new StringWriter();
        await Build(options with { Download = options.Download with { Progress = progress } });
        Assert.That(progress.ToString(), Does.Contain($"\r{_release.ZipName} [####################] ").And.Contain("100%"));
        Assert.That(_setup.Diagnostics.ToString(), Is.Empty, "nothing on stderr when not a terminal");
    }

    [Test]
    public async Task CacheIsReusedWithNoNetwork()
    {
        await Build();
        File.Delete(Path.Combine(_setup.Output, $"consul_{UnpinnedVersion}-1_amd64.deb"));
        _setup.Server.Stop();

        ConsulBuildResult again = await Build();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.FromCache, Is.True);
            Assert.That(again.SignedBy, Is.Not.Null, "the cached SHA256SUMS is re-verified");
            Assert.That(File.Exists(again.PackagePath), Is.True);
        }
    }

    [Test]
    public async Task CorruptedCacheEntryIsNeverUsed()
    {
        await Build();
        string cached = CachedZips().Single();
        await File.WriteAllTextAsync(cached, "corrupted");
        _setup.Server.Stop();

        DownloadException e = await BuildFailsAllowingCache();
        Assert.That(e.Message, Does.StartWith("could not download"));
        Assert.That(File.Exists(cached), Is.False, "the bad entry is removed");
        Assert.That(_setup.Diagnostics.ToString(), Does.StartWith($"warning: the cached {cached} does not verify (SHA-256 mismatch for {cached}: "));
    }

    private async Task<DownloadException> BuildFailsAllowingCache()
    {
        foreach (string f in Directory.GetFiles(_setup.Output))
        {
            File.Delete(f);
        }

        var e = Assert.ThrowsAsync<DownloadException>(() => Build());
        await Task.CompletedTask;
        Assert.That(Directory.EnumerateFileSystemEntries(_setup.Output), Is.Empty);
        return e!;
    }

    [Test]
    public async Task LocalZipAndSumsNeedNoNetwork()
    {
        _setup.Server.Stop();
        string zip = _setup.Temp.WriteFile("local/" + _release.ZipName, "");
        await File.WriteAllBytesAsync(zip, _release.Zip);
        string sums = _setup.Temp.Combine("local", _release.SumsName);
        await File.WriteAllBytesAsync(sums, _release.Sums);
        await File.WriteAllBytesAsync(sums + ".sig", TestKeys.Trusted.Sign(_release.Sums));

        ConsulBuildResult result = await Build(Options() with { LocalFiles = new LocalReleaseFiles(zip, sums), Cache = null });
        Assert.That(result.SignedBy, Is.Not.Null);
        Assert.That(File.Exists(result.PackagePath), Is.True);
    }

    [Test]
    public async Task InvalidGossipKeyIsRefusedWithoutEchoingIt()
    {
        const string badKey = "c2VjcmV0LXRoYXQtaXMtdG9vLWxvbmctZm9yLWNvbnN1bA==";
        string file = _setup.Temp.WriteFile("bad.key", badKey);
        PackageException e = await BuildFails(Options() with { GossipKey = new GossipKeySource { File = file } });
        Assert.That(e.Message, Does.Contain("decodes to 34 bytes").And.Not.Contain(badKey).And.Not.Contain("c2VjcmV0"));
        Assert.That(_setup.Server.RequestCount(_release.Dir + _release.SumsName), Is.Zero, "input is checked before any download");
    }

    [Test]
    public async Task TemplateWithAnUnknownVariableNamesFileAndLine()
    {
        string dir = _setup.Temp.Combine("templates");
        string file = _setup.Temp.WriteFile("templates/prerm.sbn", "#!/bin/sh\nset -e\necho {{ pakage_name }}\n");
        PackageException e = await BuildFails(Options() with { TemplatesDirectory = dir });
        Assert.That(e.Message, Does.Contain(file + "(3,").And.Contain("pakage_name"));
    }

    [Test]
    public async Task AVersionNumberOutOfRangeIsRefusedBeforeAnyDownload()
    {
        PackageException e = await BuildFails(Options("99999999999.0.0"));
        Assert.That(e.Message, Does.Contain("'99999999999' is out of range"));
        Assert.That(_setup.Server.RequestCount("/consul/99999999999.0.0/consul_99999999999.0.0_SHA256SUMS"), Is.Zero);
    }

    [TestCase("/dev/zero", "character device")]
    [TestCase("fifo", "FIFO")]
    [TestCase("big", "larger than 1024 bytes")]
    [TestCase("missing", "does not exist: create it with 'consul-pkg keygen > FILE'")]
    public async Task AGossipKeyFileThatIsNotASmallRegularFileIsRefusedAtOnce(string name, string reason)
    {
        string path = name;
        if (name == "missing")
        {
            path = _setup.Temp.Combine("missing.key");
        }
        else if (name == "fifo")
        {
            path = _setup.Temp.Combine("key.fifo");
            Assert.That(ProcessRunner.RunUtc("mkfifo", path).ExitCode, Is.Zero);
        }
        else if (name == "big")
        {
            path = _setup.Temp.WriteFile("big.key", TestKeys.GossipKeyBase64 + new string(' ', 2000));
        }

        // A FIFO without a writer used to block for ever: the build must come back on its own.
        Task<PackageException> failing = BuildFails(Options() with { GossipKey = new GossipKeySource { File = path } });
        Assert.That(await Task.WhenAny(failing, Task.Delay(TimeSpan.FromSeconds(60))), Is.SameAs(failing), "the build hangs");
        Assert.That((await failing).Message, Does.Contain(reason));
    }

    [TestCase("{\n  {{ encrypt_json }}: true\n}\n")]
    [TestCase("{\n  \"server\": true, \"datacenter\": \"dc1\", \"encrypt\": {{ encrypt_json }}, \"x{{ encrypt_json | string.slice 1 10 }}\": 1\n}\n")]
    [TestCase("{\n  \"server\": {{ encrypt_json }}\n}\n")]
    [TestCase("{{ encrypt_json }}\n")]
    [TestCase("{\n  \"server\": true, \"encrypt\": {{ encrypt_json }}, \"encrypt\": {{ encrypt_json }}\n}\n")]
    [TestCase("{{ encrypt_json | string.slice 1 10 | math.plus 1 }}")]
    public async Task NoErrorMessageContainsTheGossipKeyWhateverTheTemplateDoes(string serverTemplate)
    {
        string dir = _setup.Temp.Combine("templates");
        _setup.Temp.WriteFile("templates/server.json.sbn", serverTemplate);
        PackageException e = await BuildFails(Options() with { TemplatesDirectory = dir });
        string key = TestKeys.GossipKeyBase64;
        for (int start = 0; start + 8 <= key.Length; start++)
        {
            Assert.That(e.ToString(), Does.Not.Contain(key.Substring(start, 8)), "the message, the stack trace or an inner exception quotes the key");
        }
    }

    [Test]
    public async Task ARedirectToAFileUrlIsOneClearLine()
    {
        _setup.Server.Redirect(_release.Dir + _release.SumsName, "file:///etc/passwd");
        PackageException e = await BuildFails();
        Assert.That(e.Message, Does.Contain("redirects to 'file:' URL file:///etc/passwd; only http and https redirects are followed"));
        Assert.That(_setup.Server.RequestCount(_release.Dir + _release.SumsName), Is.EqualTo(1), "not retried");
    }

    [Test]
    public async Task AnHttpRedirectIsFollowed()
    {
        _setup.Server.Serve("/moved/SHA256SUMS", _release.Sums);
        _setup.Server.Redirect(_release.Dir + _release.SumsName, $"{_setup.Server.BaseUrl}moved/SHA256SUMS");
        await Build();
        Assert.That(_setup.Server.RequestCount("/moved/SHA256SUMS"), Is.EqualTo(1));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ADownloadThatNeverFinishesEndsAtTheDeadlineSayingHowLongItWaited(bool trickle)
    {
        string zipPath = _release.Dir + _release.ZipName;
        _setup.Server.FailAlways(zipPath, trickle ? Fault.Trickle : Fault.StallAfterHeaders);
        var clock = new ManualClock();
        // The read timeout is longer than the deadline: only the deadline can end this download.
        Task<PackageException> failing = BuildFails(OnClock(clock, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(120)));
        await _setup.Server.ResponseStarted(zipPath);
        clock.Advance(TimeSpan.FromSeconds(120));
        PackageException e = await failing;
        Assert.That(e.Message, Does.Contain($"gave up on {_setup.Server.BaseUrl}consul/{UnpinnedVersion}/{_release.ZipName} after 120 s, the download deadline"));
        Assert.That(e.Setting, Is.EqualTo(ConsulSettings.DownloadDeadline));
    }

    [Test]
    public async Task AnUnwritableCacheIsAWarningNotAFailure()
    {
        // A file where the cache directory should be: even root cannot create directories in it.
        await File.WriteAllTextAsync(_setup.CacheDirectory, "not a directory");
        ConsulBuildResult result = await Build();
        Assert.That(File.Exists(result.PackagePath), Is.True);
        Assert.That(_setup.Diagnostics.ToString(), Does.StartWith($"warning: the download cache {_setup.CacheDirectory} cannot be used (").And.Contain("going on without it"));
        Assert.That(_setup.Diagnostics.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "warned once");
    }

    [Test]
    public async Task ATlsCertificateFailureIsNotRetried()
    {
        using var tls = new SelfSignedTlsServer();
        PackageException e = await BuildFails(Options() with { BaseUrl = tls.BaseUrl });
        Assert.That(e.Message, Does.StartWith($"TLS failure talking to {tls.BaseUrl}consul/{UnpinnedVersion}/consul_{UnpinnedVersion}_SHA256SUMS: "));
        Assert.That(tls.Handshakes, Is.EqualTo(1), "a certificate does not get better by asking again");
    }
}
