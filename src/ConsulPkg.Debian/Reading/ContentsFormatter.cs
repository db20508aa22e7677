using System.Buffers;
using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>How a listing renders what depends on the user's environment.</summary>
public sealed record ListingOptions
{
    private static readonly string[] LocaleVariables = ["LC_ALL", "LC_CTYPE", "LANG"];

    /// <summary>The zone dates are shown in; dpkg-deb (through GNU tar) uses local time, i.e. TZ.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>
    /// Whether names are quoted as in a UTF-8 locale (printable non-ASCII characters shown as they
    /// are) or as in the C locale (every non-ASCII byte as an octal escape).
    /// </summary>
    public bool Utf8Names { get; init; }

    /// <summary>
    /// Options matching what dpkg-deb would print in the caller's environment: its local time zone
    /// and the character set of LC_ALL, else LC_CTYPE, else LANG.
    /// </summary>
    public static ListingOptions For(TimeZoneInfo localTimeZone, Func<string, string?> getEnvironmentVariable) =>
        new() { TimeZone = localTimeZone, Utf8Names = LocaleIsUtf8(getEnvironmentVariable) };

    /// <summary>Whether the C library would pick a UTF-8 character set from these variables (LC_ALL, LC_CTYPE, LANG).</summary>
    internal static bool LocaleIsUtf8(Func<string, string?> variables)
    {
        string? locale = null;
        foreach (string variable in LocaleVariables)
        {
            locale = variables(variable);
            if (!string.IsNullOrEmpty(locale))
            {
                break;
            }
        }
        if (string.IsNullOrEmpty(locale))
        {
            return false;
        }
        int dot = locale.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return false;
        }
        string codeset = locale[(dot + 1)..];
        int at = codeset.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            codeset = codeset[..at];
        }
        return codeset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || codeset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// Renders tar entries exactly as <c>dpkg-deb -c</c> shows them, which is GNU tar's verbose
/// listing (<c>tar -tvf -</c>, src/list.c print_header): mode string, owner/group (numbers when the
/// names are empty), size right-aligned in a column that only ever widens, local date, quoted name,
/// <c> -&gt; target</c> for symlinks and <c> link to target</c> for hard links.
/// </summary>
public sealed class ContentsFormatter
{
    /// <summary>GNU tar starts the "user/group size" column at 19 characters and only widens it.</summary>
    private const int InitialOwnerSizeWidth = 19;

    private readonly ListingOptions _options;
    private readonly ArrayBufferWriter<byte> _line = new(256);
    private int _ownerSizeWidth = InitialOwnerSizeWidth;
    private int _dateWidth = "YYYY-MM-DD HH:MM".Length;

    public ContentsFormatter(ListingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>A member name as GNU tar prints it (tar -t, tar -xv): escaped as in the listing's locale.</summary>
    public static byte[] QuotedName(ReadOnlySpan<byte> name, ListingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var quoted = new ArrayBufferWriter<byte>(name.Length + 8);
        TarNameQuoting.Append(quoted, name, options.Utf8Names);
        return quoted.WrittenSpan.ToArray();
    }

    /// <summary>Formats one entry as one line, newline included, into <paramref name="output"/>.</summary>
    public void WriteLine(TarEntry entry, Stream output)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(output);
        _line.ResetWrittenCount();

        // Owner names are printed as the bytes they are, numbers where there is no name.
        byte[] user = entry.RawUserName.Length > 0 ? entry.RawUserName.ToArray() : Encoding.ASCII.GetBytes(entry.Uid.ToString(CultureInfo.InvariantCulture));
        byte[] group = entry.RawGroupName.Length > 0 ? entry.RawGroupName.ToArray() : Encoding.ASCII.GetBytes(entry.Gid.ToString(CultureInfo.InvariantCulture));
        string size = entry.EntryType is TarEntryType.CharacterDevice or TarEntryType.BlockDevice
            ? string.Create(CultureInfo.InvariantCulture, $"{entry.DeviceMajor},{entry.DeviceMinor}")
            : entry.Size.ToString(CultureInfo.InvariantCulture);
        int pad = user.Length + 1 + group.Length + 1 + size.Length;
        _ownerSizeWidth = Math.Max(_ownerSizeWidth, pad);
        string date = FormatDate(entry.ModificationTime);
        _dateWidth = Math.Max(_dateWidth, date.Length);

        AppendUtf8(ModeString(entry) + " ");
        _line.Write(user);
        _line.Write("/"u8);
        _line.Write(group);
        var text = new StringBuilder(48);
        text.Append(' ').Append(' ', _ownerSizeWidth - pad).Append(size).Append(' ')
            .Append(date).Append(' ', _dateWidth - date.Length).Append(' ');
        AppendUtf8(text.ToString());
        TarNameQuoting.Append(_line, entry.RawName.Span, _options.Utf8Names);
        if (entry.EntryType == TarEntryType.SymbolicLink)
        {
            AppendUtf8(" -> ");
            TarNameQuoting.Append(_line, entry.RawLinkName.Span, _options.Utf8Names);
        }
        else if (entry.EntryType == TarEntryType.HardLink)
        {
            AppendUtf8(" link to ");
            TarNameQuoting.Append(_line, entry.HardLinkTarget, _options.Utf8Names);
        }
        else if (entry.TypeFlag == (byte)'V')
        {
            AppendUtf8("--Volume Header--");
        }
        else if (entry.TypeFlag == (byte)'M')
        {
            AppendUtf8(string.Create(CultureInfo.InvariantCulture, $"--Continued at byte {entry.ContinuedAt}--"));
        }
        else if (entry.EntryType == TarEntryType.Other && entry.TypeFlag != (byte)'S')
        {
            // GNU tar still lists an entry of a type it does not know, and says so, quoting the
            // type in the locale's style: typographic quotes in a UTF-8 locale.
            AppendUtf8(_options.Utf8Names ? " unknown file type \u2018" : " unknown file type '");
            TarNameQuoting.Append(_line, [entry.TypeFlag], _options.Utf8Names);
            AppendUtf8(_options.Utf8Names ? "\u2019" : "'");
        }
        _line.Write("\n"u8);
        output.Write(_line.WrittenSpan);
    }

