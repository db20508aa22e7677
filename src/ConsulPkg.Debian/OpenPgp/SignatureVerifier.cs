using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>A signature that checked out: who made it and when.</summary>
/// <param name="PrimaryFingerprint">The trusted key's primary fingerprint.</param>
/// <param name="SignerFingerprint">The key that made the signature: the primary or one of its subkeys.</param>
public sealed record GoodSignature(string PrimaryFingerprint, string SignerFingerprint, DateTimeOffset Created);

/// <summary>The text of a clear-signed message (as it was before signing) and its good signature.</summary>
public sealed record SignedText(string Text, GoodSignature Signature);

/// <summary>
/// Checks OpenPGP signatures against a set of trusted public keys, in process (no host gpg, no
/// keyring on disk): detached (a release's SHA256SUMS, Release.gpg) and clear-signed (InRelease).
/// Every signature is judged by <see cref="KeyPolicy"/> and the digest and date rules here; every
/// refusal is a <see cref="PackageException"/> of one line naming the file, the key and the reason.
/// </summary>
public sealed class SignatureVerifier
{
    public SignatureVerifier(OpenPgpKeyring trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        Trusted = trusted;
    }

    public OpenPgpKeyring Trusted { get; }

    /// <summary>
    /// The good signature of <paramref name="data"/> among those in <paramref name="signature"/>
    /// (armored or binary) made by a trusted key; throws when there is none.
    /// </summary>
    /// <param name="dataName">What the messages call the data, e.g. its URL.</param>
    /// <param name="signatureName">What the messages call the signature file.</param>
    /// <param name="now">When the check is made: a key's expiry and revocation are judged at this time.</param>
    public GoodSignature VerifyDetached(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, string dataName, string signatureName, DateTimeOffset now) =>
        Verify([new MemoryStream(data.ToArray(), writable: false)], ReadSignatures(signature, dataName, signatureName), dataName, signatureName, now);

    /// <summary>As <see cref="VerifyDetached(ReadOnlySpan{byte}, ReadOnlySpan{byte}, string, string, DateTimeOffset)"/>, of the concatenation of <paramref name="parts"/>, each read to its end once.</summary>
    public GoodSignature VerifyDetached(IEnumerable<Stream> parts, ReadOnlySpan<byte> signature, string dataName, string signatureName, DateTimeOffset now) =>
        Verify(parts, ReadSignatures(signature, dataName, signatureName), dataName, signatureName, now);

    /// <summary>
    /// The signed text of the clear-signed <paramref name="message"/> (RFC 4880 section 7, as
    /// InRelease is), when a trusted key signed it; throws otherwise.
    /// </summary>
    public SignedText VerifyClearSigned(string message, string messageName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        (string text, string canonical, string armoredSignature) = SplitClearSigned(message, messageName);
        IReadOnlyList<PgpSignature> signatures = ReadSignatures(Encoding.ASCII.GetBytes(armoredSignature), messageName, messageName);
        GoodSignature good = Verify([new MemoryStream(Encoding.UTF8.GetBytes(canonical), writable: false)], signatures, messageName, messageName, now);
        return new SignedText(text, good);
    }

    /// <summary>
    /// The first signature that is good by <see cref="KeyPolicy"/>. A signature that does not
    /// match the data fails the whole check (apt's BADSIG); one by an unknown key is passed over,
    /// so that data signed by an old and a new key checks with either; when none is good, the
    /// refusal of a trusted key's signature is reported before the unknown keys.
    /// </summary>
    private GoodSignature Verify(IEnumerable<Stream> parts, IReadOnlyList<PgpSignature> signatures, string dataName, string signatureName, DateTimeOffset now)
    {
        // Each signature by a trusted key is fed the data in one pass, then judged in order.
        var checks = new List<(PgpSignature Signature, (PgpPublicKeyRing Ring, PgpPublicKey Key)? Found, bool Usable)>();
        foreach (PgpSignature signature in signatures)
        {
            var found = Trusted.Find(signature.KeyId);
            checks.Add((signature, found, found is { } f && Initialize(signature, f.Key)));
        }

        byte[] buffer = new byte[1 << 16];
        foreach (Stream part in parts)
        {
            int read;
            while ((read = part.Read(buffer, 0, buffer.Length)) > 0)
            {
                foreach ((PgpSignature signature, _, bool usable) in checks)
                {
                    if (usable)
                    {
                        signature.Update(buffer, 0, read);
                    }
                }
            }
        }

        var unknownKeys = new List<string>();
        string? refusal = null;
        foreach ((PgpSignature signature, var found, bool usable) in checks)
        {
            if (found is not { } trusted)
            {
                unknownKeys.Add(OpenPgpKeyring.KeyId(signature.KeyId));
                continue;
            }

            if (!usable || !signature.Verify())
            {
                throw new PackageException($"BAD signature: {signatureName} does not match {dataName} (key {OpenPgpKeyring.KeyId(signature.KeyId)}); the file was altered or the signature belongs to another file");
            }

            string signer = OpenPgpKeyring.Fingerprint(trusted.Key);
            var created = new DateTimeOffset(signature.CreationTime, TimeSpan.Zero);
            string? why = WeakDigest(signature.HashAlgorithm) is { } weak
                ? $"{signatureName} was made by key {signer} with the digest {weak}, which is too weak (SHA-256 or stronger is required): sign it again with a stronger digest"
                : created > now + KeyPolicy.ClockSkew
                    ? $"{signatureName} was made by key {signer} on {created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, in the future: check the clock here and where it was signed"
                    : KeyPolicy.WhyNotSigner(trusted.Ring, trusted.Key, created, now) is { } reason
                        ? $"{signatureName} was made by key {signer}, which {reason}: the signature does not count"
                        : null;
            if (why is null)
            {
                return new GoodSignature(OpenPgpKeyring.Fingerprint(trusted.Ring.GetPublicKey()), signer, created);
            }

            refusal ??= why;
        }

        throw new PackageException(refusal
            ?? $"{signatureName} was made by key {string.Join(", ", unknownKeys)}, which is not trusted: add its public key to the trusted keys if you trust it")
        {
            Setting = refusal is null ? OpenPgpSettings.TrustedKeys : null,
        };
    }

