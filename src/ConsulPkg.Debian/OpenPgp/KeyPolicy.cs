using System.Globalization;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>
/// The one owner of the rules on which key may make a signature, applied when a signature is
/// checked (<see cref="SignatureVerifier"/>) and when a key is chosen to sign (<see cref="SigningKey"/>).
/// They are the rules of apt's verifiers (sqv, and gpgv where it agrees; RFC 9580 section 5.2.3):
/// a key counts only through self-signatures that verify; the latest one says what it may do and
/// when it expires; a signing subkey also needs a valid back-signature; a hard revocation (key
/// compromised, no reason given, or any reason but superseded and retired) voids every signature,
/// a soft one those made from its time on; a revoked or expired primary key takes its subkeys with it.
/// </summary>
internal static class KeyPolicy
{
    /// <summary>How far in the future a signature's creation time may lie: clocks differ by a little.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Why <paramref name="key"/> of <paramref name="ring"/> may not have made a signature at
    /// <paramref name="signedAt"/> that is judged at <paramref name="now"/>; null when it may.
    /// The reason reads after "key FINGERPRINT ", e.g. "expired on 2022-05-01".
    /// </summary>
    public static string? WhyNotSigner(PgpPublicKeyRing ring, PgpPublicKey key, DateTimeOffset signedAt, DateTimeOffset now)
    {
        PgpPublicKey primary = ring.GetPublicKey();
        KeyState primaryState = Assess(primary, primary);
        if (primaryState.Binding is null)
        {
            return "has no valid self-signature: it is not a usable key";
        }

        if (primaryState.Revocation is { } primaryRevoked && primaryRevoked.Voids(signedAt))
        {
            return key.KeyId == primary.KeyId ? primaryRevoked.Describe() : $"belongs to primary key {OpenPgpKeyring.Fingerprint(primary)}, which {primaryRevoked.Describe()}";
        }

        if (primaryState.Expired(signedAt, now) is { } primaryExpiry)
        {
            return key.KeyId == primary.KeyId ? $"expired on {Day(primaryExpiry)}" : $"belongs to primary key {OpenPgpKeyring.Fingerprint(primary)}, which expired on {Day(primaryExpiry)}";
        }

        KeyState state = key.KeyId == primary.KeyId ? primaryState : Assess(primary, key);
        if (state.Binding is null)
        {
            return "is not bound to its primary key by a valid binding signature";
        }

        if (state.Revocation is { } revoked && revoked.Voids(signedAt))
        {
            return revoked.Describe();
        }

        if (state.Expired(signedAt, now) is { } expiry)
        {
            return $"expired on {Day(expiry)}";
        }

        if (!state.MaySign)
        {
            return "is not flagged for signing (its key flags allow only " + state.Usage + ")";
        }

        if (key.KeyId != primary.KeyId && !state.BackSigned)
        {
            return "is a signing subkey without a valid back-signature (cross-certification) to its primary key";
        }

        DateTimeOffset created = new(key.CreationTime, TimeSpan.Zero);
        return signedAt < created ? $"was created on {Day(created)}, after the signature's date {Day(signedAt)}" : null;
    }

    /// <summary>When <paramref name="key"/> (or its primary key, whichever comes first) expires; null for never.</summary>
    public static DateTimeOffset? ExpiresAt(PgpPublicKeyRing ring, PgpPublicKey key)
    {
        PgpPublicKey primary = ring.GetPublicKey();
        DateTimeOffset? primaryExpiry = Assess(primary, primary).Expires;
        DateTimeOffset? keyExpiry = key.KeyId == primary.KeyId ? null : Assess(primary, key).Expires;
        return (primaryExpiry, keyExpiry) switch
        {
            (null, var k) => k,
            (var p, null) => p,
            (var p, var k) => p < k ? p : k,
        };
    }

