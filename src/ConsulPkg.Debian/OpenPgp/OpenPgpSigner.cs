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
    /// <summary>An armored detached signature of <paramref name="data"/>, as Release.gpg holds it.</summary>
    public static string DetachedSign(SigningKey key, ReadOnlySpan<byte> data, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Armor(key.Sign(data, PgpSignature.BinaryDocument, time));
    }

    /// <summary>
    /// <paramref name="text"/> clear-signed, as InRelease holds it. The text must end with a
    /// newline, as a Release file does; the signature's time is <paramref name="time"/>.
    /// </summary>
    public static string ClearSign(SigningKey key, string text, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new ArgumentException("clear-signed text must end with a newline", nameof(text));
        }

        string[] lines = text[..^1].Split('\n');
        PgpSignature signature = key.Sign(Encoding.UTF8.GetBytes(ClearText.Canonical(lines)), PgpSignature.CanonicalTextDocument, time);

        var message = new StringBuilder();
        message.Append(ClearText.Header).Append("\nHash: ").Append(ClearText.HashName(SigningKey.Digest)).Append("\n\n");
        foreach (string line in lines)
        {
            message.Append(ClearText.DashEscape(line)).Append('\n');
        }

        message.Append(Armor(signature));
        return message.ToString();
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
