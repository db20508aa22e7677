using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>One member of an ar archive: its header fields and a stream over its data.</summary>
public sealed class ArMember
{
    internal ArMember(string name, long size, long modificationTime, BoundedReadStream data)
    {
        Name = name;
        Size = size;
        ModificationTime = modificationTime;
        Data = data;
    }

    /// <summary>The member name with dpkg's normalisation: trailing spaces and one trailing '/' removed.</summary>
    public string Name { get; }

    /// <summary>The data size declared in the header (the pad byte excluded).</summary>
    public long Size { get; }

    /// <summary>The header's mtime field in seconds since the epoch (0 when not a number).</summary>
    public long ModificationTime { get; }

    /// <summary>
    /// The member's data. Valid until the next <see cref="ArReader.ReadNextMember"/>, which skips
    /// whatever was not read.
    /// </summary>
    public Stream Data { get; }
}

/// <summary>
/// Streams the members of a System V / GNU ar archive as dpkg writes it (lib/dpkg/ar.c): the
/// magic <c>!&lt;arch&gt;\n</c>, then 60-byte headers each followed by the data and one pad byte
/// when the size is odd. Works on unseekable streams; never allocates by a size read from the file.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The member window owns nothing: the caller owns the archive stream.")]
public sealed class ArReader
{
    /// <summary>The global header of every ar archive.</summary>
    public static ReadOnlySpan<byte> Magic => "!<arch>\n"u8;

    private const int HeaderLength = 60;
    private const int NameLength = 16;
    private const int MtimeOffset = 16;
    private const int MtimeLength = 12;
    private const int SizeOffset = 48;
    private const int SizeLength = 10;
    private const int TerminatorOffset = 58;

    private readonly Stream _stream;
    private readonly string _displayName;
    private BoundedReadStream? _current;
    private bool _currentHasPad;
    private bool _magicRead;

    /// <param name="stream">The archive, positioned at its start. Not disposed by the reader.</param>
    /// <param name="displayName">How error messages name the archive (usually its path).</param>
    public ArReader(Stream stream, string displayName)
        : this(stream, displayName, magicRead: false)
    {
    }

    /// <param name="stream">The archive. Not disposed by the reader.</param>
    /// <param name="displayName">How error messages name the archive (usually its path).</param>
    /// <param name="magicRead">Whether the caller has already read and checked the magic (it had to look at the first line to tell the format).</param>
    public ArReader(Stream stream, string displayName, bool magicRead)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        _stream = stream;
        _displayName = displayName;
        _magicRead = magicRead;
        BytesConsumed = magicRead ? Magic.Length : 0;
    }

    /// <summary>Bytes consumed from the stream so far (magic, headers, data and pads).</summary>
    public long BytesConsumed { get; private set; }

    /// <summary>
    /// Skips the rest of the current member and reads the next header; null at a clean end of
    /// archive. Throws <see cref="PackageException"/> on bad magic, a corrupt header or truncation.
    /// </summary>
    public ArMember? ReadNextMember()
    {
        if (!_magicRead)
        {
            ReadMagic();
        }
        FinishCurrent();

        Span<byte> header = stackalloc byte[HeaderLength];
        int n = StreamSkipper.ReadFully(_stream, header);
        BytesConsumed += n;
        if (n == 0)
        {
            return null;
        }
        if (n < HeaderLength)
        {
            throw Error($"truncated ar member header ({n} of {HeaderLength} bytes)");
        }
        if (header[TerminatorOffset] != (byte)'`' || header[TerminatorOffset + 1] != (byte)'\n')
        {
            throw Error("corrupt ar member header (bad terminator, expected \"`\\n\"); the file is damaged or not a .deb");
        }

        string name = NormalizeName(header[..NameLength]);
        long size = ParseSize(header.Slice(SizeOffset, SizeLength), name);
        long mtime = ParseLooseDecimal(header.Slice(MtimeOffset, MtimeLength));

        if (_stream.CanSeek && size > _stream.Length - _stream.Position)
        {
            throw Error($"truncated or corrupt: ar member '{name}' declares {size} bytes but only {_stream.Length - _stream.Position} remain");
        }

        _current = new BoundedReadStream(_stream, size,
            $"{_displayName}: truncated ar member '{name}' (header declares {size} bytes, the file ends sooner)");
        _currentHasPad = (size & 1) != 0;
        BytesConsumed += size + (_currentHasPad ? 1 : 0);
        return new ArMember(name, size, mtime, _current);
    }

    private void ReadMagic()
    {
        Span<byte> magic = stackalloc byte[8];
        int n = StreamSkipper.ReadFully(_stream, magic);
        BytesConsumed += n;
        if (n < magic.Length || !magic.SequenceEqual(Magic))
        {
            throw Error("not a Debian package (missing ar magic \"!<arch>\")");
        }
        _magicRead = true;
    }

    private void FinishCurrent()
    {
        if (_current is null)
        {
            return;
        }
        _current.SkipToEnd();
        if (_currentHasPad)
        {
            // A missing pad byte at the very end of the file is tolerated, as dpkg's skip does.
            _stream.ReadByte();
        }
        _current = null;
    }

    private static string NormalizeName(ReadOnlySpan<byte> field)
    {
        int end = field.Length;
        while (end > 0 && field[end - 1] == (byte)' ')
        {
            end--;
        }
        if (end > 0 && field[end - 1] == (byte)'/')
        {
            end--;
        }
        return Encoding.Latin1.GetString(field[..end]);
    }

    /// <summary>
    /// dpkg_ar_member_get_size: leading spaces, then digits up to the first space (what follows
    /// it is not looked at); anything else before it is an error. A blank field is 0, as in dpkg.
    /// </summary>
    private long ParseSize(ReadOnlySpan<byte> field, string name)
    {
        int i = 0;
        while (i < field.Length && field[i] == (byte)' ')
        {
            i++;
        }
        long size = 0;
        for (; i < field.Length && field[i] != (byte)' '; i++)
        {
            byte c = field[i];
            if (c < (byte)'0' || c > (byte)'9')
            {
                throw Error($"invalid character '{Printable(c)}' in the size of ar member '{name}'");
            }
            size = (size * 10) + (c - '0');
        }
        return size;
    }

    private static long ParseLooseDecimal(ReadOnlySpan<byte> field)
    {
        long value = 0;
        foreach (byte c in field.Trim((byte)' '))
        {
            if (c < (byte)'0' || c > (byte)'9')
            {
                return 0;
            }
            value = (value * 10) + (c - '0');
        }
        return value;
    }

    private static string Printable(byte c) => c is >= 0x20 and < 0x7f ? ((char)c).ToString() : $"\\x{c:x2}";

    private InvalidPackageException Error(string what) => new($"{_displayName}: {what}", member: null, offset: BytesConsumed);
}
