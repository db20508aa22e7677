using System.Text;
using ConsulPkg.Debian;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Repository;

/// <summary>
/// The OpenPGP secret key a repository is signed with, read from an armored or binary export
/// (<c>gpg --export-secret-keys</c>) and used in process through BouncyCastle: no host gpg, no
/// agent, no keyring on disk. RSA and EdDSA (Ed25519) keys; SHA-512 signatures.
/// </summary>
public sealed class SigningKey
{
    private const HashAlgorithmTag Digest = HashAlgorithmTag.Sha512;

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
    public string Fingerprint => Convert.ToHexString(_ring.GetPublicKey().GetFingerprint());

    /// <summary>Fingerprint of the key that signs (the primary or a signing subkey).</summary>
    public string SigningFingerprint => Convert.ToHexString(_key.PublicKey.GetFingerprint());

    /// <summary>
    /// Reads the key in <paramref name="path"/>, unlocking it with <paramref name="passphrase"/>
    /// when it is protected, and refuses a key apt would not accept at <paramref name="at"/>.
    /// </summary>
    public static SigningKey Load(string path, string? passphrase, DateTimeOffset at)
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
        PgpSecretKey key = ChooseSigningKey(ring, path, at);
        if (key.KeyEncryptionAlgorithm != SymmetricKeyAlgorithmTag.Null && passphrase is null)
        {
            throw new PackageException($"signing key '{path}' is protected by a passphrase: give the passphrase") { Setting = RepositorySettings.Passphrase };
        }

        PgpPrivateKey privateKey;
        try
        {
            privateKey = key.ExtractPrivateKeyUtf8((passphrase ?? string.Empty).ToCharArray());
        }
        catch (PgpException e)
        {
            throw new PackageException($"signing key '{path}' cannot be unlocked with the passphrase given ({MessageText.Flatten(e.Message)}): check the passphrase", e) { Setting = RepositorySettings.Passphrase };
        }

