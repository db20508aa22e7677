using System.Reflection;
using System.Text;
using ConsulPkg.Debian;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Consul;

/// <summary>
/// Checks a detached OpenPGP signature against a set of trusted public keys, in process (no host
/// gpg, no keyring on disk). The keys are HashiCorp's current release key, shipped as data, plus
/// any the user adds with <c>--trusted-key</c>.
/// </summary>
internal sealed class OpenPgpVerifier
{
    private readonly List<PgpPublicKeyRing> _rings;

    private OpenPgpVerifier(List<PgpPublicKeyRing> rings) => _rings = rings;

    /// <summary>Fingerprints (upper-case hex) of the primary keys trusted.</summary>
    public IReadOnlyList<string> TrustedFingerprints =>
        _rings.Select(r => Convert.ToHexString(r.GetPublicKey().GetFingerprint())).ToList();

    /// <summary>HashiCorp's shipped key(s), plus the armored or binary key files given.</summary>
    public static OpenPgpVerifier Create(IEnumerable<string> extraKeyFiles, bool includeShippedKeys = true)
    {
        ArgumentNullException.ThrowIfNull(extraKeyFiles);
        var rings = new List<PgpPublicKeyRing>();
        if (includeShippedKeys)
        {
            using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("keys/hashicorp-72D7468F.asc")
                ?? throw new InvalidOperationException("embedded resource keys/hashicorp-72D7468F.asc is missing from the build");
            rings.AddRange(ReadRings(stream, "the shipped HashiCorp key"));
        }

        foreach (string file in extraKeyFiles)
        {
            if (!File.Exists(file))
            {
                throw new PackageException($"trusted key file '{file}' does not exist: give the path of an OpenPGP public key (armored or binary)");
            }

            using FileStream stream = File.OpenRead(file);
            List<PgpPublicKeyRing> read = ReadRings(stream, $"trusted key file '{file}'");
            if (read.Count == 0)
            {
                throw new PackageException($"trusted key file '{file}' holds no OpenPGP public key: export one with 'gpg --export --armor KEYID'");
            }

            rings.AddRange(read);
        }

        return new OpenPgpVerifier(rings);
    }

    /// <summary>
    /// Throws a <see cref="PackageException"/> unless <paramref name="signature"/> is a valid
    /// signature of <paramref name="data"/> by one of the trusted keys. Returns the fingerprint
    /// of the key that made it.
    /// </summary>
    public string Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, string dataName, string signatureName)
    {
        PgpSignatureList signatures;
        try
        {
            signatures = ReadSignatures(signature.ToArray())
                ?? throw new PackageException($"{signatureName} holds no OpenPGP signature: is it the detached signature of {dataName}?");
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw new PackageException($"{signatureName} is not a readable OpenPGP signature ({MessageText.Flatten(e.Message)}): is it the detached signature of {dataName}?", e);
        }

        byte[] bytes = data.ToArray();
        var unknownKeys = new List<string>();
        for (int i = 0; i < signatures.Count; i++)
        {
            PgpSignature sig = signatures[i];
            PgpPublicKey? key = FindKey(sig.KeyId);
            if (key is null)
            {
                unknownKeys.Add(sig.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            sig.InitVerify(key);
            sig.Update(bytes);
            if (sig.Verify())
            {
                return Convert.ToHexString(key.GetFingerprint());
            }

            throw new PackageException($"BAD signature: {signatureName} does not match {dataName} (key {sig.KeyId:X16}); the file was altered or the signature belongs to another file");
        }

        throw new PackageException(
            $"{signatureName} was made by key {string.Join(", ", unknownKeys)}, which is not trusted: add its public key to the trusted keys if you trust it")
        {
            Setting = ConsulSettings.TrustedKeys,
        };
    }

    private PgpPublicKey? FindKey(long keyId)
    {
        foreach (PgpPublicKeyRing ring in _rings)
        {
            PgpPublicKey? key = ring.GetPublicKey(keyId);
            if (key is not null)
            {
                return key;
            }
        }

        return null;
    }

    private static PgpSignatureList? ReadSignatures(byte[] signature)
    {
        using Stream decoder = PgpUtilities.GetDecoderStream(new MemoryStream(signature));
        var factory = new PgpObjectFactory(decoder);
        PgpObject? obj = factory.NextPgpObject();
        if (obj is PgpCompressedData compressed)
        {
            factory = new PgpObjectFactory(compressed.GetDataStream());
            obj = factory.NextPgpObject();
        }

        return obj as PgpSignatureList;
    }

    private static List<PgpPublicKeyRing> ReadRings(Stream stream, string sourceName)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] bytes = buffer.ToArray();
        var rings = new List<PgpPublicKeyRing>();
        try
        {
            // An armored file may hold several blocks; the decoder reads one, so split first.
            string text = Encoding.ASCII.GetString(bytes);
            const string Begin = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
            IEnumerable<byte[]> parts = text.Contains(Begin, StringComparison.Ordinal)
                ? text.Split(Begin).Skip(1).Select(p => Encoding.ASCII.GetBytes(Begin + p))
                : [bytes];
            foreach (byte[] part in parts)
            {
                using Stream decoder = PgpUtilities.GetDecoderStream(new MemoryStream(part));
                var bundle = new PgpPublicKeyRingBundle(decoder);
                rings.AddRange(bundle.GetKeyRings());
            }
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw new PackageException($"{sourceName} is not a readable OpenPGP public key ({MessageText.Flatten(e.Message)}): export one with 'gpg --export --armor KEYID'", e);
        }

        return rings;
    }
}
