using ConsulPkg.Debian;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Cli;

/// <summary>
/// The one way every command reads a signing key and its passphrase: the key from a file given on
/// the command line, the passphrase from the first line of a file (never from argv), the key
/// checked for the time it is used now and for the date its signatures carry.
/// </summary>
internal static class SigningKeyFiles
{
    public const string PassphraseDescription = "File whose first line is the signing key's passphrase";

    /// <param name="signatureTime">The date the signatures will carry (SOURCE_DATE_EPOCH): the key must be valid then and now.</param>
    public static SigningKey Load(CliContext context, string keyFile, string? passphraseFile, DateTimeOffset signatureTime)
    {
        DateTimeOffset now = context.Now();
        string? passphrase = passphraseFile is null ? null : ReadPassphrase(context.ResolvePath(passphraseFile));
        return SigningKey.Load(context.ResolvePath(keyFile), passphrase, now > signatureTime ? now : signatureTime, signatureTime);
    }

    /// <summary>The first line of the file, as gpg's --passphrase-file reads it.</summary>
    private static string ReadPassphrase(string path)
    {
        if (!File.Exists(path))
        {
            throw new PackageException($"--passphrase-file '{path}' does not exist");
        }

        string text = File.ReadAllText(path);
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).TrimEnd('\r');
    }
}
