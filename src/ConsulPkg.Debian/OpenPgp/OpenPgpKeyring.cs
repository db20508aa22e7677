using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>
/// OpenPGP public keys (certificates): the keys a signature is checked against, or the public
/// half of a signing key as a client's <c>Signed-By:</c> keyring holds it. Read from armored or
/// binary files holding any number of keys, public or secret (a secret key contributes its
/// public half); nothing of a secret key is ever kept here.
/// </summary>
public sealed class OpenPgpKeyring
{
    private readonly IReadOnlyList<PgpPublicKeyRing> _rings;

    internal OpenPgpKeyring(IReadOnlyList<PgpPublicKeyRing> rings) => _rings = rings;

    public static OpenPgpKeyring Empty { get; } = new([]);

    /// <summary>Fingerprints (upper-case hex) of the primary keys, in the order read.</summary>
    public IReadOnlyList<string> Fingerprints => [.. _rings.Select(r => Fingerprint(r.GetPublicKey()))];

    internal IReadOnlyList<PgpPublicKeyRing> Rings => _rings;

    /// <summary>
    /// The keys in <paramref name="bytes"/>; <paramref name="sourceName"/> says in messages where
    /// they came from ("trusted key file 'x.asc'"). A file without any key is refused.
    /// </summary>
    public static OpenPgpKeyring Parse(ReadOnlySpan<byte> bytes, string sourceName)
    {
        OpenPgpPackets.Reading reading = OpenPgpPackets.Read(bytes);
        if (reading.Error is { } error)
        {
            throw new PackageException($"{sourceName} is not a readable OpenPGP public key ({MessageText.Flatten(error.Message)}): export one with 'gpg --export --armor KEYID'", error);
        }

        var rings = new List<PgpPublicKeyRing>();
        foreach (PgpObject item in reading.Objects)
        {
            switch (item)
            {
                case PgpPublicKeyRing ring:
                    rings.Add(ring);
                    break;
                case PgpSecretKeyRing secret:
                    rings.Add(PublicHalf(secret));
                    break;
                default:
                    break;
            }
        }

        if (rings.Count == 0)
        {
            throw new PackageException($"{sourceName} holds no OpenPGP public key: export one with 'gpg --export --armor KEYID'");
        }

        return new OpenPgpKeyring(rings);
    }

    /// <summary>The keys in the file <paramref name="path"/>, which <paramref name="role"/> names ("trusted key file").</summary>
    public static OpenPgpKeyring Load(string path, string role)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PackageException($"{role} '{path}' does not exist: give the path of an OpenPGP public key (armored or binary)");
        }

        return Parse(File.ReadAllBytes(path), $"{role} '{path}'");
    }

    /// <summary>Every key and subkey as its valid self-signatures describe it, each primary before its subkeys.</summary>
    public IReadOnlyList<KeyDescription> Describe() => [.. _rings.SelectMany(KeyPolicy.Describe)];

    /// <summary>These keys followed by <paramref name="other"/>'s.</summary>
    public OpenPgpKeyring Add(OpenPgpKeyring other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new OpenPgpKeyring([.. _rings, .. other._rings]);
    }

    /// <summary>The keys as a binary keyring (transferable public keys one after the other), the form apt's <c>Signed-By:</c> and gpgv's <c>--keyring</c> take.</summary>
    public byte[] Export()
    {
        using var output = new MemoryStream();
        foreach (PgpPublicKeyRing ring in _rings)
        {
            ring.Encode(output);
        }

        return output.ToArray();
    }

    /// <summary>The ring holding the key or subkey with this 64-bit id, and that key; null when none does.</summary>
    internal (PgpPublicKeyRing Ring, PgpPublicKey Key)? Find(long keyId)
    {
        foreach (PgpPublicKeyRing ring in _rings)
        {
            if (ring.GetPublicKey(keyId) is { } key)
            {
                return (ring, key);
            }
        }

        return null;
    }

    /// <summary>The public half of a secret key, its keys in the order the secret key holds them.</summary>
    internal static PgpPublicKeyRing PublicHalf(PgpSecretKeyRing secret)
    {
        using var encoded = new MemoryStream();
        foreach (PgpPublicKey key in secret.GetSecretKeys().Select(k => k.PublicKey).Concat(secret.GetExtraPublicKeys()))
        {
            key.Encode(encoded);
        }

        return new PgpPublicKeyRing(encoded.ToArray());
    }

    internal static string Fingerprint(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());

    internal static string KeyId(long keyId) => keyId.ToString("X16", CultureInfo.InvariantCulture);
}

/// <summary>One key or subkey of a keyring, as its valid self-signatures describe it.</summary>
/// <param name="Capabilities">What its key flags allow: "sign", "certify", "encrypt", "authenticate".</param>
/// <param name="Expires">Null: never.</param>
/// <param name="Revoked">When a valid revocation was made; null when none was.</param>
/// <param name="Bound">Whether a valid self-signature binds it (and, for a signing subkey, a valid back-signature).</param>
public sealed record KeyDescription(string Fingerprint, bool IsPrimary, IReadOnlyList<string> Capabilities, DateTimeOffset Created, DateTimeOffset? Expires, DateTimeOffset? Revoked, bool Bound);
