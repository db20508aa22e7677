using System.Buffers.Binary;
using System.Text;

namespace ConsulPkg.Consul;

/// <summary>
/// One entry of a zip's central directory (APPNOTE.TXT 4.3.12), read directly: where its data
/// starts, its sizes, CRC-32, method and Unix file type. Only what extracting one entry needs;
/// a zip64 directory is refused (Consul's zips are far below 4 GiB).
/// </summary>
internal sealed record ZipDirectoryEntry(ushort Method, uint Crc32, long CompressedSize, long Size, long LocalHeaderOffset, uint ExternalAttributes, byte MadeBy)
{
    public const ushort Stored = 0;
    public const ushort Deflated = 8;

    private const uint EndOfDirectorySignature = 0x06054b50;
    private const uint DirectoryEntrySignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const byte UnixHost = 3;

    /// <summary>A symlink stored by a Unix zip: S_IFLNK in the high half of the external attributes.</summary>
    public bool IsSymbolicLink => MadeBy == UnixHost && ((ExternalAttributes >> 16) & 0xF000) == 0xA000;

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public static ZipDirectoryEntry? Find(FileStream zip, string name)
    {
        (long directoryOffset, long directorySize) = EndOfDirectory(zip);
        if (directorySize > 64L << 20)
        {
            throw new InvalidDataException("zip central directory larger than 64 MiB");
        }

        byte[] directory = new byte[directorySize];
        zip.Position = directoryOffset;
        zip.ReadExactly(directory);
        byte[] wanted = Encoding.UTF8.GetBytes(name);
        int at = 0;
        while (at + 46 <= directory.Length && BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) == DirectoryEntrySignature)
        {
            ReadOnlySpan<byte> e = directory.AsSpan(at);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(e[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(e[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(e[32..]);
            if (at + 46 + nameLength > directory.Length)
            {
                break;
            }

            if (e.Slice(46, nameLength).SequenceEqual(wanted))
            {
                uint compressed = BinaryPrimitives.ReadUInt32LittleEndian(e[20..]);
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(e[24..]);
                uint offset = BinaryPrimitives.ReadUInt32LittleEndian(e[42..]);
                if (compressed == uint.MaxValue || size == uint.MaxValue || offset == uint.MaxValue)
                {
                    throw new InvalidDataException("zip64 entries are not supported");
                }

                return new ZipDirectoryEntry(
                    BinaryPrimitives.ReadUInt16LittleEndian(e[10..]), BinaryPrimitives.ReadUInt32LittleEndian(e[16..]),
                    compressed, size, offset, BinaryPrimitives.ReadUInt32LittleEndian(e[38..]), e[5]);
            }

            at += 46 + nameLength + extraLength + commentLength;
        }

        return null;
    }

    /// <summary>Where the entry's compressed bytes start: after its local header, name and extra field.</summary>
    public long DataOffset(FileStream zip)
    {
        byte[] header = new byte[30];
        zip.Position = LocalHeaderOffset;
        zip.ReadExactly(header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeaderSignature)
        {
            throw new InvalidDataException("the central directory points at no local file header");
        }

        return LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
    }

    private static (long Offset, long Size) EndOfDirectory(FileStream zip)
    {
        // The end record is 22 bytes plus a comment of at most 65535.
        int tail = (int)Math.Min(zip.Length, 22 + 65535);
        byte[] buffer = new byte[tail];
        zip.Position = zip.Length - tail;
        zip.ReadExactly(buffer);
        for (int at = tail - 22; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at)) == EndOfDirectorySignature)
            {
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 12));
                uint offset = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 16));
                if (offset == uint.MaxValue || (long)offset + size > zip.Length)
                {
                    throw new InvalidDataException("the zip's end of central directory record is out of range or zip64");
                }

                return (offset, size);
            }
        }

        throw new InvalidDataException("no end of central directory record");
    }
}

/// <summary>Exactly <c>length</c> bytes of a stream from its current position; the end of the window is the end of the stream.</summary>
internal sealed class WindowStream(Stream inner, long length) : Stream
{
    private long _remaining = length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0)
        {
            return 0;
        }

        int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        if (n == 0)
        {
            throw new InvalidDataException("the zip ends inside an entry's data");
        }

        _remaining -= n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
