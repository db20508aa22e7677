using System.Buffers;
using System.Text;
using ConsulPkg.Debian.IO;
using static ConsulPkg.Debian.Archives.TarFieldLayout;

namespace ConsulPkg.Debian.Archives;

/// <summary>
/// One tar entry's metadata as it is written: the stored name ("./usr/bin/consul", directories
/// with a trailing slash), permission bits, owner and a Unix mtime.
/// </summary>
internal readonly record struct TarEntryHeader(
    string Name,
    byte TypeFlag,
    int Mode,
    int Uid,
    int Gid,
    string Uname,
    string Gname,
    long Size,
    long MTime,
    string LinkName = "");

/// <summary>
/// Writes a tar stream in GNU format, the one dpkg-deb writes and dpkg's own unpacker reads:
/// names over 100 bytes go in a preceding 'L' entry (link targets in 'K'), numbers that do not
/// fit in octal use GNU base-256, and no PAX header is ever written (dpkg's unpacker refuses
/// them). Streams entry data; never seeks. Disposing writes the end-of-archive blocks and pads
/// to a whole 10 KiB record like GNU tar.
/// </summary>
internal sealed class GnuTarWriter : IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _output;
    private readonly byte[] _header = new byte[BlockSize];

    /// <summary>Reused for every entry's encoded name and link target: no allocation per entry.</summary>
    private byte[] _nameBytes = new byte[256];
    private byte[] _linkBytes = new byte[256];

    /// <summary>The copy buffer, rented once for the whole archive rather than once per file.</summary>
    private byte[]? _copyBuffer;
    private long _position;
    private bool _finished;

    public GnuTarWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("the tar output stream must be writable", nameof(output));
        }

        _output = output;
    }

    /// <summary>Writes an entry without data (directory, link, or empty file).</summary>
    public void WriteEntry(in TarEntryHeader header) => WriteEntry(header, data: null);

    /// <summary>
    /// Writes a header and then exactly <see cref="TarEntryHeader.Size"/> bytes from
    /// <paramref name="data"/>; a source that ends early or grows (even from 0 bytes) is an error,
    /// because the header already promised the size.
    /// </summary>
    public void WriteEntry(in TarEntryHeader header, Stream? data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        ReadOnlySpan<byte> name = Encode(header.Name, ref _nameBytes);
        ReadOnlySpan<byte> link = Encode(header.LinkName, ref _linkBytes);
        if (link.Length > LinkNameLength)
        {
            WriteLongLink(TypeGnuLongLink, link);
        }

        if (name.Length > NameLength)
        {
            WriteLongLink(TypeGnuLongName, name);
        }

        FillHeader(name, header.TypeFlag, header.Mode, header.Uid, header.Gid, header.Uname, header.Gname, header.Size, header.MTime, link);
        WriteBlock(_header);
        if (header.Size > 0)
        {
            ArgumentNullException.ThrowIfNull(data);
        }

        // Even an empty file is read: a /proc file says 0 bytes and then has content.
        if (data is not null)
        {
            CopyExactly(data, header.Size, header.Name);
            WritePadding(header.Size);
        }
    }

    public void Dispose()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_copyBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_copyBuffer);
            _copyBuffer = null;
        }

        // Two zero blocks end the archive; GNU tar then pads to a whole record.
        long end = _position + 2 * BlockSize;
        long padded = (end + RecordSize - 1) / RecordSize * RecordSize;
        WriteZeros(padded - _position);
    }

    /// <summary>A name's bytes (<see cref="UnixName"/>: a name that is not UTF-8 keeps its own bytes).</summary>
    private static ReadOnlySpan<byte> Encode(string value, ref byte[] buffer)
    {
        int max = Utf8.GetMaxByteCount(value.Length);
        if (buffer.Length < max)
        {
            buffer = new byte[Math.Max(max, 2 * buffer.Length)];
        }

        return buffer.AsSpan(0, UnixName.Write(value, buffer));
    }

    private void WriteLongLink(byte type, ReadOnlySpan<byte> value)
    {
        // GNU tar's own pseudo-entry: the value with a terminating NUL as the data. GNU tar
        // (start_private_header) stamps it with mtime 0 whatever the entry's time; so do we, so
        // that our data.tar matches dpkg-deb's byte for byte.
        long size = value.Length + 1L;
        FillHeader(LongLinkName, type, 0b110_100_100, 0, 0, "root", "root", size, 0, []);
        WriteBlock(_header);
        _output.Write(value);
        _output.WriteByte(0);
        _position += size;
        WritePadding(size);
    }

    private void FillHeader(ReadOnlySpan<byte> name, byte type, int mode, int uid, int gid, string uname, string gname, long size, long mtime, ReadOnlySpan<byte> link)
    {
        Span<byte> h = _header;
        h.Clear();
        name[..Math.Min(name.Length, NameLength)].CopyTo(h.Slice(NameOffset, NameLength));
        TarNumber.WriteOctal(h.Slice(ModeOffset, ModeLength), mode & 0xFFF, "mode");
        TarNumber.Write(h.Slice(UidOffset, UidLength), uid, "uid");
        TarNumber.Write(h.Slice(GidOffset, GidLength), gid, "gid");
        TarNumber.Write(h.Slice(SizeOffset, SizeLength), size, "size");
        TarNumber.Write(h.Slice(MtimeOffset, MtimeLength), mtime, "mtime");
        h[TypeFlagOffset] = type;
        link[..Math.Min(link.Length, LinkNameLength)].CopyTo(h.Slice(LinkNameOffset, LinkNameLength));
        GnuMagic.CopyTo(h[MagicOffset..]);
        WriteName(h.Slice(UnameOffset, UnameLength), uname, "user name");
        WriteName(h.Slice(GnameOffset, GnameLength), gname, "group name");

        // The checksum is the byte sum with its own field read as spaces: six octal digits, NUL, space.
        h.Slice(ChecksumOffset, ChecksumLength).Fill((byte)' ');
        int sum = 0;
        foreach (byte b in h)
        {
            sum += b;
        }

        TarNumber.WriteOctal(h.Slice(ChecksumOffset, 7), sum, "checksum");
        h[ChecksumOffset + 7] = (byte)' ';
    }

    private static void WriteName(Span<byte> field, string value, string what)
    {
        PackageEntry.CheckOwnerName(value, what); // uname and gname are the same width
        Utf8.GetBytes(value, field);
    }

    private void CopyExactly(Stream data, long size, string name)
    {
        byte[] buffer = _copyBuffer ??= ArrayPool<byte>.Shared.Rent(256 * 1024);
        long remaining = size;
        while (remaining > 0)
        {
            int read = data.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                throw new PackageException($"{name}: the file shrank while it was being packaged ({size - remaining} of {size} bytes read)");
            }

            _output.Write(buffer, 0, read);
            remaining -= read;
        }

        _position += size;
        if (data.Read(buffer, 0, 1) != 0)
        {
            throw new PackageException($"{name}: the file grew while it was being packaged (expected {size} bytes)");
        }
    }

    private void WriteBlock(byte[] block)
    {
        _output.Write(block);
        _position += block.Length;
    }

    private void WritePadding(long size)
    {
        int rest = (int)(size % BlockSize);
        if (rest != 0)
        {
            WriteZeros(BlockSize - rest);
        }
    }

    private void WriteZeros(long count)
    {
        Span<byte> zeros = stackalloc byte[BlockSize];
        zeros.Clear();
        while (count > 0)
        {
            int n = (int)Math.Min(count, BlockSize);
            _output.Write(zeros[..n]);
            count -= n;
            _position += n;
        }
    }
}
