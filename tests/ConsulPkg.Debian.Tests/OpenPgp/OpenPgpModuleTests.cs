using System.Text;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Debian.Tests.OpenPgp;

/// <summary>
/// The one OpenPGP module: keys read in every form gpg writes them, signatures made here judged by
/// gpgv, and signatures made by gpg checked here.
/// </summary>
[TestFixture]
public sealed class OpenPgpModuleTests
{
    private static readonly DateTimeOffset SignedAt = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private GpgHome _gpg = null!;
    private TempDirectory _files = null!;
    private string _rsa = null!;
    private string _ed = null!;

    [OneTimeSetUp]
    public void MakeKeys()
    {
        _gpg = new GpgHome();
        _files = new TempDirectory("consul-pkg-openpgp-");
        _rsa = _gpg.Generate("RSA <rsa@openpgp.invalid>", "rsa2048");
        _ed = _gpg.Generate("Ed <ed@openpgp.invalid>", "ed25519");
        _gpg.AddSigningSubkey("ed@openpgp.invalid", "ed25519");
    }

    [OneTimeTearDown]
    public void RemoveKeys()
    {
        _gpg.Dispose();
        _files.Dispose();
    }

    public enum KeyFile
    {
        ArmoredOneBlock,
        ArmoredTwoBlocks,
        Binary,
        ArmoredSecret,
    }

    [TestCase(KeyFile.ArmoredOneBlock)]
    [TestCase(KeyFile.ArmoredTwoBlocks)]
    [TestCase(KeyFile.Binary)]
    [TestCase(KeyFile.ArmoredSecret)]
    public void EveryKeyOfAFileIsRead(KeyFile form)
    {
        byte[] bytes = form switch
        {
            KeyFile.ArmoredOneBlock => _gpg.Run("--armor", "--export", _rsa, _ed),
            KeyFile.ArmoredTwoBlocks => [.. _gpg.Run("--armor", "--export", _rsa), .. "\n"u8, .. _gpg.Run("--armor", "--export", _ed)],
            KeyFile.Binary => _gpg.Run("--export", _rsa, _ed),
            _ => _gpg.Run("--armor", "--export-secret-keys", _rsa, _ed),
        };

        OpenPgpKeyring keys = OpenPgpKeyring.Parse(bytes, "test keys");

        Assert.That(keys.Fingerprints, Is.EquivalentTo(new[] { _rsa, _ed }));
        Assert.That(keys.Export(), Is.EqualTo(_gpg.Run("--export", _rsa, _ed)).Or.EqualTo(_gpg.Run("--export", _ed, _rsa)),
            "the binary keyring holds the public keys as gpg exports them, never a secret part");
    }

