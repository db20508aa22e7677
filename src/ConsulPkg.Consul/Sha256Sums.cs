using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// A strict reader of <c>sha256sum</c> output: every line is exactly 64 lowercase hex digits, two
/// spaces and a file name. Any other line makes the whole file suspect, so it is refused rather
/// than skipped.
/// </summary>
internal static partial class Sha256Sums
{
    /// <summary>The hash listed for exactly <paramref name="fileName"/> in <paramref name="content"/>.</summary>
    /// <param name="sourceName">Where the content came from, for messages.</param>
    public static string FindHash(ReadOnlySpan<byte> content, string fileName, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw new PackageException($"{sourceName} is not a text file: expected lines of '<sha256>  <file name>'");
        }

        string? found = null;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0 && i == lines.Length - 1)
            {
                break; // the final newline
            }

            Match match = LinePattern().Match(line);
            if (!match.Success)
            {
                throw new PackageException(
                    $"{sourceName} line {i + 1} is malformed: expected 64 lowercase hex digits, two spaces and a file name");
            }

            if (string.Equals(match.Groups["name"].Value, fileName, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    throw new PackageException($"{sourceName} lists {fileName} twice");
                }

                found = match.Groups["hash"].Value;
            }
        }

        return found ?? throw new PackageException($"{sourceName} has no line for {fileName}: is this the right version and architecture?");
    }

    /// <summary>True for exactly 64 lowercase hex digits.</summary>
    public static bool IsSha256Hex(string value) => HashPattern().IsMatch(value);

    [GeneratedRegex(@"^(?<hash>[0-9a-f]{64})  (?<name>[^\s/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();
}
