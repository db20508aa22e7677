using ConsulPkg.Debian.OpenPgp;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.Tests.OpenPgp;

/// <summary>
/// The verification policy judged against the verifiers apt uses, on the same files: every key is
/// made by gpg at test time (two signatures gpg refuses to make, by an encryption-only subkey and
/// by a subkey stripped of its back-signature, are made with BouncyCastle from gpg's secret key),
/// and each outcome is compared with what <c>gpgv --status-fd 1</c> reports, read as apt reads it
/// (GOODSIG with a VALIDSIG of SHA-256 or stronger accepts; REVKEYSIG, EXPKEYSIG, BADSIG, ERRSIG
/// or a weak digest refuses), and with <c>sqv</c>, the verifier apt uses from Debian 13 on.
/// </summary>
/// <remarks>
/// Where the two differ, the policy takes the stricter side but once, as the table shows: a key
/// expired since it signed is refused as gpgv refuses it (EXPKEYSIG), though sqv judges the key
/// at the signature's time only; a signature dated in the future is refused as sqv refuses it,
/// though gpgv accepts it; and a signature made before its key was revoked as superseded or
/// retired stands, as in sqv and RFC 9580, though gpgv reports REVKEYSIG for it.
/// </remarks>
[TestFixture]
public sealed class VerificationPolicyTests
{
    private static readonly DateTimeOffset Created = GpgHome.KeyCreation;
    private static readonly DateTimeOffset Signed = new(2020, 9, 13, 12, 26, 40, TimeSpan.Zero);

    private GpgHome _gpg = null!;
    private TempDirectory _files = null!;
    private string _data = null!;

    public enum Situation
    {
        Sha256,
        Sha512,
        Sha1,
        Ripemd160,
        RevokedWithoutReasonAfterSigning,
        RevokedCompromisedAfterSigning,
        RevokedSupersededAfterSigning,
        RevokedRetiredAfterSigning,
        RevokedWithoutReasonBeforeSigning,
        RevokedCompromisedBeforeSigning,
        RevokedSupersededBeforeSigning,
        RevokedRetiredBeforeSigning,
        RevokedPrimaryOfSigningSubkey,
        ExpiredKey,
        ExpiredSubkey,
        CurrentSubkey,
        EncryptionOnlySubkey,
        SubkeyWithoutBackSignature,
        DatedInTheFuture,
    }

    /// <summary>What the policy, gpgv (as apt reads it) and sqv say, and a word the refusal must contain.</summary>
    private sealed record Expected(bool Accepted, bool Gpgv, bool Sqv, string? Reason = null);

    private static Expected ExpectedOf(Situation c) => c switch
    {
        Situation.Sha256 or Situation.Sha512 or Situation.CurrentSubkey => new(true, true, true),
        Situation.Sha1 => new(false, false, false, "SHA-1, which is too weak"),
        Situation.Ripemd160 => new(false, false, false, "RIPEMD-160, which is too weak"),
        Situation.RevokedWithoutReasonAfterSigning or Situation.RevokedWithoutReasonBeforeSigning => new(false, false, false, "without a reason, which counts as compromised"),
        Situation.RevokedCompromisedAfterSigning or Situation.RevokedCompromisedBeforeSigning => new(false, false, false, "as compromised"),
        Situation.RevokedSupersededAfterSigning or Situation.RevokedRetiredAfterSigning => new(true, false, true), // gpgv: REVKEYSIG
        Situation.RevokedSupersededBeforeSigning => new(false, false, false, "as superseded, before this signature was made"),
        Situation.RevokedRetiredBeforeSigning => new(false, false, false, "as retired, before this signature was made"),
        Situation.RevokedPrimaryOfSigningSubkey => new(false, false, false, "belongs to primary key"),
        Situation.ExpiredKey => new(false, false, true, "which expired on 2020-12-31"), // sqv: good, the key was valid when it signed
        Situation.ExpiredSubkey => new(false, false, true, "which expired on 2021-01-01"),
        Situation.EncryptionOnlySubkey => new(false, false, false, "is not flagged for signing"),
        Situation.SubkeyWithoutBackSignature => new(false, false, false, "without a valid back-signature"),
        _ => new(false, true, false, "in the future"), // gpgv: GOODSIG
    };

