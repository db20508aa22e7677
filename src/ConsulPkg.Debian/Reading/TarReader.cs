using System.Globalization;
using System.Text;
using ConsulPkg.Debian.Archives;
using static ConsulPkg.Debian.Archives.TarFieldLayout;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Streams the entries of a tar archive: v7, ustar (prefix + name), GNU (long name <c>L</c> and
/// long link <c>K</c> entries, base-256 numbers) and POSIX pax (<c>x</c> and <c>g</c> records for
/// path, linkpath, size, uid, gid, uname, gname, mtime). Header checksums are verified, accepting
/// the signed or unsigned sum as GNU tar does. Reading stops at the first zero block.
/// <para>
/// Memory is bounded whatever the archive holds: one extension buffer of at most
/// <see cref="MaxExtensionSize"/> bytes is reused, only the pax keywords above are kept, and a
/// global (<c>g</c>) header replaces the previous one as in GNU tar (xheader_decode_global)
/// instead of adding to it.
/// </para>
/// </summary>
public sealed class TarReader
{
    /// <summary>Extension headers (long names, pax records) larger than this are refused, not allocated.</summary>
    private const int MaxExtensionSize = 1 << 20;

    private readonly Stream _stream;
    private readonly string _displayName;
    private readonly string? _member;
    private readonly byte[] _header = new byte[BlockSize];
    /// <summary>The pax keywords the reader uses; any other record is checked and dropped.</summary>
    private static readonly string[] KeptPaxKeys = ["path", "linkpath", "size", "uid", "gid", "uname", "gname", "mtime"];

    private readonly Dictionary<string, byte[]> _globalPax = new(StringComparer.Ordinal);
    private readonly Action<string>? _warning;
    private readonly Func<string, bool>? _knownUser;
    private readonly Func<string, bool>? _knownGroup;

    /// <summary>The leading prefixes already warned about, for member names and for hard-link targets (tar warns once per prefix).</summary>
    private readonly HashSet<string>[] _strippedPrefixes = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private byte[] _extension = new byte[BlockSize];

    /// <summary>The latest 'x' header's records, kept (in one reused buffer) until the entry they describe.</summary>
    private byte[] _paxRecords = new byte[BlockSize];
    private TarEntry? _current;
    private long _currentPadding;
    private bool _ended;
    private long _blocksConsumed;

    /// <summary>0-based index of the current header block, as error messages report it.</summary>
    private long _blockNumber;

    /// <param name="stream">The (decompressed) tar stream. Not disposed by the reader.</param>
    /// <param name="displayName">How error messages name the archive, e.g. "foo.deb: data.tar.gz".</param>
    /// <param name="member">The ar member holding the archive, for <see cref="InvalidPackageException.Member"/>.</param>
    /// <param name="warning">Receives what GNU tar would warn about on the way (stripped name prefixes, empty names, a lone zero block), in its words.</param>
    /// <param name="knownUser">Whether this host has a user of a name; GNU tar reads the owner's number only when it has not.</param>
    /// <param name="knownGroup">The same for groups.</param>
    public TarReader(Stream stream, string displayName, string? member = null, Action<string>? warning = null,
        Func<string, bool>? knownUser = null, Func<string, bool>? knownGroup = null)
    {
        _member = member;
        _warning = warning;
        _knownUser = knownUser;
        _knownGroup = knownGroup;
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        _stream = stream;
        _displayName = displayName;
    }

    /// <summary>Skips what is left of the current entry and returns the next one; null at the end of the archive.</summary>
    public TarEntry? GetNextEntry()
    {
        if (_ended)
        {
            return null;
        }
        FinishCurrent();

        byte[]? longName = null;
        byte[]? longLink = null;
        int paxLength = -1;
        while (true)
        {
            if (!ReadHeaderBlock())
            {
                _ended = true;
                return null;
            }
            byte flag = _header[TypeFlagOffset];
            long size = ParseNumber(SizeOffset, SizeLength, "size");
            switch (flag)
            {
                case (byte)'L':
                    longName = TrimAtNul(ReadExtension(size, "GNU long name")).ToArray();
                    continue;
                case (byte)'K':
                    longLink = TrimAtNul(ReadExtension(size, "GNU long link name")).ToArray();
                    continue;
                case (byte)'x':
                    // Decoded with the entry it describes, as GNU tar does: one that no entry
                    // follows is never read, and a second one replaces the first.
                    ReadOnlySpan<byte> records = ReadExtension(size, "pax header");
                    if (_paxRecords.Length < records.Length)
                    {
                        _paxRecords = new byte[Math.Max(records.Length, Math.Min(_paxRecords.Length * 2, MaxExtensionSize))];
                    }
                    records.CopyTo(_paxRecords);
                    paxLength = records.Length;
                    continue;
                case (byte)'g':
                    _globalPax.Clear();
                    ParsePax(ReadExtension(size, "pax global header"), _globalPax, global: true);
                    continue;
                default:
                    break;
            }
            Dictionary<string, byte[]>? pax = null;
            if (paxLength >= 0)
            {
                pax = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                ParsePax(_paxRecords.AsSpan(0, paxLength), pax, global: false);
            }
            TarEntry entry = BuildEntry(flag, size, longName, longLink, pax);
            if (_warning is not null && flag != (byte)'V')
            {
                WarnOfUnsafeName(entry.RawName.Span, linkTarget: false);
                if (flag == (byte)'1')
                {
                    WarnOfUnsafeName(entry.RawLinkName.Span, linkTarget: true);
                }
            }
            long dataSize = HasData(entry) ? entry.Size : 0;
            entry.Data = new BoundedReadStream(_stream, dataSize,
                $"{_displayName}: truncated tar archive (entry '{entry.Name}' declares {dataSize} bytes, the data ends sooner)");
            _currentPadding = PaddingFor(dataSize);
            _current = entry;
            return entry;
        }
    }

    /// <summary>
    /// Whether the size field counts data blocks that follow the header. GNU tar ignores it only
    /// for directories and hard links (a GNU dump directory, 'D', carries its listing as data);
    /// a symlink, device or FIFO with a non-zero size is followed by that many bytes, which a
    /// listing skips (and which extraction refuses).
    /// </summary>
    private static bool HasData(TarEntry entry) =>
        entry.TypeFlag == (byte)'D' || entry.EntryType is not (TarEntryType.HardLink or TarEntryType.Directory);

    private static long PaddingFor(long size) => (BlockSize - (size % BlockSize)) % BlockSize;

    private void FinishCurrent()
    {
        if (_current?.Data is { } data)
        {
            data.SkipToEnd();
            SkipExactly(_currentPadding);
            _blocksConsumed += (_current.Size + BlockSize - 1) / BlockSize;
        }
        _current = null;
        _currentPadding = 0;
    }

    private void SkipExactly(long count)
    {
        if (count > 0 && StreamSkipper.Skip(_stream, count) != count)
        {
            throw Error("truncated tar archive (ends inside padding)");
        }
    }

    /// <summary>Reads one header block; false at a zero block or a clean end of stream.</summary>
    private bool ReadHeaderBlock()
    {
        int n = StreamSkipper.ReadFully(_stream, _header);
        _blockNumber = _blocksConsumed++;
        if (n == 0 && _blockNumber == 0)
        {
            // Not even one block: GNU tar says "This does not look like a tar archive" and fails.
            throw Error("empty tar archive (this does not look like a tar archive)");
        }
        if (n == 0)
        {
            // No end-of-archive blocks: GNU tar accepts this silently, and so do we.
            return false;
        }
        if (n < BlockSize)
        {
            throw Error($"truncated tar archive (header block {_blockNumber} has only {n} of {BlockSize} bytes)");
        }
        if (!_header.AsSpan().ContainsAnyExcept((byte)0))
        {
            if (_warning is not null)
            {
                // GNU tar reads one more block: a second zero block ends the archive quietly.
                Span<byte> next = stackalloc byte[BlockSize];
                int more = StreamSkipper.ReadFully(_stream, next);
                _blocksConsumed++;
                if (more < BlockSize || next.ContainsAnyExcept((byte)0))
                {
                    _warning(string.Create(CultureInfo.InvariantCulture, $"A lone zero block at {_blockNumber + 1}"));
                }
            }
            return false;
        }
        VerifyChecksum();
        return true;
    }

    private void VerifyChecksum()
    {
        long stored = ParseNumber(ChecksumOffset, ChecksumLength, "checksum");
        long unsignedSum = 0;
        long signedSum = 0;
        for (int i = 0; i < BlockSize; i++)
        {
            byte b = i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : _header[i];
            unsignedSum += b;
            signedSum += (sbyte)b;
        }
        if (stored != unsignedSum && stored != signedSum)
        {
            throw Error($"corrupt tar header at block {_blockNumber} (checksum {stored} stored, {unsignedSum} computed)");
        }
    }

    /// <summary>
    /// GNU tar's safer_name_suffix warnings: a leading part of "/" and components up to a ".."
    /// would be removed (once per distinct prefix), and an empty name stands for ".".
    /// </summary>
    private void WarnOfUnsafeName(ReadOnlySpan<byte> name, bool linkTarget)
    {
        int prefix = 0;
        for (int p = 0; p < name.Length;)
        {
            if (name[p] == (byte)'.' && p + 1 < name.Length && name[p + 1] == (byte)'.' && (p + 2 == name.Length || name[p + 2] == (byte)'/'))
            {
                prefix = p + 2;
            }
            do
            {
                if (name[p++] == (byte)'/')
                {
                    break;
                }
            }
            while (p < name.Length);
        }
        while (prefix < name.Length && name[prefix] == (byte)'/')
        {
            prefix++;
        }
        if (prefix > 0 && _strippedPrefixes[linkTarget ? 1 : 0].Add(Encoding.Latin1.GetString(name[..prefix])))
        {
            _warning!($"Removing leading `{Encoding.UTF8.GetString(name[..prefix])}' from {(linkTarget ? "hard link targets" : "member names")}");
        }
        if (name.IsEmpty)
        {
            _warning!($"Substituting `.' for empty {(linkTarget ? "hard link target" : "member name")}");
        }
    }

    /// <summary>Reads an extension header's data into the reused buffer; valid until the next call.</summary>
    private ReadOnlySpan<byte> ReadExtension(long size, string what)
    {
        if (size < 0 || size > MaxExtensionSize)
        {
            throw Error($"{what} of {size} bytes at block {_blockNumber} exceeds the limit of {MaxExtensionSize} bytes");
        }
        if (_extension.Length < size)
        {
            _extension = new byte[Math.Max(size, Math.Min(_extension.Length * 2L, MaxExtensionSize))];
        }
        Span<byte> data = _extension.AsSpan(0, (int)size);
        if (StreamSkipper.ReadFully(_stream, data) != size)
        {
            throw Error($"truncated tar archive (inside a {what})");
        }
        SkipExactly(PaddingFor(size));
        _blocksConsumed += (size + BlockSize - 1) / BlockSize;
        return data;
    }

    private TarEntry BuildEntry(byte flag, long size, byte[]? longName, byte[]? longLink, Dictionary<string, byte[]>? pax)
    {
        bool ustar = _header.AsSpan(MagicOffset, 6).SequenceEqual("ustar\0"u8);
        byte[] name = longName ?? HeaderName(ustar);
        byte[] link = longLink ?? CString(LinkNameOffset, LinkNameLength).ToArray();

        bool hasOwnerNames = ustar || _header.AsSpan(MagicOffset, 6).SequenceEqual("ustar "u8);
        byte[] uname = hasOwnerNames ? CString(UnameOffset, UnameLength).ToArray() : [];
        byte[] gname = hasOwnerNames ? CString(GnameOffset, GnameLength).ToArray() : [];
        byte[] headerUname = uname;
        byte[] headerGname = gname;
        // GNU tar reads the numbers only when the names are not this host's (decode_header).
        long uid = OwnerNumber(UidOffset, UidLength, "uid", uname, _knownUser);
        long gid = OwnerNumber(GidOffset, GidLength, "gid", gname, _knownGroup);
        long mtime = ParseNumber(MtimeOffset, MtimeLength, "mtime");
        int nanoseconds = 0;
        int major = 0, minor = 0;
        if (flag is (byte)'3' or (byte)'4')
        {
            major = (int)ParseNumber(DevMajorOffset, DevLength, "devmajor");
            minor = (int)ParseNumber(DevMinorOffset, DevLength, "devminor");
        }

        foreach (Dictionary<string, byte[]> records in pax is null ? [_globalPax] : new[] { _globalPax, pax })
        {
            foreach ((string key, byte[] value) in records)
            {
                // GNU tar keeps names as C strings: a NUL inside a pax value ends it.
                switch (key)
                {
                    case "path": name = TrimAtNul(value).ToArray(); break;
                    case "linkpath": link = TrimAtNul(value).ToArray(); break;
                    // A v7 header shows numbers whatever a pax record names (GNU tar's print_header).
                    case "uname": uname = hasOwnerNames ? TrimAtNul(value).ToArray() : uname; break;
                    case "gname": gname = hasOwnerNames ? TrimAtNul(value).ToArray() : gname; break;
                    case "size": size = PaxNumber(key, TrimAtNul(value)); break;
                    case "uid": uid = PaxNumber(key, TrimAtNul(value)); break;
                    case "gid": gid = PaxNumber(key, TrimAtNul(value)); break;
                    case "mtime": (mtime, nanoseconds) = ParseTime(key, TrimAtNul(value)); break;
                    default: break;
                }
            }
        }

        if (size < 0)
        {
            throw Error($"negative size {size} in tar entry '{Encoding.UTF8.GetString(name)}'");
        }
        long continuedAt = flag == (byte)'M' ? ParseNumber(MultiVolumeOffsetOffset, MultiVolumeOffsetLength, "offset") : 0;
        return new TarEntry(name, link, flag)
        {
            Mode = (int)(ParseNumber(ModeOffset, ModeLength, "mode") & 0xFFFF),
            Uid = uid,
            Gid = gid,
            HeaderUserName = headerUname,
            HeaderGroupName = headerGname,
            RawUserName = uname,
            RawGroupName = gname,
            Size = size,
            ModificationTime = mtime,
            ModificationNanoseconds = nanoseconds,
            DeviceMajor = major,
            DeviceMinor = minor,
            ContinuedAt = continuedAt,
        };
    }

    private byte[] HeaderName(bool ustar)
    {
        ReadOnlySpan<byte> name = CString(NameOffset, NameLength);
        ReadOnlySpan<byte> prefix = ustar ? CString(PrefixOffset, PrefixLength) : default;
        if (prefix.IsEmpty)
        {
            return name.ToArray();
        }
        byte[] full = new byte[prefix.Length + 1 + name.Length];
        prefix.CopyTo(full);
        full[prefix.Length] = (byte)'/';
        name.CopyTo(full.AsSpan(prefix.Length + 1));
        return full;
    }

    private ReadOnlySpan<byte> CString(int offset, int length)
    {
        ReadOnlySpan<byte> field = _header.AsSpan(offset, length);
        int nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    private static ReadOnlySpan<byte> TrimAtNul(ReadOnlySpan<byte> data)
    {
        int nul = data.IndexOf((byte)0);
        return nul < 0 ? data : data[..nul];
    }

    /// <summary>An owner's number, which may be garbage when the host knows the owner's name (then -1).</summary>
    private long OwnerNumber(int offset, int length, string what, byte[] name, Func<string, bool>? known)
    {
        // The lookup is made only for a number that does not parse: most entries never need it.
        if (TarNumber.TryParse(_header.AsSpan(offset, length), out long value) is not (TarNumberStatus.Ok or TarNumberStatus.Empty)
            && name.Length > 0 && known is not null && known(Encoding.UTF8.GetString(name)))
        {
            return -1;
        }
        return ParseNumber(offset, length, what);
    }

    /// <summary>A numeric header field (see <see cref="TarNumber"/>); only the checksum may not be empty.</summary>
    private long ParseNumber(int offset, int length, string what)
    {
        ReadOnlySpan<byte> field = _header.AsSpan(offset, length);
        return TarNumber.TryParse(field, out long value) switch
        {
            TarNumberStatus.Ok => value,
            // GNU tar reads a field that starts with NUL as 0, size included; a checksum never is.
            TarNumberStatus.Empty when what != "checksum" => value,
            TarNumberStatus.Empty => throw Error($"corrupt tar header at block {_blockNumber} (empty {what} field)"),
            TarNumberStatus.Invalid => throw Error($"corrupt tar header at block {_blockNumber} (invalid {what} field)"),
            _ => throw Error($"{(TarNumber.IsBase256(field) ? "base-256" : "octal")} {what} field out of range at block {_blockNumber}"),
        };
    }

    /// <summary>
    /// Parses pax records "LEN keyword=value\n" as GNU tar's decode_record does, into
    /// <paramref name="into"/> for the keywords in <see cref="KeptPaxKeys"/>. A malformed record,
    /// or a time or number out of its range, is an error (GNU tar reports it and fails at the
    /// end); a keyword tar does not know is warned about in an entry's header and ignored.
    /// </summary>
    private void ParsePax(ReadOnlySpan<byte> data, Dictionary<string, byte[]> into, bool global)
    {
        int pos = 0;
        while (true)
        {
            int p = pos;
            while (p < data.Length && data[p] is (byte)' ' or (byte)'\t')
            {
                p++;
            }
            if (p >= data.Length || !char.IsAsciiDigit((char)data[p]))
            {
                if (p < data.Length && data[p] != 0)
                {
                    throw Error($"malformed pax extended header at block {_blockNumber} (missing length)");
                }
                return;
            }
            long length = 0;
            for (; p < data.Length && char.IsAsciiDigit((char)data[p]); p++)
            {
                length = length > int.MaxValue ? length : (length * 10) + (data[p] - '0');
            }
            if (length > data.Length - pos)
            {
                throw Error($"pax extended header length {length} at block {_blockNumber} is out of range");
            }
            int next = pos + (int)length;
            int keyword = p;
            while (keyword < data.Length && data[keyword] is (byte)' ' or (byte)'\t')
            {
                keyword++;
            }
            if (keyword == p)
            {
                throw Error($"malformed pax extended header at block {_blockNumber} (missing blank after length)");
            }
            int equals = TrimAtNul(data[keyword..]).IndexOf((byte)'=');
            if (equals < 0 || keyword + equals >= next)
            {
                throw Error($"malformed pax extended header at block {_blockNumber} (missing equal sign)");
            }
            if (data[next - 1] != (byte)'\n')
            {
                throw Error($"malformed pax extended header at block {_blockNumber} (missing newline)");
            }
            Decode(TrimAtNul(data.Slice(keyword, equals)), data[(keyword + equals + 1)..(next - 1)], into, global);
            pos = next;
        }
    }

    /// <summary>decx: checks a record as GNU tar's decoder for its keyword would, and keeps what this reader uses.</summary>
    private void Decode(ReadOnlySpan<byte> keyword, ReadOnlySpan<byte> value, Dictionary<string, byte[]> into, bool global)
    {
        string name = Encoding.Latin1.GetString(keyword);
        if (Array.IndexOf(TarPaxKeywords, name) < 0 && !name.StartsWith("SCHILY.xattr", StringComparison.Ordinal))
        {
            if (!global)
            {
                _warning?.Invoke($"Ignoring unknown extended header keyword '{Encoding.UTF8.GetString(keyword)}'");
            }
            return;
        }
        if (name is "atime" or "ctime" or "mtime")
        {
            ParseTime(name, TrimAtNul(value));
        }
        else if (Array.IndexOf(NumericPaxKeywords, name) >= 0)
        {
            PaxNumber(name, TrimAtNul(value));
        }
        if (Array.IndexOf(KeptPaxKeys, name) >= 0)
        {
            into[name] = value.ToArray();
        }
    }

    /// <summary>The keywords GNU tar 1.34 decodes (xheader.c xhdr_tab), besides the SCHILY.xattr prefix.</summary>
    private static readonly string[] TarPaxKeywords =
    [
        "atime", "comment", "charset", "ctime", "gid", "gname", "linkpath", "mtime", "path", "size", "uid", "uname",
        "GNU.sparse.name", "GNU.sparse.major", "GNU.sparse.minor", "GNU.sparse.realsize", "GNU.sparse.numblocks",
        "GNU.sparse.size", "GNU.sparse.offset", "GNU.sparse.numbytes", "GNU.sparse.map", "GNU.dumpdir",
        "GNU.volume.label", "GNU.volume.filename", "GNU.volume.size", "GNU.volume.offset",
        "RHT.security.selinux", "SCHILY.acl.access", "SCHILY.acl.default",
    ];

    /// <summary>The keywords whose value GNU tar reads as a non-negative number.</summary>
    private static readonly string[] NumericPaxKeywords =
    [
        "gid", "size", "uid", "GNU.sparse.major", "GNU.sparse.minor", "GNU.sparse.realsize", "GNU.sparse.numblocks",
        "GNU.sparse.size", "GNU.sparse.offset", "GNU.sparse.numbytes", "GNU.volume.size", "GNU.volume.offset",
    ];

    /// <summary>decode_num: decimal digits for a value from 0 up to the largest long.</summary>
    private long PaxNumber(string key, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            throw Error(value.Length > 0 && value[0] == (byte)'-' && value[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 && value.Length > 1
                ? $"pax extended header {key}={Shown(value.ToArray())} is out of range"
                : $"invalid pax {key} value '{Shown(value.ToArray())}'");
        }
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long result))
        {
            throw Error($"pax extended header {key}={Shown(value.ToArray())} is out of range");
        }
        return result;
    }

    /// <summary>decode_time: an optional minus, digits, and an optional fraction of digits, the seconds within a long.</summary>
    private (long Seconds, int Nanoseconds) ParseTime(string key, ReadOnlySpan<byte> value)
    {
        int start = value.Length > 0 && value[0] == (byte)'-' ? 1 : 0;
        int dot = value.IndexOf((byte)'.');
        ReadOnlySpan<byte> whole = dot < 0 ? value[start..] : value[start..dot];
        ReadOnlySpan<byte> fraction = dot < 0 ? [] : value[(dot + 1)..];
        if (whole.IsEmpty || whole.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || fraction.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            throw Error($"invalid pax {key} value '{Shown(value.ToArray())}'");
        }
        if (!long.TryParse(value[..(dot < 0 ? value.Length : dot)], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds))
        {
            throw Error($"pax extended header {key}={Shown(value.ToArray())} is out of range");
        }
        string digits = Encoding.ASCII.GetString(fraction[..Math.Min(9, fraction.Length)]).PadRight(9, '0');
        int nanoseconds = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return start == 1 && nanoseconds > 0 ? (seconds - 1, 1_000_000_000 - nanoseconds) : (seconds, nanoseconds);
    }

    /// <summary>A pax value for an error message: at most 40 bytes of it, so one line stays one short line.</summary>
    private static string Shown(byte[] value) =>
        value.Length <= 40 ? Encoding.UTF8.GetString(value) : Encoding.UTF8.GetString(value, 0, 40) + "...";

    private InvalidPackageException Error(string what) => new($"{_displayName}: {what}", _member, _blockNumber * BlockSize);
}