    [Test]
    public void AFileWithoutAKeyIsRefusedNamingIt()
    {
        byte[] signature = _gpg.Run("--armor", "--detach-sign", "--local-user", _rsa, _files.WriteFile("data", "data\n"));
        var e = Assert.Throws<PackageException>(() => OpenPgpKeyring.Parse(signature, "key file 'x.asc'"));
        Assert.That(e!.Message, Is.EqualTo("key file 'x.asc' holds no OpenPGP public key: export one with 'gpg --export --armor KEYID'"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SignaturesMadeHereAreGoodForGpgvAndForTheVerifier(bool edSubkey)
    {
        SigningKey key = Load(edSubkey ? _ed : _rsa);
        const string Text = "Origin: test\n-dash line\nSuite: stable  \n";
        byte[] data = Encoding.UTF8.GetBytes(Text);
        string detached = OpenPgpSigner.DetachedSign([key], data, SignedAt);
        string clearSigned = OpenPgpSigner.ClearSign([key], Text, SignedAt);
        string keyring = _files.WriteFile(edSubkey ? "ed.gpg" : "rsa.gpg", key.PublicKey.Export());
        string dataFile = _files.WriteFile("signed", Text);

        ProcessResult gpgvDetached = Gpgv(keyring, _files.WriteFile("signed.sig", detached), dataFile);
        ProcessResult gpgvClear = Gpgv(keyring, _files.WriteFile("signed.asc", clearSigned));
        var verifier = new SignatureVerifier(key.PublicKey);
        GoodSignature good = verifier.VerifyDetached(data, Encoding.ASCII.GetBytes(detached), "signed", "signed.sig", SignedAt);
        SignedText clear = verifier.VerifyClearSigned(clearSigned, "signed.asc", SignedAt);
        Assert.Multiple(() =>
        {
            Assert.That(gpgvDetached.StdOut, Does.Contain($"[GNUPG:] VALIDSIG {key.SigningFingerprint} "), gpgvDetached.StdErr);
            Assert.That(gpgvClear.StdOut, Does.Contain($"[GNUPG:] VALIDSIG {key.SigningFingerprint} "), gpgvClear.StdErr);
            Assert.That(good, Is.EqualTo(new GoodSignature(key.Fingerprint, key.SigningFingerprint, SignedAt)));
            Assert.That(clear.Signature, Is.EqualTo(good));
            Assert.That(clear.Text, Is.EqualTo(Text), "the signed text comes back as it was, dash escapes undone");
        });
    }

    [Test]
    public void SignaturesMadeByGpgAreGoodHere()
    {
        string dataFile = _files.WriteFile("gpg-signed", "Release text\n- not an escape\n");
        byte[] detached = _gpg.Run("--detach-sign", "--local-user", _ed, "--output", "-", dataFile);
        string clearSigned = Encoding.UTF8.GetString(_gpg.Run("--clearsign", "--local-user", _rsa, "--output", "-", dataFile));
        var verifier = new SignatureVerifier(OpenPgpKeyring.Parse(_gpg.Run("--export", _rsa, _ed), "test keys"));

        GoodSignature good = verifier.VerifyDetached(File.ReadAllBytes(dataFile), detached, "gpg-signed", "gpg-signed.sig", DateTimeOffset.UtcNow);
        SignedText clear = verifier.VerifyClearSigned(clearSigned, "gpg-signed.asc", DateTimeOffset.UtcNow);

        Assert.That(good.PrimaryFingerprint, Is.EqualTo(_ed));
        Assert.That(good.SignerFingerprint, Is.Not.EqualTo(_ed), "gpg signs with the signing subkey");
        Assert.That(clear.Signature.PrimaryFingerprint, Is.EqualTo(_rsa));
        Assert.That(clear.Text, Is.EqualTo(File.ReadAllText(dataFile)));
    }

    [Test]
    public void AnAlteredTextOrAnUntrustedKeyIsRefused()
    {
        SigningKey key = Load(_rsa);
        string clearSigned = OpenPgpSigner.ClearSign([key], "Suite: stable\n", SignedAt);
        var trusting = new SignatureVerifier(key.PublicKey);
        var other = new SignatureVerifier(OpenPgpKeyring.Parse(_gpg.Run("--export", _ed), "other"));

        var bad = Assert.Throws<PackageException>(() => trusting.VerifyClearSigned(clearSigned.Replace("stable", "stablE", StringComparison.Ordinal), "InRelease", SignedAt));
        var untrusted = Assert.Throws<PackageException>(() => other.VerifyClearSigned(clearSigned, "InRelease", SignedAt));
        Assert.That(bad!.Message, Does.StartWith("BAD signature: InRelease does not match InRelease"));
        Assert.That(untrusted!.Message, Does.StartWith($"InRelease was made by key {key.SigningFingerprint[^16..]}, which is not trusted"));
        Assert.That(untrusted.Setting, Is.EqualTo(OpenPgpSettings.TrustedKeys));
    }

    private SigningKey Load(string fingerprint) =>
        SigningKey.Load(_files.WriteFile(fingerprint + ".key", _gpg.Run("--armor", "--export-secret-keys", fingerprint)), null, SignedAt);

    private static ProcessResult Gpgv(string keyring, params string[] files) =>
        ProcessRunner.Run("gpgv", ["--status-fd", "1", "--keyring", keyring, .. files]);
}