    private void AppendUtf8(string text)
    {
        Span<byte> span = _line.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _line.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    /// <summary>
    /// strftime's "%Y-%m-%d %H:%M" in the listing's zone. Years are not zero-padded and may pass
    /// 9999 or go below 1 (base-256 mtimes allow it), so the calendar is computed here; outside
    /// the range TimeZoneInfo covers, the offset at the nearest end of that range applies. Where
    /// localtime(3) gives up (the year minus 1900 does not fit an int), GNU tar's tartime prints
    /// the raw number right-aligned in the date's 16 columns, and so does this.
    /// </summary>
    private string FormatDate(long seconds)
    {
        const long MinSeconds = -62135596800L + 86400L; // 0001-01-02, leaving room for any offset
        const long MaxSeconds = 253402300799L - 86400L; // 9999-12-30
        long clamped = Math.Clamp(seconds, MinSeconds, MaxSeconds);
        TimeSpan offset = _options.TimeZone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(clamped));
        // Saturating: a base-256 mtime can sit next to long's limits.
        long local = seconds > long.MaxValue - 86400L || seconds < long.MinValue + 86400L ? seconds : seconds + (long)offset.TotalSeconds;
        long days = Math.DivRem(local, 86400L, out long secondOfDay);
        if (secondOfDay < 0)
        {
            secondOfDay += 86400L;
            days--;
        }
        (long year, int month, int day) = CivilFromDays(days);
        if (year - 1900 is < int.MinValue or > int.MaxValue)
        {
            return seconds.ToString(CultureInfo.InvariantCulture).PadLeft("YYYY-MM-DD HH:MM".Length);
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{year}-{month:00}-{day:00} {secondOfDay / 3600:00}:{secondOfDay / 60 % 60:00}");
    }

    /// <summary>Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).</summary>
    private static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719468;
        long era = (days >= 0 ? days : days - 146096) / 146097;
        long dayOfEra = days - (era * 146097);
        long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
        long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        long monthIndex = ((5 * dayOfYear) + 2) / 153;
        int day = (int)(dayOfYear - (((153 * monthIndex) + 2) / 5) + 1);
        int month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }

    /// <summary>The ten-character mode string of GNU tar's pax_decode_mode, with tar's type letters.</summary>
    internal static string ModeString(TarEntry entry)
    {
        int mode = entry.Mode;
        Span<char> s = stackalloc char[10];
        s[0] = entry.EntryType switch
        {
            TarEntryType.RegularFile => '-',
            TarEntryType.HardLink => 'h',
            TarEntryType.SymbolicLink => 'l',
            TarEntryType.CharacterDevice => 'c',
            TarEntryType.BlockDevice => 'b',
            TarEntryType.Directory => 'd',
            TarEntryType.Fifo => 'p',
            TarEntryType.ContiguousFile => 'C',
            _ => entry.TypeFlag switch
            {
                // GNU tar lists an old-style sparse file as the regular file it stands for (a
                // directory when its name ends in "/", as for regular files).
                (byte)'S' => entry.RawName.Span.EndsWith("/"u8) ? 'd' : '-',
                (byte)'V' => 'V',
                (byte)'M' => 'M',
                _ => '?',
            },
        };
        s[1] = (mode & 0x100) != 0 ? 'r' : '-';
        s[2] = (mode & 0x80) != 0 ? 'w' : '-';
        s[3] = Exec(mode & 0x40, mode & 0x800, 's');
        s[4] = (mode & 0x20) != 0 ? 'r' : '-';
        s[5] = (mode & 0x10) != 0 ? 'w' : '-';
        s[6] = Exec(mode & 0x8, mode & 0x400, 's');
        s[7] = (mode & 0x4) != 0 ? 'r' : '-';
        s[8] = (mode & 0x2) != 0 ? 'w' : '-';
        s[9] = Exec(mode & 0x1, mode & 0x200, 't');
        return new string(s);
    }

    private static char Exec(int exec, int special, char letter) => (exec, special) switch
    {
        (not 0, not 0) => letter,
        (0, not 0) => char.ToUpperInvariant(letter),
        (not 0, 0) => 'x',
        _ => '-',
    };
}
