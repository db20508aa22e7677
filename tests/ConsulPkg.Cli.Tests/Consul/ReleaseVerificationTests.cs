using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Testing.Releases;

namespace ConsulPkg.Cli.Tests.Consul;

/// <summary>
/// Every source of a release (the network, local files, the cache) goes through the one
/// verifier: each kind of bad release is refused with one line and exit code 1 whichever source
/// supplies it, and a bad cache entry is never used: it is removed with a warning and the release
/// fetched again, whose own verification decides.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReleaseVerificationTests
{
    /// <summary>HashiCorp's 0.7.2 zip, as pinned; the fake 0.7.2 release is not it.</summary>
    private const string Pinned072 = "aa97f4e5a552d986b2a36d48fdc3a4a909463e7de5f726f3c5a89b8a1be74a58";

    private TempDirectory _temp = null!;
    private FakeReleaseServer _server = null!;

    public enum Source
    {
        Network,
        LocalFiles,
        Cache,
    }

    public enum Defect
    {
        TamperedZip,
        BadSignature,
        SumsWithoutTheZip,
        PinMismatch,
    }

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _server = new FakeReleaseServer();
        _temp.WriteFile("test-key.asc", TestKeys.Trusted.ArmoredPublicKey);
        Directory.CreateDirectory(_temp.Combine("out"));
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    /// <summary>The files of a release with one defect, as any source would hand them over.</summary>
    private sealed record BadRelease(FakeRelease Good, byte[] Zip, byte[] Sums, byte[] Signature)
    {
        public string SignatureName => Good.SumsName + ".72D7468F.sig";

        /// <summary>The hash the SHA256SUMS lists for the zip, under which the cache files it.</summary>
        public string ListedHash => FakeRelease.Sha256(Sums.SequenceEqual(Good.Sums) ? Good.Zip : Zip);
    }

    private static BadRelease Make(Defect defect)
    {
        var good = new FakeRelease(defect == Defect.PinMismatch ? "0.7.2" : "0.7.5");
        byte[] other = FakeRelease.MakeZip(("consul", "#!/bin/sh\necho tampered\n"u8.ToArray()));
        byte[] noLine = System.Text.Encoding.ASCII.GetBytes($"{FakeRelease.Sha256(good.Zip)}  consul_0.7.5_linux_arm64.zip\n");
        return defect switch
        {
            Defect.TamperedZip => new BadRelease(good, other, good.Sums, TestKeys.Trusted.Sign(good.Sums)),
            Defect.BadSignature => new BadRelease(good, other, good.SumsFor(other), TestKeys.Trusted.Sign(good.Sums)), // SHA256SUMS changed after signing
            Defect.SumsWithoutTheZip => new BadRelease(good, good.Zip, noLine, TestKeys.Trusted.Sign(noLine)),
            _ => new BadRelease(good, good.Zip, good.Sums, TestKeys.Trusted.Sign(good.Sums)), // consistent and signed, but not the pinned zip
        };
    }

    /// <summary>What the verifier says of <paramref name="defect"/>, the files named as their source names them.</summary>
    private static string Expected(Defect defect, BadRelease bad, string zipName, string sumsName, string signatureName) => defect switch
    {
        Defect.TamperedZip => $"SHA-256 mismatch for {zipName}: expected {FakeRelease.Sha256(bad.Good.Zip)} (from {sumsName}), got {FakeRelease.Sha256(bad.Zip)}",
        Defect.BadSignature => $"BAD signature: {signatureName} does not match {sumsName}",
        Defect.SumsWithoutTheZip => $"{sumsName} has no line for {bad.Good.ZipName}",
        _ => $"SHA-256 mismatch for {zipName}: expected {Pinned072} (pinned by consul-pkg for {bad.Good.ZipName}; the source serves a different zip and SHA256SUMS), got {FakeRelease.Sha256(bad.Zip)}",
    };

    private static IEnumerable<Defect> Defects => Enum.GetValues<Defect>();

    [TestCaseSource(nameof(Defects))]
    public void FromTheNetwork(Defect defect)
    {
        BadRelease bad = Make(defect);
        Serve(bad);
        ProcessResult r = Build(bad);
        AssertRefused(r, Expected(defect, bad, bad.Good.ZipName, bad.Good.SumsName, bad.SignatureName));
        if (defect is Defect.BadSignature or Defect.SumsWithoutTheZip)
        {
            Assert.That(_server.RequestCount(bad.Good.Dir + bad.Good.ZipName), Is.Zero, "SHA256SUMS is verified before the zip is fetched");
        }
    }

    [TestCaseSource(nameof(Defects))]
    public void FromLocalFiles(Defect defect)
    {
        BadRelease bad = Make(defect);
        string zip = _temp.Combine("local", bad.Good.ZipName);
        string sums = _temp.Combine("local", bad.Good.SumsName);
        Directory.CreateDirectory(_temp.Combine("local"));
        File.WriteAllBytes(zip, bad.Zip);
        File.WriteAllBytes(sums, bad.Sums);
        File.WriteAllBytes(sums + ".72D7468F.sig", bad.Signature);

        ProcessResult r = Build(bad, "--zip", zip, "--sha256sums", sums);
        AssertRefused(r, Expected(defect, bad, zip, sums, sums + ".72D7468F.sig"));
        Assert.That(_server.RequestCount(bad.Good.Dir + bad.Good.SumsName), Is.Zero, "local files need no network");
    }

    [TestCaseSource(nameof(Defects))]
    public void FromTheCache(Defect defect)
    {
        BadRelease bad = Make(defect);
        string root = _temp.Combine("cache", "consul-pkg");
        string sums = Path.Combine(root, "sums", bad.Good.SumsName);
        string zip = Path.Combine(root, "sha256", bad.ListedHash + ".zip");
        Directory.CreateDirectory(Path.GetDirectoryName(sums)!);
        Directory.CreateDirectory(Path.GetDirectoryName(zip)!);
        File.WriteAllBytes(sums, bad.Sums);
        File.WriteAllBytes(sums + ".72D7468F.sig", bad.Signature);
        if (defect != Defect.SumsWithoutTheZip)
        {
            File.WriteAllBytes(zip, bad.Zip); // without a line for it, a cached zip would never be looked up
        }

        bad.Good.Publish(_server, TestKeys.Trusted); // the network serves the real release

        ProcessResult r = Build(bad);
        bool sumsFail = defect is Defect.BadSignature or Defect.SumsWithoutTheZip;
        string entry = sumsFail ? sums : zip;
        string warning = $"warning: the cached {entry} does not verify ({Expected(defect, bad, zip, sums, sums + ".72D7468F.sig")}";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ErrorLines[0], Does.StartWith(warning).And.EndWith("); removed it, fetching afresh"));
            Assert.That(_server.RequestCount(bad.Good.Dir + bad.Good.SumsName), Is.EqualTo(1), "fetched afresh");
        }

        if (defect == Defect.PinMismatch)
        {
            // The fresh download is verified the same way and fails the same way: that stops the build.
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(2), "the warning, then the error");
            Assert.That(r.ErrorLines[^1], Does.StartWith("consul-pkg: " + Expected(defect, bad, bad.Good.ZipName, bad.Good.SumsName, bad.SignatureName)));
            Assert.That(Directory.GetFiles(_temp.Combine("out")), Is.Empty);
            return;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), "only the warning");
            Assert.That(r.StdOut, Does.Not.Contain("(from cache)"));
            Assert.That(_server.RequestCount(bad.Good.Dir + bad.Good.ZipName), Is.EqualTo(1), "the zip was downloaded");
            Assert.That(File.ReadAllBytes(sums), Is.EqualTo(bad.Good.Sums), "the cache now holds the verified release");
            Assert.That(File.ReadAllBytes(Path.Combine(root, "sha256", FakeRelease.Sha256(bad.Good.Zip) + ".zip")), Is.EqualTo(bad.Good.Zip));
        }
    }

    private void Serve(BadRelease bad)
    {
        _server.Serve(bad.Good.Dir + bad.Good.ZipName, bad.Zip);
        _server.Serve(bad.Good.Dir + bad.Good.SumsName, bad.Sums);
        _server.Serve(bad.Good.Dir + bad.SignatureName, bad.Signature);
    }

    private ProcessResult Build(BadRelease bad, params string[] extra)
    {
        return CliRunner.Run(
            CliRunner.Context(_temp.Path, CliRunner.ConsulEnvironment(_server.BaseUrl, _temp.Combine("cache"), TestKeys.GossipKeyBase64)),
            ["build", "--consul-version", bad.Good.Version, "--trusted-key", "test-key.asc", "--output", "out", .. extra]);
    }

    private void AssertRefused(ProcessResult r, string expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), r.StdErr);
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: " + expected));
            Assert.That(Directory.GetFiles(_temp.Combine("out")), Is.Empty, "no package");
            Assert.That(Directory.Exists(_temp.Combine("cache", "consul-pkg", "sha256")), Is.False, "nothing unverified in the cache");
        }
    }
}