    [OneTimeSetUp]
    public void SetUp()
    {
        _gpg = new GpgHome();
        _files = new TempDirectory("consul-pkg-policy-");
        _data = _files.WriteFile("SHA256SUMS", "0123abcd  consul_1.0.0_linux_amd64.zip\n");
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _gpg.Dispose();
        _files.Dispose();
    }

    [TestCaseSource(nameof(Cases))]
    public void ThePolicyRefusesWhatAptsVerifiersRefuse(Situation c)
    {
        (string keyring, byte[] signature) = Make(c);
        string signatureFile = _files.WriteFile($"{c}.sig", signature);
        Expected expected = ExpectedOf(c);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        ProcessResult gpgv = ProcessRunner.Run("gpgv", "--status-fd", "1", "--keyring", keyring, signatureFile, _data);
        ProcessResult sqv = ProcessRunner.Run("sqv", "--keyring", keyring, signatureFile, _data);
        var verifier = new SignatureVerifier(OpenPgpKeyring.Parse(File.ReadAllBytes(keyring), "keyring"));
        string? refusal = null;
        try
        {
            verifier.VerifyDetached(File.ReadAllBytes(_data), signature, "SHA256SUMS", $"{c}.sig", now);
        }
        catch (PackageException e)
        {
            refusal = e.Message;
        }

        Assert.Multiple(() =>
        {
            Assert.That(refusal is null, Is.EqualTo(expected.Accepted), refusal ?? "accepted");
            Assert.That(AptAcceptsGpgv(gpgv), Is.EqualTo(expected.Gpgv), gpgv.StdOut + gpgv.StdErr);
            Assert.That(sqv.ExitCode == 0, Is.EqualTo(expected.Sqv), sqv.StdErr);
            if (expected.Reason is { } reason)
            {
                Assert.That(refusal, Does.Contain(reason).And.StartWith($"{c}.sig was made by key "), "one line naming the key and the reason");
                Assert.That(refusal, Does.Not.Contain("\n"));
            }
        });
    }

    private static IEnumerable<Situation> Cases => Enum.GetValues<Situation>();

    /// <summary>
    /// A key shaped like HashiCorp's shipped one (src/ConsulPkg.Consul/Keys/README.md): an RSA
    /// primary that signs, an encryption subkey, a signing subkey that expired a year after it was
    /// made, and a current signing subkey. What the primary and the current subkey sign passes;
    /// what the expired subkey signed while it was valid is refused, as by gpgv (EXPKEYSIG).
    /// </summary>
    [Test]
    public void AKeyShapedLikeHashiCorpsPassesWithItsPrimaryAndCurrentSubkeyOnly()
    {
        var made = new DateTimeOffset(2021, 4, 19, 21, 50, 17, TimeSpan.Zero);
        string primary = _gpg.Generate("HashiCorp-shaped <security@shape.invalid>", "rsa3072");
        _gpg.AddSubkey(primary, "rsa2048", "encr", "never", made);
        string expired = _gpg.AddSubkey(primary, "rsa2048", "sign", "1y", made);
        string current = _gpg.AddSubkey(primary, "rsa2048", "sign", "never", made.AddDays(2));
        string keyring = _gpg.ExportPublic(primary, _files.Combine("hashicorp-shaped.gpg"));
        var verifier = new SignatureVerifier(OpenPgpKeyring.Parse(File.ReadAllBytes(keyring), "keyring"));
        byte[] data = File.ReadAllBytes(_data);

        (string Signer, DateTimeOffset At)[] cases = [(primary + "!", DateTimeOffset.UtcNow.AddMinutes(-1)), (current + "!", DateTimeOffset.UtcNow.AddMinutes(-1)), (expired + "!", made.AddDays(30))];
        var outcomes = new List<(bool Ours, bool Gpgv)>();
        string? refusal = null;
        foreach ((string signer, DateTimeOffset at) in cases)
        {
            byte[] signature = _gpg.Sign(signer, _data, at);
            string file = _files.WriteFile($"shape-{signer[..8]}.sig", signature);
            bool ours = true;
            try
            {
                verifier.VerifyDetached(data, signature, "SHA256SUMS", "SHA256SUMS.72D7468F.sig", DateTimeOffset.UtcNow);
            }
            catch (PackageException e)
            {
                ours = false;
                refusal = e.Message;
            }

            outcomes.Add((ours, AptAcceptsGpgv(ProcessRunner.Run("gpgv", "--status-fd", "1", "--keyring", keyring, file, _data))));
        }

        Assert.That(outcomes, Is.EqualTo(new[] { (true, true), (true, true), (false, false) }), "primary, current subkey, expired subkey");
        Assert.That(refusal, Does.Contain($"made by key {expired}, which expired on 2022-04-19"));
    }

