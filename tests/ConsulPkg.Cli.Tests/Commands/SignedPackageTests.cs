using System.Globalization;
using System.Text;
using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Consul.Tests.Support;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>
/// Signed packages (<c>fpm --deb-signing-key</c>, <c>build --signing-key</c>) judged by the real
/// tools: the <c>_gpgorigin</c> member is the one debsigs adds to the same package, debsig-verify
/// under a policy naming the key accepts it and rejects a tampered or unsigned package, and
/// <c>consul-pkg verify</c> agrees with it on each; dpkg-deb reads the package as before.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SignedPackageTests
{
    private const string Epoch = "1700000000";
    private const string Passphrase = "signing passphrase";

    private GpgHome _gpg = null!;
    private TempDirectory _temp = null!;
    private string _key = null!;
    private string _secret = null!;
    private string _lockedSecret = null!;
    private string _public = null!;
    private string _otherPublic = null!;

    [OneTimeSetUp]
    public void MakeKeys()
    {
        _gpg = new GpgHome();
        _temp = new TempDirectory("consul-pkg-signed-");
        _key = _gpg.Generate("Packager <packager@signed.invalid>", "ed25519");
        _secret = _gpg.ExportSecret(_key, _temp.Combine("packager.asc"), armor: true);
        _public = _gpg.ExportPublic(_key, _temp.Combine("packager.gpg"));
        string locked = _gpg.Generate("Locked <locked@signed.invalid>", "ed25519", passphrase: Passphrase);
        _lockedSecret = _gpg.ExportSecret(locked, _temp.Combine("locked.asc"), armor: true, Passphrase);
        _temp.WriteFile("passphrase", Passphrase + "\n");
        string other = _gpg.Generate("Other <other@signed.invalid>", "ed25519");
        _otherPublic = _gpg.ExportPublic(other, _temp.Combine("other.gpg"));
        _temp.WriteFile("tree/usr/share/signed-tool/README", "a signed package\n");
    }

    [OneTimeTearDown]
    public void RemoveKeys()
    {
        _gpg.Dispose();
        _temp.Dispose();
    }

    public enum Package
    {
        SignedByTheTrustedKey,
        Tampered,
        WithoutSignature,
        SignedByAnUntrustedKey,
    }

    [TestCase(Package.SignedByTheTrustedKey, true, null)]
    [TestCase(Package.Tampered, false, "BAD signature")]
    [TestCase(Package.WithoutSignature, false, "is not signed")]
    [TestCase(Package.SignedByAnUntrustedKey, false, "which is not trusted")]
    public void DebsigVerifyAndVerifyAgree(Package package, bool accepted, string? reason)
    {
        string deb = package switch
        {
            Package.WithoutSignature => Fpm("unsigned.deb"),
            Package.SignedByAnUntrustedKey => Fpm("locked.deb", "--deb-signing-key", _lockedSecret, "--passphrase-file", "passphrase"),
            _ => Fpm($"{package}.deb".ToLowerInvariant(), "--deb-signing-key", _secret),
        };
        if (package == Package.Tampered)
        {
            // One byte of data.tar changed; the signature member stays as it was.
            byte[] bytes = File.ReadAllBytes(deb);
            bytes[bytes.Length - 400] ^= 0x01;
            File.WriteAllBytes(deb, bytes);
        }

        ProcessResult debsig = DebsigVerify(deb);
        ProcessResult ours = Verify(deb, _public);
        Assert.Multiple(() =>
        {
            Assert.That(debsig.ExitCode == 0, Is.EqualTo(accepted), debsig.ToString());
            Assert.That(ours.ExitCode, Is.EqualTo(accepted ? 0 : 1), ours.ToString());
            if (reason is not null)
            {
                Assert.That(ours.StdErr, Does.Contain(reason));
                Assert.That(ours.StdErr.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
            }
            else
            {
                Assert.That(ours.StdOut, Does.StartWith($"{deb}: good signature by key {_key}"));
            }
        });
    }

    [Test]
    public void TheSignatureMemberIsTheOneDebsigsAddsToTheSamePackage()
    {
        string unsigned = Fpm("plain.deb");
        string ours = Fpm("ours.deb", "--deb-signing-key", _secret);
        string theirs = _temp.Combine("debsigs.deb");
        File.Copy(unsigned, theirs, overwrite: true);
        ProcessRunner.Run("debsigs", ["--sign=origin", $"--default-key={_key}", theirs], environment: new Dictionary<string, string?> { ["GNUPGHOME"] = _gpg.Path }).EnsureSuccess();

        byte[] plain = File.ReadAllBytes(unsigned);
        byte[] ourBytes = File.ReadAllBytes(ours);
        byte[] theirBytes = File.ReadAllBytes(theirs);
        string ourHeader = Encoding.ASCII.GetString(ourBytes, plain.Length, 60);
        string theirHeader = Encoding.ASCII.GetString(theirBytes, plain.Length, 60);
        Assert.Multiple(() =>
        {
            Assert.That(ourBytes[..plain.Length], Is.EqualTo(plain), "the package's own members are unchanged, as debsigs leaves them");
            Assert.That(theirBytes[..plain.Length], Is.EqualTo(plain));
            Assert.That(ourHeader[..48], Is.EqualTo(theirHeader[..48]), "name, time 0, owner and mode 644 as debsigs' ar writes them");
            Assert.That(ourHeader[58..], Is.EqualTo(theirHeader[58..]));
            Assert.That(ourBytes[plain.Length + 60], Is.AnyOf((byte)0x88, (byte)0x89, (byte)0xC2), "a binary signature packet, not armor, as gpg --detach-sign writes");
            Assert.That(ProcessRunner.Run("ar", "t", ours).StdOut, Is.EqualTo(ProcessRunner.Run("ar", "t", theirs).StdOut));
        });
    }

    [Test]
    public void ASignedPackageReadsAsDpkgDebReadsIt()
    {
        string deb = Fpm("read.deb", "--deb-signing-key", _secret);
        foreach ((string[] ours, string[] dpkg) in new[] { (new[] { "contents", deb }, new[] { "-c", deb }), (["info", deb], ["-I", deb]) })
        {
            ProcessResult expected = ProcessRunner.RunUtc("dpkg-deb", dpkg);
            ProcessResult actual = CliRunner.Run(CliRunner.Context(_temp.Path), ours);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), string.Join(' ', ours));
        }
    }

    [Test]
    public void ConsulBuildSignsWithAProtectedKeyAndVerifySaysWhoSigned()
    {
        using var server = new FakeReleaseServer();
        var release = new FakeRelease("0.7.5");
        release.Publish(server, TestKeys.Trusted);
        _temp.WriteFile("release-key.asc", TestKeys.Trusted.ArmoredPublicKey);
        Directory.CreateDirectory(_temp.Combine("consul"));
        Dictionary<string, string> environment = CliRunner.ConsulEnvironment(server.BaseUrl, _temp.Combine("cache"), TestKeys.GossipKeyBase64);
        environment["SOURCE_DATE_EPOCH"] = Epoch; // after the key was made: a signature may not predate its key
        CliContext context = CliRunner.Context(_temp.Path, environment, () => DateTimeOffset.UtcNow);

        ProcessResult build = CliRunner.Run(context, "build", "--consul-version", "0.7.5", "--trusted-key", "release-key.asc", "--output", "consul",
            "--signing-key", _lockedSecret, "--passphrase-file", "passphrase", "-f");
        string deb = _temp.Combine("consul", "consul_0.7.5-1_amd64.deb");
        string lockedPublic = _temp.WriteFile("locked-public.asc", Encoding.ASCII.GetString(_gpg.Run("--armor", "--export", "locked@signed.invalid")));
        ProcessResult verified = Verify(deb, _otherPublic, lockedPublic);
        ProcessResult untrusted = Verify(deb, _public);
        Assert.Multiple(() =>
        {
            Assert.That(build.ExitCode, Is.Zero, build.ToString());
            Assert.That(build.StdOut, Does.Contain("signed with key "));
            Assert.That(verified.ExitCode, Is.Zero, verified.ToString());
            Assert.That(verified.StdOut, Does.Contain("made 2023-11-14 22:13:20 UTC"), "the signature carries SOURCE_DATE_EPOCH");
            Assert.That(untrusted.ExitCode, Is.EqualTo(1));
            Assert.That(untrusted.StdErr, Does.Contain("which is not trusted").And.Contain("(--trusted-key FILE)"));
        });
    }

    [Test]
    public void AKeyNewerThanTheSignaturesDateIsRefused()
    {
        string deb = _temp.Combine("early.deb");
        ProcessResult r = CliRunner.Run(CliRunner.Context(_temp.Path, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1480956780" }, () => DateTimeOffset.UtcNow),
            "fpm", "-s", "dir", "-t", "deb", "-n", "signed-tool", "-v", "1.0", "-a", "all", "-p", deb, "-C", "tree", "--deb-signing-key", _secret, ".");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.StdErr, Does.Contain("was created on 2020-01-01, after the date the signature would carry (2016-12-05"));
        Assert.That(File.Exists(deb), Is.False);
    }

    [Test]
    public void AWrongPassphraseIsRefusedAndNothingIsWritten()
    {
        _temp.WriteFile("wrong", "not it\n");
        string deb = _temp.Combine("wrong.deb");
        ProcessResult r = CliRunner.Run(CliRunner.Context(_temp.Path, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = Epoch }, () => DateTimeOffset.UtcNow),
            "fpm", "-s", "dir", "-t", "deb", "-n", "signed-tool", "-v", "1.0", "-a", "all", "-p", deb, "-C", "tree", "--deb-signing-key", _lockedSecret, "--passphrase-file", "wrong", ".");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Does.Contain("cannot be unlocked with the passphrase given").And.Contain("(--passphrase-file)"));
            Assert.That(r.StdErr, Does.Not.Contain("not it"));
            Assert.That(File.Exists(deb), Is.False);
        });
    }

    /// <summary>The test tree packaged by fpm into <paramref name="name"/>, at a fixed SOURCE_DATE_EPOCH.</summary>
    private string Fpm(string name, params string[] extra)
    {
        string deb = _temp.Combine(name);
        ProcessResult r = CliRunner.Run(CliRunner.Context(_temp.Path, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = Epoch }, () => DateTimeOffset.UtcNow),
            ["fpm", "-s", "dir", "-t", "deb", "-n", "signed-tool", "-v", "1.0", "-a", "all", "-m", "Packager <packager@signed.invalid>", "-p", deb, "-f", "-C", "tree", .. extra, "."]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        return deb;
    }

    private ProcessResult Verify(string deb, params string[] keys) =>
        CliRunner.Run(CliRunner.Context(_temp.Path, null, () => DateTimeOffset.UtcNow), ["verify", deb, .. keys.SelectMany(k => new[] { "--trusted-key", k })]);

    /// <summary>debsig-verify with a policy that names the packager's key and its keyring, as an administrator would set them up.</summary>
    private ProcessResult DebsigVerify(string deb)
    {
        string id = _key[^16..];
        string policies = _temp.Combine("debsig", "policies", id);
        string keyrings = _temp.Combine("debsig", "keyrings", id);
        Directory.CreateDirectory(policies);
        Directory.CreateDirectory(keyrings);
        File.Copy(_public, Path.Combine(keyrings, "debsig.gpg"), overwrite: true);
        File.WriteAllText(Path.Combine(policies, "packager.pol"), string.Create(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0"?>
            <!DOCTYPE Policy SYSTEM "https://www.debian.org/debsig/1.0/policy.dtd">
            <Policy xmlns="https://www.debian.org/debsig/1.0/">
              <Origin Name="packager" id="{id}" Description="the test packager"/>
              <Selection>
                <Required Type="origin" File="debsig.gpg" id="{id}"/>
              </Selection>
              <Verification MinOptional="0">
                <Required Type="origin" File="debsig.gpg" id="{id}"/>
              </Verification>
            </Policy>
            """));
        return ProcessRunner.Run("debsig-verify", "--policies-dir", _temp.Combine("debsig", "policies"), "--keyrings-dir", _temp.Combine("debsig", "keyrings"), deb);
    }
}
