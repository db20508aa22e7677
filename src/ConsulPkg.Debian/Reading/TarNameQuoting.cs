using System.Buffers;
using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Quotes a name the way GNU tar's listing does (gnulib quotearg, "escape" style): printable
/// characters as they are, backslash doubled, \a \b \f \n \r \t \v as C escapes, every other
/// byte as a three-digit octal escape. Which multibyte characters count as printable depends
/// on the locale: in a UTF-8 locale valid printable characters pass through, in the C locale
/// every byte above 0x7e is escaped.
/// </summary>
internal static class TarNameQuoting
{
    public static void Append(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> name, bool utf8Locale)
    {
        int i = 0;
        while (i < name.Length)
        {
            byte c = name[i];
            if (c < 0x80 || !utf8Locale)
            {
                AppendSingle(output, c);
                i++;
                continue;
            }
            OperationStatus status = Rune.DecodeFromUtf8(name[i..], out Rune rune, out int consumed);
            if (status == OperationStatus.Done && IsPrintable(rune))
            {
                output.Write(name.Slice(i, consumed));
                i += consumed;
            }
            else if (status == OperationStatus.Done)
            {
                for (int k = 0; k < consumed; k++)
                {
                    AppendOctal(output, name[i + k]);
                }
                i += consumed;
            }
            else if (status == OperationStatus.NeedMoreData)
            {
                // An incomplete character at the end: quotearg escapes all remaining bytes.
                for (; i < name.Length; i++)
                {
                    AppendOctal(output, name[i]);
                }
            }
            else
            {
                AppendOctal(output, c);
                i++;
            }
        }
    }

    /// <summary>An approximation of glibc's iswprint: everything but controls, surrogates and unassigned code points.</summary>
    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };

    private static void AppendSingle(ArrayBufferWriter<byte> output, byte c)
    {
        char escape = c switch
        {
            0x07 => 'a',
            0x08 => 'b',
            0x0c => 'f',
            0x0a => 'n',
            0x0d => 'r',
            0x09 => 't',
            0x0b => 'v',
            (byte)'\\' => '\\',
            _ => '\0',
        };
        if (escape != '\0')
        {
            output.Write([(byte)'\\', (byte)escape]);
        }
        else if (c is >= 0x20 and < 0x7f)
        {
            output.Write([c]);
        }
        else
        {
            AppendOctal(output, c);
        }
    }

    private static void AppendOctal(ArrayBufferWriter<byte> output, byte c) =>
        output.Write([(byte)'\\', (byte)('0' + (c >> 6)), (byte)('0' + ((c >> 3) & 7)), (byte)('0' + (c & 7))]);
}