        return new SigningKey(ring, key, privateKey);
    }

    /// <summary>The public half as a binary keyring, the form <c>Signed-By:</c> takes.</summary>
    public byte[] ExportPublicKeyring()
    {
        using var output = new MemoryStream();
        foreach (PgpSecretKey secret in _ring.GetSecretKeys())
        {
            secret.PublicKey.Encode(output);
        }

        foreach (PgpPublicKey extra in _ring.GetExtraPublicKeys())
        {
            extra.Encode(output);
        }

        return output.ToArray();
    }

    /// <summary>
    /// <paramref name="text"/> clear-signed (RFC 4880 section 7), as InRelease holds it. The text
    /// must end with a newline, as a Release file does; the signature's time is <paramref name="time"/>.
    /// </summary>
    public string ClearSign(string text, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new ArgumentException("clear-signed text must end with a newline", nameof(text));
        }

        string[] lines = text[..^1].Split('\n');
        // The signed form: trailing blanks dropped, CR LF between lines, no final line ending.
        string canonical = string.Join("\r\n", lines.Select(l => l.TrimEnd(' ', '\t')));
        PgpSignature signature = Sign(Encoding.UTF8.GetBytes(canonical), PgpSignature.CanonicalTextDocument, time);

        var message = new StringBuilder();
        message.Append("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n");
        foreach (string line in lines)
        {
            // Dash-escaping: a line starting with '-' must not read as an armor header.
            message.Append(line.StartsWith('-') ? "- " : string.Empty).Append(line).Append('\n');
        }

        message.Append(Armor(signature));
        return message.ToString();
    }

    /// <summary>An armored detached signature of <paramref name="data"/>, as Release.gpg holds it.</summary>
    public string DetachedSign(ReadOnlySpan<byte> data, DateTimeOffset time) =>
        Armor(Sign(data.ToArray(), PgpSignature.BinaryDocument, time));

    private PgpSignature Sign(byte[] data, int signatureType, DateTimeOffset time)
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
        generator.Update(data);
        return generator.Generate();
    }

    private static string Armor(PgpSignature signature)
    {
        using var buffer = new MemoryStream();
        // No "Version:" header: the output depends only on the key, the data and the time.
        using (var armored = new ArmoredOutputStream(buffer, new Dictionary<string, string>()))
        {
            signature.Encode(armored);
        }

        return Encoding.ASCII.GetString(buffer.ToArray()).ReplaceLineEndings("\n");
    }

    private static (List<PgpSecretKeyRing> Secret, bool PublicOnly) ReadRings(string path)
    {
        var secret = new List<PgpSecretKeyRing>();
        bool publicOnly = false;
        try
        {
            using FileStream file = File.OpenRead(path);
            using Stream decoder = PgpUtilities.GetDecoderStream(file);
            var factory = new PgpObjectFactory(decoder);
            while (factory.NextPgpObject() is { } item)
            {
                switch (item)
                {
                    case PgpSecretKeyRing ring:
                        secret.Add(ring);
                        break;
                    case PgpPublicKeyRing:
                        publicOnly = true;
                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            if (secret.Count == 0 && !publicOnly)
            {
                throw new PackageException($"signing key '{path}' is not a readable OpenPGP key ({MessageText.Flatten(e.Message)}): export one with 'gpg --export-secret-keys --armor KEYID'", e);
            }
        }

        return (secret, publicOnly);
    }

    /// <summary>
    /// The key gpg would sign with: the newest valid subkey flagged for signing whose secret part
    /// is present, else the primary key. Expired, revoked and secret-less keys are refused by name.
    /// </summary>
    private static PgpSecretKey ChooseSigningKey(PgpSecretKeyRing ring, string path, DateTimeOffset at)
    {
        PgpPublicKey primary = ring.GetPublicKey();
        string primaryId = KeyId(primary);
        if (primary.HasRevocation())
        {
            throw new PackageException($"signing key '{path}' ({primaryId}) is revoked: use another key");
        }

        if (ExpiresAt(primary) is { } primaryExpiry && primaryExpiry <= at)
        {
            throw new PackageException($"signing key '{path}' ({primaryId}) expired on {primaryExpiry:yyyy-MM-dd}: extend it with 'gpg --quick-set-expire {primaryId} 1y' and export it again");
        }

        var candidates = new List<PgpSecretKey>();
        string? problem = null;
        foreach (PgpSecretKey key in ring.GetSecretKeys())
        {
            if (!CanSign(key.PublicKey, key.IsMasterKey))
            {
                continue;
            }

            if (key.IsPrivateKeyEmpty)
            {
                problem ??= $"signing key '{path}' has no secret part for its signing key {KeyId(key.PublicKey)} (a stub, as 'gpg --export-secret-subkeys' writes): export it with 'gpg --export-secret-keys --armor KEYID'";
                continue;
            }

            if (ExpiresAt(key.PublicKey) is { } expiry && expiry <= at)
            {
                problem ??= $"signing key '{path}': its signing subkey {KeyId(key.PublicKey)} expired on {expiry:yyyy-MM-dd}: extend it with gpg and export the key again";
                continue;
            }

            if (!key.IsMasterKey && key.PublicKey.HasRevocation())
            {
                continue;
            }

            candidates.Add(key);
        }

        PgpSecretKey? subkey = candidates.Where(k => !k.IsMasterKey).OrderByDescending(k => k.PublicKey.CreationTime).FirstOrDefault();
        return subkey ?? candidates.Find(k => k.IsMasterKey)
            ?? throw new PackageException(problem ?? $"signing key '{path}' ({primaryId}) has no key that can sign: make one with 'gpg --quick-add-key {primaryId} default sign'");
    }

    /// <summary>Whether the key's self-signatures flag it for signing (a primary key without any flags may sign).</summary>
    private static bool CanSign(PgpPublicKey key, bool isPrimary)
    {
        if (key.Algorithm is not (PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign or PublicKeyAlgorithmTag.EdDsa_Legacy or PublicKeyAlgorithmTag.Ed25519 or PublicKeyAlgorithmTag.Ed448))
        {
            return false;
        }

        bool anyFlags = false;
        foreach (PgpSignature signature in key.GetSignatures())
        {
            if (signature.HasSubpackets && signature.GetHashedSubPackets() is { } hashed && hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags))
            {
                anyFlags = true;
                if ((hashed.GetKeyFlags() & PgpKeyFlags.CanSign) != 0)
                {
                    return true;
                }
            }
        }

        return isPrimary && !anyFlags;
    }

    private static DateTimeOffset? ExpiresAt(PgpPublicKey key)
    {
        long seconds = key.GetValidSeconds();
        return seconds <= 0 ? null : new DateTimeOffset(key.CreationTime, TimeSpan.Zero).AddSeconds(seconds);
    }

    private static string KeyId(PgpPublicKey key) => key.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
}
