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
/// </summary>
public sealed class TarReader
{
    /// <summary>Extension headers (long names, pax records) larger than this are refused, not allocated.</summary>
    private const int MaxExtensionSize = 1 << 20;

    private readonly Stream _stream;
    private readonly string _displayName;
    private readonly string? _member;
    private readonly byte[] _header = new byte[BlockSize];
    private readonly Dictionary<string, byte[]> _globalPax = new(StringComparer.Ordinal);
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
                    longName = TrimAtNul(ReadExtension(size, "GNU long name"));
                    continue;
                case (byte)'K':
                    longLink = TrimAtNul(ReadExtension(size, "GNU long link name"));
                    continue;
                case (byte)'x':
                    pax ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    ParsePax(ReadExtension(size, "pax header"), pax);
                    continue;
                case (byte)'g':
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

    private static bool HasData(TarEntry entry) => entry.EntryType switch
    {
        TarEntryType.HardLink or TarEntryType.SymbolicLink or TarEntryType.Directory
            or TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo => false,
        _ => true,
    };

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

    private byte[] ReadExtension(long size, string what)
    {
        if (size < 0 || size > MaxExtensionSize)
        {
            throw Error($"{what} of {size} bytes at block {_blockNumber} exceeds the limit of {MaxExtensionSize} bytes");
        }
        byte[] data = new byte[size];
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
                switch (key)
                {
                    case "path": name = value; break;
                    case "linkpath": link = value; break;
                    case "uname": uname = Encoding.UTF8.GetString(value); break;
                    case "gname": gname = Encoding.UTF8.GetString(value); break;
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

    private static byte[] TrimAtNul(byte[] data)
    {
        int nul = Array.IndexOf(data, (byte)0);
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

    /// <summary>Parses pax records "LEN key=value\n" into <paramref name="into"/>; an empty value deletes.</summary>
    private void ParsePax(byte[] data, Dictionary<string, byte[]> into)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            if (data[pos] == 0)
            {
                break;
            }
            int space = Array.IndexOf(data, (byte)' ', pos);
            if (space < 0 || !int.TryParse(data.AsSpan(pos, space - pos), NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                || length <= space - pos || pos + length > data.Length || data[pos + length - 1] != (byte)'\n')
            {
                throw Error($"malformed pax extended header at block {_blockNumber}");
            }
            int equals = Array.IndexOf(data, (byte)'=', space + 1, pos + length - space - 1);
            if (equals < 0)
            {
                throw Error($"malformed pax extended header at block {_blockNumber} (record without '=')");
            }
            string key = Encoding.UTF8.GetString(data, space + 1, equals - space - 1);
            byte[] value = data[(equals + 1)..(pos + length - 1)];
            if (value.Length == 0)
            {
                into.Remove(key);
            }
            else
            {
                into[key] = value;
            }
            pos += length;
        }
    }

    private long PaxInteger(string key, byte[] value)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long result))
        {
            throw Error($"invalid pax {key} value '{Encoding.UTF8.GetString(value)}'");
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
            throw Error($"invalid pax mtime value '{text}'");
        }
        bool fraction = dot >= 0 && text.AsSpan(dot + 1).IndexOfAnyExcept('0') >= 0;
        return seconds < 0 && fraction ? seconds - 1 : seconds;
    }

    private InvalidPackageException Error(string what) => new($"{_displayName}: {what}", _member, _blockNumber * BlockSize);
}
