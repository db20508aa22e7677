namespace ConsulPkg.Debian.Archives;

/// <summary>What <see cref="TarNumber.TryParse"/> found in a numeric header field.</summary>
internal enum TarNumberStatus
{
    Ok,

    /// <summary>No digit before the terminating NUL or space (an all-blank field reads as 0, <see cref="Ok"/>).</summary>
    Empty,

    /// <summary>A byte that is neither an octal digit nor a terminator.</summary>
    Invalid,

    /// <summary>More than a <see cref="long"/> holds.</summary>
    OutOfRange,
}

/// <summary>
/// The numeric fields of a tar header, both ways: zero-padded NUL-terminated octal, and GNU
/// base-256 (high bit of the first byte set, big-endian) for values octal cannot hold.
/// </summary>
internal static class TarNumber
{
    /// <summary>Whether <paramref name="value"/> fits in the octal digits of a field (all but the terminator).</summary>
    public static bool FitsOctal(long value, int fieldLength) => value >= 0 && value < 1L << (3 * (fieldLength - 1));

    /// <summary>Octal digits, zero-padded, NUL-terminated: GNU tar's form for values that fit.</summary>
    public static void WriteOctal(Span<byte> field, long value, string what)
    {
        if (!FitsOctal(value, field.Length))
        {
            throw new InvalidSpecException($"tar {what} {value} does not fit in {field.Length - 1} octal digits");
        }

        int digits = field.Length - 1;
        for (int i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[digits] = 0;
    }

    /// <summary>Octal when it fits, else GNU base-256.</summary>
    public static void Write(Span<byte> field, long value, string what)
    {
        if (FitsOctal(value, field.Length))
        {
            WriteOctal(field, value, what);
            return;
        }

        if (value < 0)
        {
            throw new InvalidSpecException($"tar {what} {value} is negative");
        }

        field.Clear();
        for (int i = field.Length - 1; i > 0 && value != 0; i--)
        {
            field[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        field[0] = 0x80;
    }

    /// <summary>
    /// Reads a field as GNU tar does: base-256 when the first byte has its high bit set (0x80
    /// positive, 0xff negative), else octal after optional leading spaces, ended by NUL or space.
    /// </summary>
    public static TarNumberStatus TryParse(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (IsBase256(field))
        {
            bool negative = field[0] == 0xff;
            long result = negative ? -1 : field[0] & 0x7f;
            for (int i = 1; i < field.Length; i++)
            {
                if (!negative && result > (long.MaxValue >> 8))
                {
                    return TarNumberStatus.OutOfRange;
                }
                result = (result << 8) | field[i];
            }
            value = result;
            return TarNumberStatus.Ok;
        }

        int p = 0;
        while (p < field.Length && field[p] == (byte)' ')
        {
            p++;
        }
        int start = p;
        long octal = 0;
        for (; p < field.Length && field[p] is >= (byte)'0' and <= (byte)'7'; p++)
        {
            if (octal > (long.MaxValue >> 3))
            {
                return TarNumberStatus.OutOfRange;
            }
            octal = (octal << 3) | (uint)(field[p] - '0');
        }
        if (p < field.Length && field[p] != 0 && field[p] != (byte)' ')
        {
            return TarNumberStatus.Invalid;
        }
        value = octal;
        return p == start && p < field.Length ? TarNumberStatus.Empty : TarNumberStatus.Ok;
    }

    public static bool IsBase256(ReadOnlySpan<byte> field) => (field[0] & 0x80) != 0;
}
