using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// A version as dpkg reads it from a control file (lib/dpkg/parsehelp.c <c>parseversion</c>):
/// laxer in what it holds than <see cref="DebianVersion"/> (a package already built may carry any
/// of these), exact in how it prints (<c>varbufversion</c>). Text is one character per byte.
/// </summary>
internal readonly record struct DpkgVersion(int Epoch, string? Upstream, string? Revision)
{
    /// <summary>dpkg_version_is_informative: anything set at all.</summary>
    public bool IsInformative => Epoch != 0 || !string.IsNullOrEmpty(Upstream) || !string.IsNullOrEmpty(Revision);

    /// <summary>
    /// Parses like parseversion: null and the version on success, else the problem. dpkg calls
    /// some problems warnings, but a binary control file is read strictly, where every problem
    /// is an error, so the distinction does not matter here.
    /// </summary>
    public static string? TryParse(string text, out DpkgVersion version)
    {
        version = default;
        int start = 0;
        while (start < text.Length && DpkgText.IsBlank(text[start]))
        {
            start++;
        }
        if (start == text.Length)
        {
            return "version string is empty";
        }
        int end = start;
        while (end < text.Length && !DpkgText.IsBlank(text[end]))
        {
            end++;
        }
        for (int i = end; i < text.Length; i++)
        {
            if (!DpkgText.IsBlank(text[i]))
            {
                return "version string has embedded spaces";
            }
        }
        string word = text[start..end];
        int epoch = 0;
        int colon = word.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            // strtol: optional blanks and sign, then digits, which must end exactly at the colon.
            int digitsEnd = StrtolEnd(word, out long value, out bool overflow);
            if (digitsEnd == 0)
            {
                return "epoch in version is empty";
            }
            if (digitsEnd != colon)
            {
                return "epoch in version is not number";
            }
            if (value < 0)
            {
                return "epoch in version is negative";
            }
            if (value > int.MaxValue || overflow)
            {
                return "epoch in version is too big";
            }
            if (colon + 1 == word.Length)
            {
                return "nothing after colon in version number";
            }
            epoch = (int)value;
            word = word[(colon + 1)..];
        }
        string upstream = word;
        string revision = "";
        int hyphen = word.LastIndexOf('-');
        if (hyphen >= 0)
        {
            upstream = word[..hyphen];
            revision = word[(hyphen + 1)..];
            if (revision.Length == 0)
            {
                version = new DpkgVersion(epoch, upstream, revision);
                return "revision number is empty";
            }
        }
        version = new DpkgVersion(epoch, upstream, revision);
        if (upstream.Length == 0)
        {
            return "version number is empty";
        }
        if (!char.IsAsciiDigit(upstream[0]))
        {
            return "version number does not start with digit";
        }
        foreach (char c in upstream.AsSpan(1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && ".-+~:".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return "invalid character in version number";
            }
        }
        foreach (char c in revision)
        {
            if (!char.IsAsciiLetterOrDigit(c) && ".+~".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return "invalid character in revision number";
            }
        }
        return null;
    }

    /// <summary>varbufversion with vdew_nonambig: the epoch when not zero, or when a colon elsewhere would make it ambiguous.</summary>
    public override string ToString() => Describe(showEpoch: null);

    /// <summary>varbufversion with vdew_never (how dpkg-deb names a built package's file).</summary>
    public string WithoutEpoch() => Describe(showEpoch: false);

    private string Describe(bool? showEpoch)
    {
        var text = new StringBuilder();
        bool epoch = showEpoch ?? (Epoch != 0 || (Upstream?.Contains(':', StringComparison.Ordinal) ?? false)
            || (Revision?.Contains(':', StringComparison.Ordinal) ?? false));
        if (epoch)
        {
            text.Append(((uint)Epoch).ToString(CultureInfo.InvariantCulture)).Append(':');
        }
        text.Append(Upstream);
        if (!string.IsNullOrEmpty(Revision))
        {
            text.Append('-').Append(Revision);
        }
        return text.ToString();
    }

    /// <summary>Where C's strtol(text, &amp;end, 10) stops (0 when it read no digits), and the value it read.</summary>
    private static int StrtolEnd(string text, out long value, out bool overflow)
    {
        value = 0;
        overflow = false;
        int i = 0;
        while (i < text.Length && DpkgText.IsSpace(text[i]))
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }
        int digits = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            if (value > (long.MaxValue - 9) / 10)
            {
                overflow = true;
            }
            else
            {
                value = (value * 10) + (text[i] - '0');
            }
            i++;
        }
        if (i == digits)
        {
            value = 0;
            return 0;
        }
        value = negative ? -value : value;
        return i;
    }
}

/// <summary>dpkg's C-locale character classes (lib/dpkg/c-ctype.c), on text held one character per byte.</summary>
internal static class DpkgText
{
    /// <summary>c_isspace: space, \t, \n, \v, \f, \r.</summary>
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>c_isblank: space and tab.</summary>
    public static bool IsBlank(char c) => c is ' ' or '\t';

    /// <summary>c_iswhite: space, tab and newline.</summary>
    public static bool IsWhite(char c) => c is ' ' or '\t' or '\n';

    /// <summary>The text up to its first NUL: where a C string ends.</summary>
    public static string CString(string text)
    {
        int nul = text.IndexOf('\0', StringComparison.Ordinal);
        return nul < 0 ? text : text[..nul];
    }

    /// <summary>Bytes held one character per byte, as they are.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Bytes as one character per byte.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Text held one character per byte, read as UTF-8, for a message.</summary>
    public static string Shown(string text) => Encoding.UTF8.GetString(Bytes(text));
}
