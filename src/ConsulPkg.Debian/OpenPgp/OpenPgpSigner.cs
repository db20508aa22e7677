using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>
/// Makes the signatures apt and dpkg's tools check: detached (Release.gpg) and clear-signed
/// (InRelease, RFC 4880 section 7). Every signature's time is given, never read from a clock, so
/// the same key, data and time give the same bytes.
/// </summary>
public static class OpenPgpSigner
{
    /// <summary>
    /// An armored detached signature of <paramref name="data"/> by each of <paramref name="keys"/>,
    /// in one block, as Release.gpg holds it: a verifier that knows any one of the keys accepts it.
    /// </summary>
    public static string DetachedSign(IReadOnlyList<SigningKey> keys, ReadOnlySpan<byte> data, DateTimeOffset time) =>
        Armor(SignEach(keys, data, PgpSignature.BinaryDocument, time));

    /// <summary>
    /// The binary detached signature by <paramref name="key"/> of the concatenation of
    /// <paramref name="parts"/>, each read to its end (as gpg --detach-sign writes it, unarmored,
    /// and as a debsigs <c>_gpgorigin</c> member holds it).
    /// </summary>
    public static byte[] DetachedSignBinary(SigningKey key, IEnumerable<Stream> parts, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(parts);
        PgpSignatureGenerator generator = key.StartSignature(PgpSignature.BinaryDocument, time);
        byte[] buffer = new byte[1 << 16];
        foreach (Stream part in parts)
        {
            int read;
            while ((read = part.Read(buffer, 0, buffer.Length)) > 0)
            {
                generator.Update(buffer, 0, read);
            }
        }

        return generator.Generate().GetEncoded();
    }

    /// <summary>
    /// <paramref name="text"/> clear-signed by each of <paramref name="keys"/>, as InRelease holds
    /// it. The text must end with a newline, as a Release file does; the signatures' time is <paramref name="time"/>.
    /// </summary>
    public static string ClearSign(IReadOnlyList<SigningKey> keys, string text, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new ArgumentException("clear-signed text must end with a newline", nameof(text));
        }

        string[] lines = text[..^1].Split('\n');
        List<PgpSignature> signatures = SignEach(keys, Encoding.UTF8.GetBytes(ClearText.Canonical(lines)), PgpSignature.CanonicalTextDocument, time);

        var message = new StringBuilder();
        message.Append(ClearText.Header).Append("\nHash: ").Append(ClearText.HashName(SigningKey.Digest)).Append("\n\n");
        foreach (string line in lines)
        {
            message.Append(ClearText.DashEscape(line)).Append('\n');
        }

        message.Append(Armor(signatures));
        return message.ToString();
    }

    private static List<PgpSignature> SignEach(IReadOnlyList<SigningKey> keys, ReadOnlySpan<byte> data, int signatureType, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("at least one signing key is needed", nameof(keys));
        }

        var signatures = new List<PgpSignature>(keys.Count);
        foreach (SigningKey key in keys)
        {
            signatures.Add(key.Sign(data, signatureType, time));
        }

        return signatures;
    }

    private static string Armor(IEnumerable<PgpSignature> signatures)
    {
        using var buffer = new MemoryStream();
        // No "Version:" header: the output depends only on the keys, the data and the time.
        using (var armored = new ArmoredOutputStream(buffer, new Dictionary<string, string>()))
        {
            foreach (PgpSignature signature in signatures)
            {
                signature.Encode(armored);
            }
        }

        return Encoding.ASCII.GetString(buffer.ToArray()).ReplaceLineEndings("\n");
    }
}

/// <summary>The cleartext signature framework's rules (RFC 4880 section 7), shared by signing and verifying.</summary>
internal static class ClearText
{
    public const string Header = "-----BEGIN PGP SIGNED MESSAGE-----";

    public const string SignatureHeader = "-----BEGIN PGP SIGNATURE-----";

    /// <summary>The signed form: trailing blanks dropped, CR LF between lines, no final line ending.</summary>
    public static string Canonical(IEnumerable<string> lines) => string.Join("\r\n", lines.Select(l => l.TrimEnd(' ', '\t')));

    /// <summary>A line starting with '-' gets "- " before it, so it cannot read as an armor header.</summary>
    public static string DashEscape(string line) => line.StartsWith('-') ? "- " + line : line;

    /// <summary>The name of a digest in the "Hash:" armor header.</summary>
    public static string HashName(HashAlgorithmTag digest) => digest switch
    {
        HashAlgorithmTag.Sha256 => "SHA256",
        HashAlgorithmTag.Sha384 => "SHA384",
        HashAlgorithmTag.Sha512 => "SHA512",
        _ => throw new ArgumentOutOfRangeException(nameof(digest), digest, "only the SHA-2 digests are used to sign"),
    };
}
