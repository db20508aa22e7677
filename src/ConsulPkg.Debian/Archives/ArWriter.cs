using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Archives;

/// <summary>
/// Writes the common ar format as dpkg-deb does (lib/dpkg/ar.c): the "!&lt;arch&gt;\n" magic,
/// then for each member a 60-byte header <c>"%-16s%-12jd%-6lu%-6lu%-8lo%-10jd`\n"</c> (name,
/// mtime, uid 0, gid 0, mode 100644, size) and the data, padded with "\n" to an even length.
/// No long-name tables: every member name dpkg uses fits in 16 bytes.
/// </summary>
internal sealed class ArWriter
{
    public const int HeaderLength = 60;
    private const long MaxMemberSize = 9_999_999_999;
    private readonly Stream _output;
    private readonly long _mtime;

    public ArWriter(Stream output, long mtime)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _mtime = mtime;
        _output.Write("!<arch>\n"u8);
    }

    /// <summary>Writes a whole member from memory.</summary>
    public void WriteMember(string name, ReadOnlySpan<byte> data)
    {
        WriteHeader(name, data.Length);
        _output.Write(data);
        WritePad(data.Length);
    }

    /// <summary>Writes a member whose <paramref name="size"/> bytes are copied from <paramref name="data"/>.</summary>
    public void WriteMember(string name, Stream data, long size)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteHeader(name, size);
        long before = data.CanSeek ? data.Position : 0;
        data.CopyTo(_output);
        if (data.CanSeek && data.Position - before != size)
        {
            throw new InvalidOperationException($"ar member {name}: {data.Position - before} bytes copied, {size} announced");
        }

        WritePad(size);
    }

    /// <summary>
    /// Writes only the header of a member whose data (and padding) is already in the output right
    /// after it: for a writer that places the data first and fills in the header afterwards.
    /// </summary>
    public void WriteHeaderOfPlacedMember(string name, long size) => WriteHeader(name, size);

    /// <summary>
    /// Writes a member the way binutils' <c>ar -r</c> adds one in its deterministic mode, as
    /// debsigs appends its <c>_gpgorigin</c> signature: time 0, mode 644.
    /// </summary>
    public void WriteAppendedMember(string name, ReadOnlySpan<byte> data)
    {
        _output.Write(FormatHeader(name, 0, data.Length, "644"));
        _output.Write(data);
        WritePad(data.Length);
    }

    /// <summary>Bytes a member of <paramref name="size"/> takes in the archive, header and padding included.</summary>
    public static long MemberLength(long size) => HeaderLength + size + size % 2;

    public static byte[] FormatHeader(string name, long mtime, long size, string mode = "100644")
    {
        if (name.Length > 16 || !name.All(c => c is > ' ' and < (char)127))
        {
            throw new ArgumentException($"ar member name '{name}' must be at most 16 printable ASCII characters", nameof(name));
        }

        if (size is < 0 or > MaxMemberSize)
        {
            throw new InvalidSpecException($"ar member {name} would be {size} bytes; the ar format allows at most {MaxMemberSize}");
        }

        string header = string.Create(CultureInfo.InvariantCulture, $"{name,-16}{mtime,-12}{0,-6}{0,-6}{mode,-8}{size,-10}`\n");
        return Encoding.ASCII.GetBytes(header);
    }

    private void WriteHeader(string name, long size) => _output.Write(FormatHeader(name, _mtime, size));

    private void WritePad(long size)
    {
        if (size % 2 != 0)
        {
            _output.WriteByte((byte)'\n');
        }
    }
}
