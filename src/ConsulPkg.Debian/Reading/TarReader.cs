using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Streams the entries of a tar archive: v7, ustar (prefix + name), GNU (long name <c>L</c> and
/// long link <c>K</c> entries, base-256 numbers) and POSIX pax (<c>x</c> and <c>g</c> records for
/// path, linkpath, size, uid, gid, uname, gname, mtime). Header checksums are verified, accepting
/// the signed or unsigned sum as GNU tar does. Reading stops at the first zero block.
/// </summary>
public sealed class TarReader
{
    private const int BlockSize = 512;

    /// <summary>Extension headers (long names, pax records) larger than this are refused, not allocated.</summary>
    private const int MaxExtensionSize = 1 << 20;

    private static class Field
    {
        public const int Name = 0, NameLength = 100;
        public const int Mode = 100, ModeLength = 8;
        public const int Uid = 108, Gid = 116, IdLength = 8;
        public const int Size = 124, SizeLength = 12;
        public const int Mtime = 136, MtimeLength = 12;
        public const int Checksum = 148, ChecksumLength = 8;
        public const int TypeFlag = 156;
        public const int LinkName = 157, LinkNameLength = 100;
        public const int Magic = 257, MagicLength = 8;
        public const int UName = 265, GName = 297, OwnerNameLength = 32;
        public const int DevMajor = 329, DevMinor = 337, DevLength = 8;
        public const int Prefix = 345, PrefixLength = 155;
    }

    private readonly Stream _stream;
    private readonly string _displayName;
    private readonly byte[] _header = new byte[BlockSize];
    private readonly Dictionary<string, byte[]> _globalPax = new(StringComparer.Ordinal);
    private TarEntry? _current;
    private long _currentPadding;
    private bool _ended;
    private long _blockNumber;

    /// <param name="stream">The (decompressed) tar stream. Not disposed by the reader.</param>
    /// <param name="displayName">How error messages name the archive, e.g. "foo.deb: data.tar.gz".</param>
    public TarReader(Stream stream, string displayName)
    {
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
            byte flag = _header[Field.TypeFlag];
            long size = ParseNumber(Field.Size, Field.SizeLength, "size");
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
        _blockNumber++;
        if (n == 0)
        {
            // No end-of-archive blocks: GNU tar accepts this silently, and so do we.
            return false;
        }
        if (n < BlockSize)
        {
            throw Error($"truncated tar archive (header block {_blockNumber} has only {n} of {BlockSize} bytes)");
        }
        if (Array.TrueForAll(_header, b => b == 0))
        {
            return false;
        }
        VerifyChecksum();
        return true;
    }

    private void VerifyChecksum()
    {
        long stored = ParseNumber(Field.Checksum, Field.ChecksumLength, "checksum");
        long unsignedSum = 0;
        long signedSum = 0;
        for (int i = 0; i < BlockSize; i++)
        {
            byte b = i is >= Field.Checksum and < Field.Checksum + Field.ChecksumLength ? (byte)' ' : _header[i];
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
        _blockNumber += (size + BlockSize - 1) / BlockSize;
        return data;
    }

    private TarEntry BuildEntry(byte flag, long size, byte[]? longName, byte[]? longLink, Dictionary<string, byte[]>? pax)
    {
        bool ustar = _header.AsSpan(Field.Magic, 6).SequenceEqual("ustar\0"u8);
        byte[] name = longName ?? HeaderName(ustar);
        byte[] link = longLink ?? CString(Field.LinkName, Field.LinkNameLength).ToArray();

        bool hasOwnerNames = ustar || _header.AsSpan(Field.Magic, 6).SequenceEqual("ustar "u8);
        string uname = hasOwnerNames ? Encoding.UTF8.GetString(CString(Field.UName, Field.OwnerNameLength)) : "";
        string gname = hasOwnerNames ? Encoding.UTF8.GetString(CString(Field.GName, Field.OwnerNameLength)) : "";
        long uid = ParseNumber(Field.Uid, Field.IdLength, "uid");
        long gid = ParseNumber(Field.Gid, Field.IdLength, "gid");
        long mtime = ParseNumber(Field.Mtime, Field.MtimeLength, "mtime");
        int major = 0, minor = 0;
        if (flag is (byte)'3' or (byte)'4')
        {
            major = (int)ParseNumber(Field.DevMajor, Field.DevLength, "devmajor");
            minor = (int)ParseNumber(Field.DevMinor, Field.DevLength, "devminor");
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
            Mode = (int)(ParseNumber(Field.Mode, Field.ModeLength, "mode") & 0xFFFF),
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
        ReadOnlySpan<byte> name = CString(Field.Name, Field.NameLength);
        ReadOnlySpan<byte> prefix = ustar ? CString(Field.Prefix, Field.PrefixLength) : default;
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

    /// <summary>
    /// A numeric header field: octal (leading spaces, ended by NUL or space), or GNU base-256 when
    /// the first byte has its high bit set (0x80 positive, 0xff negative).
    /// </summary>
    private long ParseNumber(int offset, int length, string what)
    {
        ReadOnlySpan<byte> field = _header.AsSpan(offset, length);
        if ((field[0] & 0x80) != 0)
        {
            bool negative = field[0] == 0xff;
            long value = negative ? -1 : field[0] & 0x7f;
            for (int i = 1; i < field.Length; i++)
            {
                if (!negative && value > (long.MaxValue >> 8))
                {
                    throw Error($"base-256 {what} field out of range at block {_blockNumber}");
                }
                value = (value << 8) | field[i];
            }
            return value;
        }
        int p = 0;
        while (p < field.Length && field[p] == (byte)' ')
        {
            p++;
        }
        long result = 0;
        int digits = 0;
        for (; p < field.Length && field[p] is >= (byte)'0' and <= (byte)'7'; p++)
        {
            if (result > (long.MaxValue >> 3))
            {
                throw Error($"octal {what} field out of range at block {_blockNumber}");
            }
            result = (result << 3) | (uint)(field[p] - '0');
            digits++;
        }
        if (p < field.Length && field[p] != 0 && field[p] != (byte)' ')
        {
            throw Error($"corrupt tar header at block {_blockNumber} (invalid {what} field)");
        }
        if (digits == 0 && p < field.Length && what is "size" or "checksum")
        {
            throw Error($"corrupt tar header at block {_blockNumber} (empty {what} field)");
        }
        return result;
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

    private PackageException Error(string what) => new($"{_displayName}: {what}");
}
