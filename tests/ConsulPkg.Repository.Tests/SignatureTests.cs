using ConsulPkg.Debian.OpenPgp;
using ConsulPkg.Repository.Tests.Support;
using ConsulPkg.Testing.Signing;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>InRelease and Release.gpg judged by gpgv, with the keyring the repository ships for Signed-By.</summary>
public sealed class SignatureTests
{
    public enum Key
    {
        RsaArmored,
        Ed25519SubkeyBinary,
        ProtectedWithPassphrase,
    }

    [TestCase(Key.RsaArmored, "using RSA key")]
    [TestCase(Key.Ed25519SubkeyBinary, "using EDDSA key")]
    [TestCase(Key.ProtectedWithPassphrase, "using EDDSA key")]
    public void GpgvAcceptsBothSignaturesWithTheShippedKeyring(Key key, string algorithm)
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        (string file, string? passphrase) = key switch
        {
            Key.RsaArmored => (Keys.RsaArmored, null),
            Key.Ed25519SubkeyBinary => (Keys.Ed25519Binary, null),
            _ => (Keys.Protected, TestSigningKeys.Passphrase),
        };
        Publish(repo, [TestDebs.Build(work.Path, "tool", "1.0-1")], file, passphrase: passphrase);

        string keyring = Path.Combine(repo, RepositoryPublisher.KeyringFileName);
        string suite = Path.Combine(repo, "dists/stable");
        ProcessResult inRelease = Gpgv(keyring, Path.Combine(suite, "InRelease"));
        ProcessResult detached = Gpgv(keyring, Path.Combine(suite, "Release.gpg"), Path.Combine(suite, "Release"));
        ProcessResult otherKey = Gpgv(Keys.OtherPublicKeyring, Path.Combine(suite, "InRelease"));
        Assert.Multiple(() =>
        {
            Assert.That(inRelease.ExitCode, Is.Zero, inRelease.StdErr);
            Assert.That(inRelease.StdErr, Does.Contain("Good signature").And.Contain(algorithm));
            Assert.That(detached.ExitCode, Is.Zero, detached.StdErr);
            Assert.That(detached.StdErr, Does.Contain("Good signature"));
            Assert.That(otherKey.ExitCode, Is.Not.Zero, "another key's keyring does not verify it");
            Assert.That(Encoding().GetString(Gpgv(keyring, "--output", "-", Path.Combine(suite, "InRelease")).StdOutBytes),
                Is.EqualTo(File.ReadAllText(Path.Combine(suite, "Release"))), "InRelease signs exactly the Release text");
        });
    }

    [Test]
    public void ATamperedInReleaseFailsVerification()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        Publish(repo, [TestDebs.Build(work.Path, "tool", "1.0-1")]);
        string inRelease = Path.Combine(repo, "dists/stable/InRelease");
        File.WriteAllText(inRelease, File.ReadAllText(inRelease).Replace("Suite: stable", "Suite: stablE", StringComparison.Ordinal));

        ProcessResult result = Gpgv(Path.Combine(repo, RepositoryPublisher.KeyringFileName), inRelease);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StdErr, Does.Contain("BAD signature"));
    }

    [Test]
    public void TwoKeysSignBothFilesAndTheKeyringHoldsBoth()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        RepositoryChangeResult result = Publish(repo, [TestDebs.Build(work.Path, "tool", "1.0-1")], keyFiles: [Keys.RsaArmored, Keys.Ed25519Binary]);

        string suite = Path.Combine(repo, "dists/stable");
        string keyring = Path.Combine(repo, RepositoryPublisher.KeyringFileName);
        var held = OpenPgpKeyring.Parse(File.ReadAllBytes(keyring), "keyring").Fingerprints;
        Assert.Multiple(() =>
        {
            Assert.That(held, Is.EqualTo(new[] { Keys.RsaFingerprint, Keys.Ed25519Fingerprint }), "both public keys, in the order given");
            foreach (string trusted in new[] { Keys.PublicOnly, Keys.Ed25519PublicKeyring })
            {
                ProcessResult inRelease = ProcessRunner.Run("gpgv", "--status-fd", "1", "--keyring", trusted, Path.Combine(suite, "InRelease"));
                ProcessResult detached = ProcessRunner.Run("gpgv", "--status-fd", "1", "--keyring", trusted, Path.Combine(suite, "Release.gpg"), Path.Combine(suite, "Release"));
                foreach (ProcessResult check in new[] { inRelease, detached })
                {
                    // gpgv exits 2 for the signature whose key it lacks; apt reads the status lines, as here.
                    string[] status = check.StdOut.Split('\n');
                    Assert.That(status.Count(l => l.StartsWith("[GNUPG:] VALIDSIG ", StringComparison.Ordinal)), Is.EqualTo(1), "one good signature: " + check.StdOut);
                    Assert.That(status.Count(l => l.StartsWith("[GNUPG:] NO_PUBKEY ", StringComparison.Ordinal)), Is.EqualTo(1), "and one by the other key: " + check.StdOut);
                    Assert.That(status.Count(l => l.StartsWith("[GNUPG:] BADSIG", StringComparison.Ordinal) || l.StartsWith("[GNUPG:] ERRSIG", StringComparison.Ordinal)), Is.EqualTo(1),
                        "no bad signature; the one error is the missing key's: " + check.StdOut);
                }
            }

            Assert.That(result.KeyringChanged, Is.False);
        });
    }

    [Test]
    public void AddingAKeyIsNoKeyringChangeButReplacingEveryKeyIs()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        string deb = TestDebs.Build(work.Path, "tool", "1.0-1");
        Publish(repo, [deb], Keys.RsaArmored);
        RepositoryChangeResult both = Publish(repo, [deb], keyFiles: [Keys.RsaArmored, Keys.Ed25519Binary]);
        RepositoryChangeResult newOnly = Publish(repo, [deb], Keys.Ed25519Binary);
        RepositoryChangeResult replaced = Publish(repo, [deb], Keys.RsaArmored);
        Assert.That((both.KeyringChanged, newOnly.KeyringChanged, replaced.KeyringChanged), Is.EqualTo((false, false, true)),
            "clients holding the old key keep updating while it signs beside the new one, and only those holding none of the signers break");
    }

    private static System.Text.Encoding Encoding() => System.Text.Encoding.UTF8;

    private static ProcessResult Gpgv(string keyring, params string[] arguments) =>
        ProcessRunner.Run("gpgv", ["--keyring", keyring, .. arguments]);
}