    /// <summary>apt's reading of gpgv's status lines (apt-pkg's gpgv method): a good signature with a strong digest and nothing worthless.</summary>
    private static bool AptAcceptsGpgv(ProcessResult gpgv)
    {
        string[] lines = gpgv.StdOut.Split('\n');
        string[]? valid = lines.FirstOrDefault(l => l.StartsWith("[GNUPG:] VALIDSIG ", StringComparison.Ordinal))?.Split(' ');
        bool worthless = lines.Any(l => l.StartsWith("[GNUPG:] REVKEYSIG", StringComparison.Ordinal) || l.StartsWith("[GNUPG:] EXPKEYSIG", StringComparison.Ordinal)
            || l.StartsWith("[GNUPG:] EXPSIG", StringComparison.Ordinal) || l.StartsWith("[GNUPG:] BADSIG", StringComparison.Ordinal) || l.StartsWith("[GNUPG:] ERRSIG", StringComparison.Ordinal));
        return gpgv.ExitCode == 0 && !worthless && lines.Any(l => l.StartsWith("[GNUPG:] GOODSIG", StringComparison.Ordinal))
            && valid is not null && valid[9] is "8" or "9" or "10"; // SHA-256, SHA-384, SHA-512
    }

    /// <summary>A fresh key for the case (a revocation is for good), its public keyring file and the case's signature of the data.</summary>
    private (string Keyring, byte[] Signature) Make(Situation c)
    {
        string uid = $"{c} <{c.ToString().ToLowerInvariant()}@policy.invalid>";
        bool rsa = c is Situation.Sha1 or Situation.Ripemd160; // EdDSA takes no digest under 256 bits
        string primary = _gpg.Generate(uid, rsa ? "rsa2048" : "ed25519", expire: c == Situation.ExpiredKey ? "1y" : "never");
        byte[] signature;
        switch (c)
        {
            case Situation.Sha1:
                signature = _gpg.Sign(primary, _data, Signed, "SHA1");
                break;
            case Situation.Ripemd160:
                signature = _gpg.Sign(primary, _data, Signed, "RIPEMD160");
                break;
            case Situation.Sha512:
                signature = _gpg.Sign(primary, _data, Signed, "SHA512");
                break;
            case Situation.RevokedWithoutReasonAfterSigning or Situation.RevokedCompromisedAfterSigning or Situation.RevokedSupersededAfterSigning or Situation.RevokedRetiredAfterSigning
                or Situation.RevokedWithoutReasonBeforeSigning or Situation.RevokedCompromisedBeforeSigning or Situation.RevokedSupersededBeforeSigning or Situation.RevokedRetiredBeforeSigning:
                signature = _gpg.Sign(primary, _data, Signed);
                _gpg.Revoke(primary, RevocationReason(c), Signed.AddDays(RevokedAfterSigning(c) ? 30 : -30));
                break;
            case Situation.RevokedPrimaryOfSigningSubkey:
                string revokedSub = _gpg.AddSubkey(primary, "ed25519", "sign", "never", Created.AddDays(1));
                signature = _gpg.Sign(revokedSub + "!", _data, Signed.AddDays(60));
                _gpg.Revoke(primary, 1, Signed.AddDays(30)); // even a soft revocation of the primary voids its subkeys' later signatures
                break;
            case Situation.ExpiredSubkey:
                string expired = _gpg.AddSubkey(primary, "ed25519", "sign", "1y", Created.AddDays(1));
                signature = _gpg.Sign(expired + "!", _data, Signed);
                break;
            case Situation.CurrentSubkey:
                string current = _gpg.AddSubkey(primary, "ed25519", "sign", "never", Created.AddDays(1));
                signature = _gpg.Sign(current + "!", _data, Signed);
                break;
            case Situation.EncryptionOnlySubkey:
                string encryption = _gpg.AddSubkey(primary, "rsa2048", "encr", "never", Created.AddDays(1));
                signature = BouncyCastleSign(primary, encryption, bindWithoutBackSignature: false);
                break;
            case Situation.SubkeyWithoutBackSignature:
                string stripped = _gpg.AddSubkey(primary, "ed25519", "sign", "never", Created.AddDays(1));
                signature = BouncyCastleSign(primary, stripped, bindWithoutBackSignature: true);
                break;
            case Situation.DatedInTheFuture:
                signature = _gpg.Sign(primary, _data, DateTimeOffset.UtcNow.AddDays(1));
                break;
            default:
                signature = _gpg.Sign(primary, _data, Signed);
                break;
        }

        string keyring = _files.Combine($"{c}.gpg");
        if (!File.Exists(keyring))
        {
            _gpg.ExportPublic(primary, keyring);
        }

        return (keyring, signature);
    }

