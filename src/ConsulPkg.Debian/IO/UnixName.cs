using System.Buffers;
using System.Text;
using System.Text.Unicode;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// A Unix file name is a byte string; the package model carries names as .NET strings. This is
/// the one place where the two meet. Bytes that are UTF-8 become their characters; every other
/// byte 0x80-0xFF becomes the lone surrogate U+DC80-U+DCFF (the "surrogateescape" mapping of
/// PEP 383), which no UTF-8 decodes to. So bytes → string → bytes is exact for every name, two
/// names that differ in their bytes (<c>caf\xe9</c>, <c>caf\xe8</c>) stay different strings, and
/// the rest of the code can keep joining, comparing and looking up names as strings. Only the
/// edges convert: reading names from the build host, opening files by name, and writing names
/// into tar headers, md5sums and conffiles.
/// </summary>
public static class UnixName
{
    private const char EscapeBase = '\uDC00';

    /// <summary>The name's string form: UTF-8 decoded, any other byte escaped.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length);
        Span<char> chars = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed) == OperationStatus.Done)
            {
                text.Append(chars[..rune.EncodeToUtf16(chars)]);
                bytes = bytes[consumed..];
            }
            else
            {
                // One byte at a time: the next byte may start a valid character again.
                text.Append((char)(EscapeBase + bytes[0]));
                bytes = bytes[1..];
            }
        }

        return text.ToString();
    }

    /// <summary>The name's bytes: escaped bytes as themselves, everything else UTF-8.</summary>
    public static byte[] ToBytes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!HasSurrogates(name))
        {
            return Encoding.UTF8.GetBytes(name);
        }

        byte[] bytes = new byte[ByteCount(name)];
        Write(name, bytes);
        return bytes;
    }

    /// <summary>Writes the name's bytes to <paramref name="destination"/> (at least <see cref="ByteCount"/> long); returns how many.</summary>
    public static int Write(string name, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!HasSurrogates(name))
        {
            return Encoding.UTF8.GetBytes(name, destination);
        }

        int written = 0;
        for (int i = 0; i < name.Length;)
        {
            if (IsEscapedByte(name[i]))
            {
                destination[written++] = (byte)(name[i++] - EscapeBase);
                continue;
            }

            // A pair is one character; any other lone surrogate is written as U+FFFD, as .NET would.
            if (Rune.TryGetRuneAt(name, i, out Rune rune))
            {
                written += rune.EncodeToUtf8(destination[written..]);
                i += rune.Utf16SequenceLength;
            }
            else
            {
                written += Rune.ReplacementChar.EncodeToUtf8(destination[written..]);
                i++;
            }
        }

        return written;
    }

    /// <summary>How many bytes the name has.</summary>
    public static int ByteCount(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!HasSurrogates(name))
        {
            return Encoding.UTF8.GetByteCount(name);
        }

        int count = 0;
        for (int i = 0; i < name.Length;)
        {
            if (IsEscapedByte(name[i]))
            {
                count++;
                i++;
            }
            else if (Rune.TryGetRuneAt(name, i, out Rune rune))
            {
                count += rune.Utf8SequenceLength;
                i += rune.Utf16SequenceLength;
            }
            else
            {
                count += Rune.ReplacementChar.Utf8SequenceLength;
                i++;
            }
        }

        return count;
    }

    /// <summary>
    /// Orders names by their bytes, as C's strcmp does on the names dpkg-deb sorts. Ordinal
    /// UTF-16 order differs from it for characters above U+FFFF and for escaped bytes.
    /// </summary>
    public static int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        int i = x.AsSpan().CommonPrefixLength(y);
        if (i == x.Length || i == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        // ASCII is a whole byte, and below every byte of any other character: decided here.
        if (x[i] < 0x80 || y[i] < 0x80)
        {
            return x[i].CompareTo(y[i]);
        }

        // Step back into a pair the common prefix cut, then compare what is left as bytes.
        if (char.IsLowSurrogate(x[i]) && i > 0 && char.IsHighSurrogate(x[i - 1]))
        {
            i--;
        }

        return ToBytes(x[i..]).AsSpan().SequenceCompareTo(ToBytes(y[i..]));
    }

    /// <summary>The name for a message: as it is when it is all UTF-8, else with each other byte as tar's octal escape (<c>caf\351</c>).</summary>
    public static string Printable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!HasSurrogates(name))
        {
            return name;
        }

        var quoted = new ArrayBufferWriter<byte>(name.Length + 8);
        TarNameQuoting.Append(quoted, ToBytes(name), utf8Locale: true);
        return Encoding.UTF8.GetString(quoted.WrittenSpan);
    }

    /// <summary>The comparer form of <see cref="Compare"/>.</summary>
    public static IComparer<string> ByteOrder { get; } = Comparer<string>.Create(Compare);

    private static bool IsEscapedByte(char c) => c is >= '\uDC80' and <= '\uDCFF';

    private static bool HasSurrogates(string name) => name.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
}