    /// <summary>
    /// The key gpg would sign with: the newest valid subkey flagged for signing whose secret part
    /// is present, else the primary key. Expired, revoked and secret-less keys are refused by name.
    /// </summary>
    public static PgpSecretKey ChooseSigningKey(PgpSecretKeyRing secret, string path, DateTimeOffset at, DateTimeOffset signedAt)
    {
        PgpPublicKeyRing ring = OpenPgpKeyring.PublicHalf(secret);
        PgpPublicKey primary = ring.GetPublicKey();
        string primaryId = OpenPgpKeyring.KeyId(primary.KeyId);
        KeyState primaryState = Assess(primary, primary);
        if (primaryState.Revocation is not null)
        {
            throw new PackageException($"signing key '{path}' ({primaryId}) is revoked: use another key");
        }

        if (primaryState.Expires is { } primaryExpiry && primaryExpiry <= at)
        {
            throw new PackageException($"signing key '{path}' ({primaryId}) expired on {Day(primaryExpiry)}: extend it with 'gpg --quick-set-expire {primaryId} 1y' and export it again");
        }

        var candidates = new List<PgpSecretKey>();
        string? problem = null;
        foreach (PgpSecretKey key in secret.GetSecretKeys())
        {
            KeyState state = key.IsMasterKey ? primaryState : Assess(primary, key.PublicKey);
            if (state.Binding is null || !state.MaySign || (!key.IsMasterKey && !state.BackSigned))
            {
                continue;
            }

            if (key.IsPrivateKeyEmpty)
            {
                problem ??= $"signing key '{path}' has no secret part for its signing key {OpenPgpKeyring.KeyId(key.KeyId)} (a stub, as 'gpg --export-secret-subkeys' writes): export it with 'gpg --export-secret-keys --armor KEYID'";
                continue;
            }

            if (state.Expires is { } expiry && expiry <= at)
            {
                problem ??= $"signing key '{path}': its signing subkey {OpenPgpKeyring.KeyId(key.KeyId)} expired on {Day(expiry)}: extend it with gpg and export the key again";
                continue;
            }

            if (state.Revocation is not null)
            {
                continue;
            }

            var created = new DateTimeOffset(key.PublicKey.CreationTime, TimeSpan.Zero);
            if (created > signedAt)
            {
                // A verifier refuses a signature older than its key.
                problem ??= $"signing key '{path}': its key {OpenPgpKeyring.KeyId(key.KeyId)} was created on {Day(created)}, after the date the signature would carry ({Day(signedAt)}, from SOURCE_DATE_EPOCH): use a later date or an older key";
                continue;
            }

            candidates.Add(key);
        }

        PgpSecretKey? subkey = candidates.Where(k => !k.IsMasterKey).OrderByDescending(k => k.PublicKey.CreationTime).FirstOrDefault();
        return subkey ?? candidates.Find(k => k.IsMasterKey)
            ?? throw new PackageException(problem ?? $"signing key '{path}' ({primaryId}) has no key that can sign: make one with 'gpg --quick-add-key {primaryId} default sign'");
    }

    /// <summary>What the valid self-signatures say of every key of <paramref name="ring"/>, primary first.</summary>
    public static IEnumerable<KeyDescription> Describe(PgpPublicKeyRing ring)
    {
        PgpPublicKey primary = ring.GetPublicKey();
        foreach (PgpPublicKey key in ring.GetPublicKeys())
        {
            KeyState state = Assess(primary, key);
            yield return new KeyDescription(
                OpenPgpKeyring.Fingerprint(key), key.IsMasterKey, state.Capabilities, new DateTimeOffset(key.CreationTime, TimeSpan.Zero), state.Expires,
                state.Revocation?.Time, Bound: state.Binding is not null && (key.IsMasterKey || !state.MaySign || state.BackSigned));
        }
    }

    internal static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>What the self-signatures that verify say of one key.</summary>
    /// <param name="Binding">The latest valid self-signature (primary) or binding signature (subkey); null when none verifies.</param>
    private sealed record KeyState(PgpPublicKey Key, PgpSignature? Binding, KeyRevocation? Revocation, bool BackSigned)
    {
        private int? Flags => Binding?.GetHashedSubPackets() is { } hashed && hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags) ? hashed.GetKeyFlags() : null;

        /// <summary>Flagged for signing, or without flags and of a signing algorithm, as gpg reads a key without flags.</summary>
        public bool MaySign => Flags is { } flags ? (flags & PgpKeyFlags.CanSign) != 0 : IsSigningAlgorithm(Key.Algorithm);

        /// <summary>The capabilities the key flags give, in gpg's order and words; a key without flags gets what its algorithm can do.</summary>
        public IReadOnlyList<string> Capabilities => Flags is { } flags
            ? [.. new[] { (PgpKeyFlags.CanSign, "sign"), (PgpKeyFlags.CanCertify, "certify"), (PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage, "encrypt"), (0x20, "authenticate") }
                .Where(f => (flags & f.Item1) != 0).Select(f => f.Item2)]
            : MaySign ? ["sign"] : [];

        public string Usage => Flags is { } flags
            ? string.Join(", ", new[] { (PgpKeyFlags.CanCertify, "certifying"), (PgpKeyFlags.CanEncryptCommunications, "encryption"), (PgpKeyFlags.CanEncryptStorage, "encryption of storage"), (0x20, "authentication") }
                .Where(f => (flags & f.Item1) != 0).Select(f => f.Item2).DefaultIfEmpty("nothing"))
            : "nothing";

        public DateTimeOffset? Expires => Binding?.GetHashedSubPackets() is { } hashed && hashed.HasSubpacket(SignatureSubpacketTag.KeyExpireTime) && hashed.GetKeyExpirationTime() > 0
            ? new DateTimeOffset(Key.CreationTime, TimeSpan.Zero).AddSeconds(hashed.GetKeyExpirationTime())
            : null;

