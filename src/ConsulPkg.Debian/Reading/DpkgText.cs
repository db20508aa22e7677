using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>dpkg's C-locale character classes (lib/dpkg/c-ctype.c) and C's strtol, on text held one character per byte.</summary>
public static class DpkgText
{
    /// <summary>
    /// C's strtol(text, &amp;end, radix) for radix 10, or 0 (a "0x" prefix is hexadecimal, a
    /// leading 0 octal): returns where it stopped (0 when it read no digits), the value (0 when
    /// none; long's limit, with <paramref name="overflow"/>, when out of range).
    /// </summary>
    public static int Strtol(string text, int radix, out long value, out bool overflow)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNotEqual(radix is 0 or 10, true);
        value = 0;
        overflow = false;
        int i = 0;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }
        if (radix == 0)
        {
            radix = i + 2 < text.Length && text[i] == '0' && text[i + 1] is 'x' or 'X' && char.IsAsciiHexDigit(text[i + 2]) ? 16
                : i < text.Length && text[i] == '0' ? 8
                : 10;
            i += radix == 16 ? 2 : 0;
        }
        // The magnitude is gathered unsigned so that long.MinValue itself is in range, as in C.
        ulong limit = negative ? (ulong)long.MaxValue + 1 : long.MaxValue;
        ulong magnitude = 0;
        int digits = i;
        while (i < text.Length && Digit(text[i]) is int d && d < radix)
        {
            if (overflow || magnitude > (limit - (ulong)d) / (ulong)radix)
            {
                overflow = true;
            }
            else
            {
                magnitude = (magnitude * (ulong)radix) + (ulong)d;
            }
            i++;
        }
        if (i == digits)
        {
            return 0;
        }
        value = overflow ? (negative ? long.MinValue : long.MaxValue) : negative ? (long)(0 - magnitude) : (long)magnitude;
        return i;

        static int? Digit(char c) => char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10 : null;
    }

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
