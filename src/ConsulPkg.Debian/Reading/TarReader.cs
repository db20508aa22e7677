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
    /// <summary>The pax keywords the reader uses; any other record is parsed and dropped.</summary>
    private static readonly string[] KeptPaxKeys = ["path", "linkpath", "size", "uid", "gid", "uname", "gname", "mtime"];

    private readonly Dictionary<string, byte[]> _globalPax = new(StringComparer.Ordinal);
    private byte[] _extension = new byte[BlockSize];
    private TarEntry? _current;
    private long _currentPadding;
    private bool _ended;
    private long _blocksConsumed;

    /// <summary>0-based index of the current header block, as error messages report it.</summary>
    private long _blockNumber;

    /// <param name="stream">The (decompressed) tar stream. Not disposed by the reader.</param>
    /// <param name="displayName">How error messages name the archive, e.g. "foo.deb: data.tar.gz".</param>
    /// <param name="member">The ar member holding the archive, for <see cref="InvalidPackageException.Member"/>.</param>
    public TarReader(Stream stream, string displayName, string? member = null)
    {
        _member = member;
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
        Dictionary<string, byte[]>? pax = null;
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
                    pax ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    ParsePax(ReadExtension(size, "pax header"), pax);
                    continue;
                case (byte)'g':
                    _globalPax.Clear();
                    ParsePax(ReadExtension(size, "pax global header"), _globalPax);
                    continue;
                default:
                    break;
            }
            TarEntry entry = BuildEntry(flag, size, longName, longLink, pax);
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
    /// for directories and hard links; a symlink, device or FIFO with a non-zero size is
    /// followed by that many bytes, which a listing skips (and which extraction refuses).
    /// </summary>
    private static bool HasData(TarEntry entry) => entry.EntryType is not (TarEntryType.HardLink or TarEntryType.Directory);

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
        string uname = hasOwnerNames ? Encoding.UTF8.GetString(CString(UnameOffset, UnameLength)) : "";
        string gname = hasOwnerNames ? Encoding.UTF8.GetString(CString(GnameOffset, GnameLength)) : "";
        long uid = ParseNumber(UidOffset, UidLength, "uid");
        long gid = ParseNumber(GidOffset, GidLength, "gid");
        long mtime = ParseNumber(MtimeOffset, MtimeLength, "mtime");
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
                    case "uname": uname = Encoding.UTF8.GetString(TrimAtNul(value)); break;
                    case "gname": gname = Encoding.UTF8.GetString(TrimAtNul(value)); break;
                    case "size": size = PaxInteger(key, value); break;
                    case "uid": uid = PaxInteger(key, value); break;
                    case "gid": gid = PaxInteger(key, value); break;
                    case "mtime": mtime = PaxSeconds(value); break;
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
            UserName = uname,
            GroupName = gname,
            Size = size,
            ModificationTime = mtime,
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

    /// <summary>A numeric header field (see <see cref="TarNumber"/>); only size and checksum may not be empty.</summary>
    private long ParseNumber(int offset, int length, string what)
    {
        ReadOnlySpan<byte> field = _header.AsSpan(offset, length);
        return TarNumber.TryParse(field, out long value) switch
        {
            TarNumberStatus.Ok => value,
            TarNumberStatus.Empty when what is not ("size" or "checksum") => value,
            TarNumberStatus.Empty => throw Error($"corrupt tar header at block {_blockNumber} (empty {what} field)"),
            TarNumberStatus.Invalid => throw Error($"corrupt tar header at block {_blockNumber} (invalid {what} field)"),
            _ => throw Error($"{(TarNumber.IsBase256(field) ? "base-256" : "octal")} {what} field out of range at block {_blockNumber}"),
        };
    }

    /// <summary>
    /// Parses pax records "LEN key=value\n" into <paramref name="into"/>, keeping only the
    /// keywords in <see cref="KeptPaxKeys"/>; an empty value deletes.
    /// </summary>
    private void ParsePax(ReadOnlySpan<byte> data, Dictionary<string, byte[]> into)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            if (data[pos] == 0)
            {
                break;
            }
            int space = data[pos..].IndexOf((byte)' ');
            if (space < 0 || !int.TryParse(data.Slice(pos, space), NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                || length <= space || length > data.Length - pos || data[pos + length - 1] != (byte)'\n')
            {
                throw Error($"malformed pax extended header at block {_blockNumber}");
            }
            ReadOnlySpan<byte> record = data.Slice(pos + space + 1, length - space - 2);
            int equals = record.IndexOf((byte)'=');
            if (equals < 0)
            {
                throw Error($"malformed pax extended header at block {_blockNumber} (record without '=')");
            }
            string? key = KnownPaxKey(record[..equals]);
            ReadOnlySpan<byte> value = record[(equals + 1)..];
            if (key is null)
            {
                // Not used here (atime, comment, vendor records...): nothing to keep.
            }
            else if (value.IsEmpty)
            {
                into.Remove(key);
            }
            else
            {
                into[key] = value.ToArray();
            }
            pos += length;
        }
    }

    private static string? KnownPaxKey(ReadOnlySpan<byte> key)
    {
        foreach (string known in KeptPaxKeys)
        {
            if (Ascii.Equals(key, known))
            {
                return known;
            }
        }
        return null;
    }

    private long PaxInteger(string key, byte[] value)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long result))
        {
            throw Error($"invalid pax {key} value '{Shown(value)}'");
        }
        return result;
    }

    /// <summary>Pax mtime is decimal seconds with an optional fraction; listings only need whole seconds (floor).</summary>
    private long PaxSeconds(byte[] value)
    {
        string text = Encoding.ASCII.GetString(value);
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? text : text[..dot];
        if (!long.TryParse(whole, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds))
        {
            throw Error($"invalid pax mtime value '{Shown(value)}'");
        }
        bool fraction = dot >= 0 && text.AsSpan(dot + 1).IndexOfAnyExcept('0') >= 0;
        return seconds < 0 && fraction ? seconds - 1 : seconds;
    }

    /// <summary>A pax value for an error message: at most 40 bytes of it, so one line stays one short line.</summary>
    private static string Shown(byte[] value) =>
        value.Length <= 40 ? Encoding.UTF8.GetString(value) : Encoding.UTF8.GetString(value, 0, 40) + "...";

    private InvalidPackageException Error(string what) => new($"{_displayName}: {what}", _member, _blockNumber * BlockSize);
}