        /// <summary>The expiry, when the key had expired at <paramref name="signedAt"/> or has at <paramref name="now"/> (gpgv's EXPKEYSIG).</summary>
        public DateTimeOffset? Expired(DateTimeOffset signedAt, DateTimeOffset now) =>
            Expires is { } expiry && (expiry <= now || expiry <= signedAt) ? expiry : null;
    }

    /// <summary>A revocation signature that verifies: when, and whether it voids every signature (hard) or only later ones (soft).</summary>
    private sealed record KeyRevocation(DateTimeOffset Time, RevocationReasonTag? Reason)
    {
        private bool Hard => Reason is not (RevocationReasonTag.KeySuperseded or RevocationReasonTag.KeyRetired);

        public bool Voids(DateTimeOffset signedAt) => Hard || signedAt >= Time;

        public string Describe() => Reason switch
        {
            null or RevocationReasonTag.NoReason => $"was revoked on {Day(Time)} without a reason, which counts as compromised",
            RevocationReasonTag.KeyCompromised => $"was revoked on {Day(Time)} as compromised",
            RevocationReasonTag.KeySuperseded => $"was revoked on {Day(Time)} as superseded, before this signature was made",
            RevocationReasonTag.KeyRetired => $"was revoked on {Day(Time)} as retired, before this signature was made",
            _ => $"was revoked on {Day(Time)} (reason code {(int)Reason})",
        };
    }

    private static KeyState Assess(PgpPublicKey primary, PgpPublicKey key)
    {
        bool isPrimary = key.KeyId == primary.KeyId;
        var bindings = new List<PgpSignature>();
        KeyRevocation? revocation = null;
        if (isPrimary)
        {
            foreach (byte[] id in key.GetRawUserIds().OfType<byte[]>())
            {
                string text = System.Text.Encoding.UTF8.GetString(id);
                bindings.AddRange(key.GetSignaturesForId(id).Where(s => s.KeyId == key.KeyId && IsUserIdCertification(s.SignatureType)
                    && Verifies(s, key, sig => sig.VerifyCertification(text, key))));
            }

            bindings.AddRange(key.GetSignaturesOfType(PgpSignature.DirectKey).Where(s => s.KeyId == key.KeyId && Verifies(s, key, sig => sig.VerifyCertification(key))));
            revocation = EarliestRevocation(key.GetSignaturesOfType(PgpSignature.KeyRevocation).Where(s => Verifies(s, key, sig => sig.VerifyCertification(key))));
        }
        else
        {
            bindings.AddRange(key.GetSignaturesOfType(PgpSignature.SubkeyBinding).Where(s => s.KeyId == primary.KeyId && Verifies(s, primary, sig => sig.VerifyCertification(primary, key))));
            revocation = EarliestRevocation(key.GetSignaturesOfType(PgpSignature.SubkeyRevocation).Where(s => s.KeyId == primary.KeyId && Verifies(s, primary, sig => sig.VerifyCertification(primary, key))));
        }

        PgpSignature? binding = bindings.OrderByDescending(s => s.CreationTime).FirstOrDefault();
        bool backSigned = !isPrimary && binding is not null && BackSignatures(binding)
            .Any(b => b.SignatureType == PgpSignature.PrimaryKeyBinding && Verifies(b, key, sig => sig.VerifyCertification(primary, key)));
        return new KeyState(key, binding, revocation, backSigned);
    }

    private static IEnumerable<PgpSignature> BackSignatures(PgpSignature binding)
    {
        foreach (PgpSignatureSubpacketVector? vector in new[] { binding.GetHashedSubPackets(), binding.GetUnhashedSubPackets() })
        {
            PgpSignatureList? embedded = null;
            try
            {
                embedded = vector?.GetEmbeddedSignatures();
            }
            catch (Exception e) when (e is PgpException or IOException)
            {
                // An embedded signature that does not parse is no back-signature.
            }

            for (int i = 0; i < (embedded?.Count ?? 0); i++)
            {
                yield return embedded![i];
            }
        }
    }

    private static KeyRevocation? EarliestRevocation(IEnumerable<PgpSignature> revocations) =>
        revocations.OrderBy(s => s.CreationTime)
            .Select(s => new KeyRevocation(new DateTimeOffset(s.CreationTime, TimeSpan.Zero), s.GetHashedSubPackets()?.GetRevocationReason()?.GetRevocationReason()))
            .OrderByDescending(r => r.Voids(DateTimeOffset.MinValue)) // a hard revocation outweighs a soft one
            .FirstOrDefault();

    private static bool Verifies(PgpSignature signature, PgpPublicKey signer, Func<PgpSignature, bool> check)
    {
        try
        {
            signature.InitVerify(signer);
            return check(signature);
        }
        catch (Exception e) when (e is PgpException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsUserIdCertification(int type) =>
        type is PgpSignature.DefaultCertification or PgpSignature.NoCertification or PgpSignature.CasualCertification or PgpSignature.PositiveCertification;

    private static bool IsSigningAlgorithm(PublicKeyAlgorithmTag algorithm) => algorithm is PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign
        or PublicKeyAlgorithmTag.Dsa or PublicKeyAlgorithmTag.ECDsa or PublicKeyAlgorithmTag.EdDsa_Legacy or PublicKeyAlgorithmTag.Ed25519 or PublicKeyAlgorithmTag.Ed448;
}
