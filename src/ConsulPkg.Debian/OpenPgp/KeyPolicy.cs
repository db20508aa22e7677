using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>
/// The one owner of the rules on which key may make a signature: which key of a secret key signs,
/// and (through <see cref="SignatureVerifier"/>) whether the key that made a signature was fit to.
/// </summary>
internal static class KeyPolicy
{
    /// <summary>
    /// The key gpg would sign with: the newest valid subkey flagged for signing whose secret part
    /// is present, else the primary key. Expired, revoked and secret-less keys are refused by name.
    /// </summary>
    public static PgpSecretKey ChooseSigningKey(PgpSecretKeyRing ring, string path, DateTimeOffset at)
    {
        PgpPublicKey primary = ring.GetPublicKey();
        string primaryId = OpenPgpKeyring.KeyId(primary.KeyId);
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
                problem ??= $"signing key '{path}' has no secret part for its signing key {OpenPgpKeyring.KeyId(key.KeyId)} (a stub, as 'gpg --export-secret-subkeys' writes): export it with 'gpg --export-secret-keys --armor KEYID'";
                continue;
            }

            if (ExpiresAt(key.PublicKey) is { } expiry && expiry <= at)
            {
                problem ??= $"signing key '{path}': its signing subkey {OpenPgpKeyring.KeyId(key.KeyId)} expired on {expiry:yyyy-MM-dd}: extend it with gpg and export the key again";
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
}
