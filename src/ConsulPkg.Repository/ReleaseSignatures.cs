using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Repository;

/// <summary>
/// Checks what <see cref="SigningKey"/> signs, as apt's gpgv would: InRelease's clear-signed text
/// and Release.gpg's detached signature of Release, each against the repository's binary keyring.
/// Each method returns null when the signature holds, else what is wrong, in one line.
/// </summary>
internal static class ReleaseSignatures
{
    private const string SignedHeader = "-----BEGIN PGP SIGNED MESSAGE-----\n";
    private const string SignatureHeader = "-----BEGIN PGP SIGNATURE-----";

    /// <summary>The text InRelease signs (dash-escaping undone, each line ending in "\n"), or null when it is not clear-signed.</summary>
    public static string? SignedText(string inRelease)
    {
        ArgumentNullException.ThrowIfNull(inRelease);
        int start = inRelease.IndexOf("\n\n", StringComparison.Ordinal);
        int end = inRelease.IndexOf("\n" + SignatureHeader, StringComparison.Ordinal);
        if (!inRelease.StartsWith(SignedHeader, StringComparison.Ordinal) || start < 0 || end < start)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (string line in inRelease[(start + 2)..(end + 1)].Split('\n')[..^1])
        {
            text.Append(line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line).Append('\n');
        }

        return text.ToString();
    }

    public static string? VerifyClearSigned(string inRelease, byte[] keyring)
    {
        string? text = SignedText(inRelease);
        if (text is null)
        {
            return "is not a clear-signed message";
        }

        // The signed form: trailing blanks dropped, CR LF between lines, no final line ending.
        string canonical = string.Join("\r\n", text[..^1].Split('\n').Select(l => l.TrimEnd(' ', '\t')));
        string armored = inRelease[inRelease.IndexOf(SignatureHeader, StringComparison.Ordinal)..];
        return Verify(Encoding.UTF8.GetBytes(canonical), Encoding.ASCII.GetBytes(armored), keyring);
    }

    public static string? VerifyDetached(byte[] data, byte[] signature, byte[] keyring) => Verify(data, signature, keyring);

    private static string? Verify(byte[] data, byte[] signature, byte[] keyring)
    {
        try
        {
            var bundle = new PgpPublicKeyRingBundle(keyring);
            using Stream decoder = PgpUtilities.GetDecoderStream(new MemoryStream(signature));
            if (new PgpObjectFactory(decoder).NextPgpObject() is not PgpSignatureList signatures || signatures.Count == 0)
            {
                return "holds no OpenPGP signature";
            }

            for (int i = 0; i < signatures.Count; i++)
            {
                PgpSignature candidate = signatures[i];
                if (bundle.GetPublicKey(candidate.KeyId) is { } key)
                {
                    candidate.InitVerify(key);
                    candidate.Update(data);
                    return candidate.Verify() ? null : $"has a BAD signature by key {candidate.KeyId:X16}: the file was changed after signing";
                }
            }

            return $"is signed by key {signatures[0].KeyId:X16}, which is not in the repository's keyring";
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            return $"cannot be read as an OpenPGP signature ({ConsulPkg.Debian.MessageText.Flatten(e.Message)})";
        }
    }
}