    /// <summary>
    /// A signature by <paramref name="subkey"/> that gpg would not make, from gpg's own secret key;
    /// with <paramref name="bindWithoutBackSignature"/> the keyring written binds the subkey by a
    /// new binding signature without the subkey's back-signature.
    /// </summary>
    private byte[] BouncyCastleSign(string primaryFingerprint, string subkey, bool bindWithoutBackSignature)
    {
        var secret = new PgpSecretKeyRing(_gpg.Run("--export-secret-keys", primaryFingerprint));
        PgpSecretKey signing = secret.GetSecretKeys().Single(k => Convert.ToHexString(k.PublicKey.GetFingerprint()) == subkey);
        PgpPrivateKey privateKey = signing.ExtractPrivateKeyUtf8([]);
        var generator = new PgpSignatureGenerator(signing.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
        generator.InitSign(PgpSignature.BinaryDocument, privateKey);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, Signed.UtcDateTime);
        hashed.SetIssuerFingerprint(false, signing.PublicKey);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, signing.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        generator.Update(File.ReadAllBytes(_data));
        byte[] signature = generator.Generate().GetEncoded();

        var ring = new PgpPublicKeyRing(_gpg.Run("--export", primaryFingerprint));
        if (bindWithoutBackSignature)
        {
            PgpSecretKey primary = secret.GetSecretKey();
            var binder = new PgpSignatureGenerator(primary.PublicKey.Algorithm, HashAlgorithmTag.Sha256);
            binder.InitSign(PgpSignature.SubkeyBinding, primary.ExtractPrivateKeyUtf8([]));
            var flags = new PgpSignatureSubpacketGenerator();
            flags.SetSignatureCreationTime(false, Created.AddDays(2).UtcDateTime);
            flags.SetKeyFlags(false, PgpKeyFlags.CanSign);
            flags.SetIssuerFingerprint(false, primary.PublicKey);
            binder.SetHashedSubpackets(flags.Generate());
            PgpPublicKey sub = ring.GetPublicKey(signing.KeyId);
            foreach (PgpSignature old in sub.GetSignaturesOfType(PgpSignature.SubkeyBinding).ToList())
            {
                sub = PgpPublicKey.RemoveCertification(sub, old);
            }

            sub = PgpPublicKey.AddCertification(sub, binder.GenerateCertification(primary.PublicKey, sub));
            ring = PgpPublicKeyRing.InsertPublicKey(ring, sub);
        }

        File.WriteAllBytes(_files.Combine($"{(bindWithoutBackSignature ? Situation.SubkeyWithoutBackSignature : Situation.EncryptionOnlySubkey)}.gpg"), ring.GetEncoded());
        return signature;
    }

    /// <summary>gpg's revocation reason code (0 none, 1 superseded, 2 compromised, 3 retired) for a revocation situation.</summary>
    private static int RevocationReason(Situation c) => c switch
    {
        Situation.RevokedWithoutReasonAfterSigning or Situation.RevokedWithoutReasonBeforeSigning => 0,
        Situation.RevokedSupersededAfterSigning or Situation.RevokedSupersededBeforeSigning => 1,
        Situation.RevokedCompromisedAfterSigning or Situation.RevokedCompromisedBeforeSigning => 2,
        _ => 3,
    };

    private static bool RevokedAfterSigning(Situation c) =>
        c is Situation.RevokedWithoutReasonAfterSigning or Situation.RevokedCompromisedAfterSigning or Situation.RevokedSupersededAfterSigning or Situation.RevokedRetiredAfterSigning;
}
