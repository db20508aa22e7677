using System.Buffers;
using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>How a listing renders what depends on the user's environment.</summary>
public sealed record ListingOptions
{
    /// <summary>The zone dates are shown in; dpkg-deb (through GNU tar) uses local time, i.e. TZ.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>
    /// Whether names are quoted as in a UTF-8 locale (printable non-ASCII characters shown as they
    /// are) or as in the C locale (every non-ASCII byte as an octal escape).
    /// </summary>
    public bool Utf8Names { get; init; }

    /// <summary>
    /// Options matching what dpkg-deb would print in this process's environment: local time zone
    /// (TZ) and the character set of LC_ALL, else LC_CTYPE, else LANG.
    /// </summary>
    public static ListingOptions FromEnvironment() => new() { Utf8Names = LocaleIsUtf8() };

    private static bool LocaleIsUtf8()
    {
        string? locale = null;
        foreach (string variable in new[] { "LC_ALL", "LC_CTYPE", "LANG" })
        {
            locale = Environment.GetEnvironmentVariable(variable);
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

    /// <summary>Formats one entry as one line, newline included, into <paramref name="output"/>.</summary>
    public void WriteLine(TarEntry entry, Stream output)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(output);
        _line.ResetWrittenCount();

        string user = entry.UserName.Length > 0 ? entry.UserName : entry.Uid.ToString(CultureInfo.InvariantCulture);
        string group = entry.GroupName.Length > 0 ? entry.GroupName : entry.Gid.ToString(CultureInfo.InvariantCulture);
        string size = entry.EntryType is TarEntryType.CharacterDevice or TarEntryType.BlockDevice
            ? string.Create(CultureInfo.InvariantCulture, $"{entry.DeviceMajor},{entry.DeviceMinor}")
            : entry.Size.ToString(CultureInfo.InvariantCulture);
        int pad = Encoding.UTF8.GetByteCount(user) + 1 + Encoding.UTF8.GetByteCount(group) + 1 + size.Length;
        _ownerSizeWidth = Math.Max(_ownerSizeWidth, pad);
        string date = FormatDate(entry.ModificationTime);
        _dateWidth = Math.Max(_dateWidth, date.Length);

        var text = new StringBuilder(96);
        text.Append(ModeString(entry)).Append(' ').Append(user).Append('/').Append(group).Append(' ')
            .Append(' ', _ownerSizeWidth - pad).Append(size).Append(' ')
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
            TarNameQuoting.Append(_line, entry.RawLinkName.Span, _options.Utf8Names);
        }
        _line.Write("\n"u8);
        output.Write(_line.WrittenSpan);
    }

    private void AppendUtf8(string text)
    {
        Span<byte> span = _line.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _line.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private string FormatDate(long seconds)
    {
        // GNU tar prints the raw number when the time cannot be broken down; so do we.
        if (seconds < -62135596800L || seconds > 253402300799L)
        {
            return seconds.ToString(CultureInfo.InvariantCulture);
        }
        DateTimeOffset local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(seconds), _options.TimeZone);
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
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
                (byte)'S' => 'S',
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
