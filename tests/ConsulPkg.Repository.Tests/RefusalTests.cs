using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>
/// Each refusal through the real command line: exit code 1, one line on stderr naming the
/// offending value, and the repository exactly as it was (every file's bytes and mode).
/// </summary>
public sealed class RefusalTests
{
    private TempDirectory work = null!;
    private string repo = null!;
    private string published = null!;

    [SetUp]
    public void PublishOnce()
    {
        work = new TempDirectory();
        repo = work.Combine("repo");
        published = TestDebs.Build(work.Path, "tool", "1.0-1");
        ProcessResult first = Cli("--signing-key", Keys.RsaArmored, published);
        Assert.That(first.ExitCode, Is.Zero, first.StdErr);
    }

    [TearDown]
    public void Remove() => work.Dispose();

    [Test]
    public void SameNameVersionArchitectureWithOtherBytes()
    {
        Directory.CreateDirectory(work.Combine("rebuilt"));
        string rebuilt = TestDebs.Build(work.Combine("rebuilt"), "tool", "1.0-1", payload: "different\n");
        string fresh = TestDebs.Build(work.Path, "fresh", "1.0-1");
        AssertRefused(["--signing-key", Keys.RsaArmored, fresh, rebuilt], "tool 1.0-1 amd64 is already in the repository as pool/main/t/tool/tool_1.0-1_amd64.deb with different content");
    }

    [Test]
    public void PublicKeyWithoutSecretPart() =>
        AssertRefused(["--signing-key", Keys.PublicOnly, Fresh()], $"signing key '{Keys.PublicOnly}' is a public key without its secret part");

    [Test]
    public void ProtectedKeyWithoutPassphraseFile() =>
        AssertRefused(["--signing-key", Keys.Protected, Fresh()], $"signing key '{Keys.Protected}' is protected by a passphrase: give the passphrase (--passphrase-file)");

    [Test]
    public void ProtectedKeyWithTheWrongPassphrase() =>
        AssertRefused(["--signing-key", Keys.Protected, "--passphrase-file", Keys.WrongPassphraseFile, Fresh()], "cannot be unlocked with the passphrase given");

    [Test]
    public void ExpiredKey() =>
        AssertRefused(["--signing-key", Keys.Expired, Fresh()], $"signing key '{Keys.Expired}'", "expired on 2020-01-02");

    [Test]
    public void FileThatIsNotADebianPackage() =>
        AssertRefused(["--signing-key", Keys.RsaArmored, Fresh(), work.WriteFile("notes.deb", "just text\n")], "notes.deb: not a Debian format archive");