    private static bool Initialize(PgpSignature signature, PgpPublicKey key)
    {
        try
        {
            signature.InitVerify(key);
            return true;
        }
        catch (Exception e) when (e is PgpException or ArgumentException or InvalidOperationException)
        {
            return false; // a key of an algorithm that cannot sign, or a signature of another algorithm than the key's
        }
    }

    /// <summary>The name of a digest too weak to trust (apt's verifiers refuse them too); null for SHA-256 and stronger.</summary>
    private static string? WeakDigest(HashAlgorithmTag digest) => digest switch
    {
        HashAlgorithmTag.Sha256 or HashAlgorithmTag.Sha384 or HashAlgorithmTag.Sha512 or HashAlgorithmTag.Sha3_256 or HashAlgorithmTag.Sha3_512 => null,
        HashAlgorithmTag.MD5 => "MD5",
        HashAlgorithmTag.Sha1 => "SHA-1",
        HashAlgorithmTag.RipeMD160 => "RIPEMD-160",
        HashAlgorithmTag.Sha224 => "SHA-224",
        _ => digest.ToString(),
    };

    private static List<PgpSignature> ReadSignatures(ReadOnlySpan<byte> bytes, string dataName, string signatureName)
    {
        OpenPgpPackets.Reading reading = OpenPgpPackets.Read(bytes);
        List<PgpSignature> signatures = [.. reading.Objects.OfType<PgpSignatureList>().SelectMany(list => Enumerable.Range(0, list.Count).Select(i => list[i]))];
        if (reading.Error is { } e && signatures.Count == 0)
        {
            throw new PackageException($"{signatureName} is not a readable OpenPGP signature ({MessageText.Flatten(e.Message)}): is it the detached signature of {dataName}?", e);
        }

        return signatures.Count > 0
            ? signatures
            : throw new PackageException($"{signatureName} holds no OpenPGP signature: is it the detached signature of {dataName}?");
    }

    /// <summary>The text as signed, its canonical form and the armored signature block of a clear-signed message.</summary>
    private static (string Text, string Canonical, string Signature) SplitClearSigned(string message, string messageName)
    {
        string[] lines = message.ReplaceLineEndings("\n").Split('\n');
        int at = 0;
        while (at < lines.Length && lines[at].Length == 0)
        {
            at++;
        }

        if (at == lines.Length || lines[at].TrimEnd() != ClearText.Header)
        {
            throw new PackageException($"{messageName} is not a clear-signed message (it does not start with {ClearText.Header})");
        }

        // Armor headers ("Hash: SHA512") up to the first empty line.
        at++;
        while (at < lines.Length && lines[at].Trim().Length > 0)
        {
            at++;
        }

        int textStart = at + 1;
        int signatureStart = Array.FindIndex(lines, textStart, l => l.TrimEnd() == ClearText.SignatureHeader);
        if (signatureStart < 0)
        {
            throw new PackageException($"{messageName} has no signature after its text (no {ClearText.SignatureHeader} line)");
        }

        string[] text = [.. lines[textStart..signatureStart].Select(l => l.StartsWith("- ", StringComparison.Ordinal) ? l[2..] : l)];
        return (string.Join('\n', text) + "\n", ClearText.Canonical(text), string.Join('\n', lines[signatureStart..]));
    }
}
