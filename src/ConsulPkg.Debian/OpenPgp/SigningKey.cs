using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>
/// An OpenPGP secret key to sign with, read from an armored or binary export
/// (<c>gpg --export-secret-keys</c>) and used in process through BouncyCastle: no host gpg, no
/// agent, no keyring on disk. RSA and EdDSA (Ed25519) keys; SHA-512 signatures.
/// <see cref="OpenPgpSigner"/> makes the signatures.
/// </summary>
public sealed class SigningKey
{
    /// <summary>The digest of every signature made: SHA-512, which every verifier apt uses accepts.</summary>
    internal const HashAlgorithmTag Digest = HashAlgorithmTag.Sha512;

    private readonly PgpSecretKeyRing _ring;
    private readonly PgpSecretKey _key;
    private readonly PgpPrivateKey _privateKey;

    private SigningKey(PgpSecretKeyRing ring, PgpSecretKey key, PgpPrivateKey privateKey)
    {
        _ring = ring;
        _key = key;
        _privateKey = privateKey;
    }

    /// <summary>Fingerprint (upper-case hex) of the primary key: what a user checks.</summary>
    public string Fingerprint => OpenPgpKeyring.Fingerprint(_ring.GetPublicKey());

    /// <summary>Fingerprint of the key that signs (the primary or a signing subkey).</summary>
    public string SigningFingerprint => OpenPgpKeyring.Fingerprint(_key.PublicKey);

    /// <summary>When the signing key (or its primary key, whichever first) expires; null for never.</summary>
    public DateTimeOffset? Expires => KeyPolicy.ExpiresAt(OpenPgpKeyring.PublicHalf(_ring), _key.PublicKey);

    /// <summary>The public half, for the clients that check what this key signs.</summary>
    public OpenPgpKeyring PublicKey => new([OpenPgpKeyring.PublicHalf(_ring)]);

    /// <summary>
    /// Reads the key in <paramref name="path"/>, unlocking it with <paramref name="passphrase"/>
    /// when it is protected, and refuses a key apt would not accept at <paramref name="at"/>, or
    /// one made after <paramref name="signedAt"/>, the date its signatures will carry.
    /// </summary>
    public static SigningKey Load(string path, string? passphrase, DateTimeOffset at, DateTimeOffset? signedAt = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PackageException($"signing key '{path}' does not exist: export one with 'gpg --export-secret-keys --armor KEYID > {Path.GetFileName(path)}'");
        }

        (List<PgpSecretKeyRing> secretRings, bool publicOnly) = ReadRings(path);
        if (secretRings.Count == 0)
        {
            throw new PackageException(publicOnly
                ? $"signing key '{path}' is a public key without its secret part: export it with 'gpg --export-secret-keys --armor KEYID'"
                : $"signing key '{path}' holds no OpenPGP key: export one with 'gpg --export-secret-keys --armor KEYID'");
        }

        PgpSecretKeyRing ring = secretRings[0];
        PgpSecretKey key = KeyPolicy.ChooseSigningKey(ring, path, at, signedAt ?? at);
        if (key.KeyEncryptionAlgorithm != SymmetricKeyAlgorithmTag.Null && passphrase is null)
        {
            throw new PackageException($"signing key '{path}' is protected by a passphrase: give the passphrase") { Setting = OpenPgpSettings.Passphrase };
        }

        PgpPrivateKey privateKey;
        try
        {
            privateKey = key.ExtractPrivateKeyUtf8((passphrase ?? string.Empty).ToCharArray());
        }
        catch (PgpException e)
        {
            throw new PackageException($"signing key '{path}' cannot be unlocked with the passphrase given ({MessageText.Flatten(e.Message)}): check the passphrase", e) { Setting = OpenPgpSettings.Passphrase };
        }

        return new SigningKey(ring, key, privateKey);
    }

    /// <summary>A signature of <paramref name="data"/> of <paramref name="signatureType"/> made at <paramref name="time"/>, naming its issuer by fingerprint and key id.</summary>
    internal PgpSignature Sign(ReadOnlySpan<byte> data, int signatureType, DateTimeOffset time)
    {
        PgpSignatureGenerator generator = StartSignature(signatureType, time);
        generator.Update(data);
        return generator.Generate();
    }

    /// <summary>A generator for a signature made at <paramref name="time"/>, to be fed the data in parts.</summary>
    internal PgpSignatureGenerator StartSignature(int signatureType, DateTimeOffset time)
    {
        var generator = new PgpSignatureGenerator(_key.PublicKey.Algorithm, Digest);
        generator.InitSign(signatureType, _privateKey);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, time.UtcDateTime);
        hashed.SetIssuerFingerprint(false, _key.PublicKey);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, _key.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        return generator;
    }

    private static (List<PgpSecretKeyRing> Secret, bool PublicOnly) ReadRings(string path)
    {
        OpenPgpPackets.Reading reading = OpenPgpPackets.Read(File.ReadAllBytes(path));
        List<PgpSecretKeyRing> secret = [.. reading.Objects.OfType<PgpSecretKeyRing>()];
        bool publicOnly = reading.Objects.OfType<PgpPublicKeyRing>().Any();
        // What was read before a damaged tail still counts, as gpg --import keeps the keys it could read.
        if (reading.Error is { } e && secret.Count == 0 && !publicOnly)
        {
            throw new PackageException($"signing key '{path}' is not a readable OpenPGP key ({MessageText.Flatten(e.Message)}): export one with 'gpg --export-secret-keys --armor KEYID'", e);
        }

        return (secret, publicOnly);
    }
}