    [Test]
    public void TruncatedPackage()
    {
        byte[] bytes = File.ReadAllBytes(Fresh());
        string truncated = work.Combine("truncated_1.0_amd64.deb");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 40)]);
        AssertRefused(["--signing-key", Keys.RsaArmored, truncated], "truncated_1.0_amd64.deb");
    }

    [TestCase("stable/updates")]
    [TestCase("my suite")]
    public void SuiteNameWithSlashOrSpace(string suite) =>
        AssertRefused(["--signing-key", Keys.RsaArmored, "--suite", suite, Fresh()], $"suite '{suite}' is not a valid suite name", "(--suite)");

    [Test]
    public void IndexChangedBehindTheReleasesBack()
    {
        string packages = Path.Combine(repo, "dists/stable/main/binary-amd64/Packages");
        File.AppendAllText(packages, "\n");
        AssertRefused(["--signing-key", Keys.RsaArmored, Fresh()], $"{packages} does not match the SHA256 in its Release");
    }

    [Test]
    public void ProtectedKeyWithItsPassphraseFileSigns()
    {
        // The control case for the two refusals above: the same key with the right file works.
        ProcessResult result = Cli("--signing-key", Keys.Protected, "--passphrase-file", Keys.PassphraseFile, Fresh());
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("added pool/main/f/fresh/fresh_1.0-1_amd64.deb")
            .And.Contain("Types: deb\n").And.Contain("Suites: stable\nComponents: main\nSigned-By: /etc/apt/keyrings/"), "the client's .sources stanza");
    }

    [TestCase("remove", "nosuch", "package 'nosuch' matches nothing in stable")]
    [TestCase("remove", "tool=9.9-1", "package 'tool=9.9-1' matches nothing in stable")]
    [TestCase("remove", "tool:arm64", "package 'tool:arm64' matches nothing in stable")]
    [TestCase("copy", "nosuch", "package 'nosuch' matches nothing in stable")]
    public void RemoveOrCopyOfWhatIsNotThere(string command, string selector, string expected)
    {
        string[] suites = command == "remove" ? ["--suite", "stable"] : ["--from", "stable", "--to", "testing"];
        AssertRefusedCommand(["repo", command, "--repo", repo, .. suites, "--signing-key", Keys.RsaArmored, "tool", selector], expected);
    }

    [Test]
    public void RemoveFromASuiteNeverPublished() =>
        AssertRefusedCommand(["repo", "remove", "--repo", repo, "--suite", "unstable", "--signing-key", Keys.RsaArmored, "tool"], "suite 'unstable' is not published", "(it has: stable)", "(--suite)");

    [Test]
    public void CopyIntoTheSameSuite() =>
        AssertRefusedCommand(["repo", "copy", "--repo", repo, "--from", "stable", "--to", "stable", "--signing-key", Keys.RsaArmored, "tool"], "--from and --to are both 'stable'");

    [Test]
    public void CopyOfAVersionTheTargetHasWithOtherBytes()
    {
        Directory.CreateDirectory(work.Combine("rebuilt"));
        string rebuilt = TestDebs.Build(work.Combine("rebuilt"), "tool", "1.0-1", payload: "different\n");
        ProcessResult other = ConsulPkgProcess.Run(["repo", "publish", "--repo", repo, "--suite", "testing", "--component", "contrib", "--signing-key", Keys.RsaArmored, rebuilt],
            sourceDateEpoch: Date.ToUnixTimeSeconds());
        Assert.That(other.ExitCode, Is.Zero, other.StdErr);
        AssertRefusedCommand(["repo", "copy", "--repo", repo, "--from", "stable", "--to", "testing", "--signing-key", Keys.RsaArmored, "tool"],
            "tool 1.0-1 amd64 is already in testing as pool/contrib/t/tool/tool_1.0-1_amd64.deb with other content");
    }

    /// <summary>Values refused when the command line is parsed: exit 2, one line naming the value, nothing read or written.</summary>
    [TestCase("remove", "--suite stable --signing-key KEY Tool_1", "package 'Tool_1' is not NAME[=VERSION][:ARCH]", "repo remove --help")]
    [TestCase("remove", "--suite stable --signing-key KEY tool=1.0-1:AMD64", "package 'tool=1.0-1:AMD64'", "repo remove --help")]
    [TestCase("copy", "--from stable --to testing --signing-key KEY tool= ", "package 'tool='", "repo copy --help")]
    [TestCase("publish", "--suite stable --signing-key KEY --keep-versions 0 DEB", "--keep-versions 0: give 1 or more", "repo publish --help")]
    [TestCase("publish", "--suite stable --signing-key KEY --valid-for -3 DEB", "--valid-for -3: give 1 or more", "repo publish --help")]
    [TestCase("remove", "--suite stable tool", "--signing-key is required", "unless --dry-run")]
    public void UsageErrors(string command, string arguments, string expected, string hint)
    {
        string[] values = [.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a switch { "KEY" => Keys.RsaArmored, "DEB" => Fresh(), _ => a })];
        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        ProcessResult result = ConsulPkgProcess.Run(["repo", command, "--repo", repo, .. values], sourceDateEpoch: Date.ToUnixTimeSeconds());
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.StdErr);
            Assert.That(result.StdErr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one line on stderr: " + result.StdErr);
            Assert.That(result.StdErr, Does.StartWith("consul-pkg: ").And.Contain(expected).And.Contain(hint));
            Assert.That(result.StdOut, Is.Empty);
            Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before), "the repository is exactly as it was");
        });
    }

    private void AssertRefusedCommand(string[] arguments, params string[] expected)
    {
        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        ProcessResult result = ConsulPkgProcess.Run(arguments, sourceDateEpoch: Date.ToUnixTimeSeconds());
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.StdErr);
            Assert.That(result.StdErr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one line on stderr: " + result.StdErr);
            foreach (string part in expected)
            {
                Assert.That(result.StdErr, Does.StartWith("consul-pkg: ").And.Contain(part));
            }

            Assert.That(result.StdOut, Is.Empty);
            Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before), "the repository is exactly as it was");
        });
    }

    private string Fresh() => TestDebs.Build(work.Path, "fresh", "1.0-1");

    private ProcessResult Cli(params string[] arguments)
    {
        string[] suite = arguments.Contains("--suite") ? [] : ["--suite", "stable"];
        return ConsulPkgProcess.Run(["repo", "publish", "--repo", repo, .. suite, .. arguments], sourceDateEpoch: Date.ToUnixTimeSeconds());
    }

    private void AssertRefused(string[] arguments, params string[] expected)
    {
        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        ProcessResult result = Cli(arguments);
        string[] lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.StdErr);
            Assert.That(lines, Has.Length.EqualTo(1), "one line on stderr");
            foreach (string part in expected)
            {
                Assert.That(result.StdErr, Does.StartWith("consul-pkg: ").And.Contain(part));
            }

            Assert.That(result.StdOut, Is.Empty);
            Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before), "the repository is exactly as it was");
        });
    }
}
