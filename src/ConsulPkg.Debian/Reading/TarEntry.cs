using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>The kind of a tar entry, from its typeflag byte.</summary>
public enum TarEntryType
{
    RegularFile,
    HardLink,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Directory,
    Fifo,
    ContiguousFile,
    /// <summary>Any other typeflag (GNU sparse, volume header, ...); see <see cref="TarEntry.TypeFlag"/>.</summary>
    Other,
}

/// <summary>
/// One member of a tar archive as stored: extension headers (GNU long names, PAX records)
/// already applied, nothing else interpreted. Names are kept as raw bytes because tar names
/// are bytes, not text; <see cref="Name"/> is their UTF-8 reading.
/// </summary>
public sealed class TarEntry
{
    internal TarEntry(byte[] rawName, byte[] rawLinkName, byte typeFlag)
    {
        RawName = rawName;
        RawLinkName = rawLinkName;
        TypeFlag = typeFlag;
        Name = Encoding.UTF8.GetString(rawName);
        LinkName = Encoding.UTF8.GetString(rawLinkName);
        EntryType = Classify(typeFlag, rawName);
    }

    /// <summary>The entry name exactly as stored (e.g. <c>./usr/bin/consul</c>).</summary>
    public ReadOnlyMemory<byte> RawName { get; }

    /// <summary>The link target exactly as stored; empty unless a link.</summary>
    public ReadOnlyMemory<byte> RawLinkName { get; }

    /// <summary>The name decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string Name { get; }

    /// <summary>The link target decoded as UTF-8.</summary>
    public string LinkName { get; }

    /// <summary>The typeflag byte of the header ('0', '5', '2', ...).</summary>
    public byte TypeFlag { get; }

    public TarEntryType EntryType { get; }

    /// <summary>The mode field: permission bits plus setuid/setgid/sticky (file type bits, if any, too).</summary>
    public int Mode { get; internal set; }

    public long Uid { get; internal set; }

    public long Gid { get; internal set; }

    /// <summary>Owner name read as UTF-8; empty when the archive does not carry one.</summary>
    public string UserName => Encoding.UTF8.GetString(RawUserName.Span);

    /// <summary>Group name read as UTF-8; empty when the archive does not carry one.</summary>
    public string GroupName => Encoding.UTF8.GetString(RawGroupName.Span);

    /// <summary>The owner name's bytes, which GNU tar's listing prints as they are.</summary>
    public ReadOnlyMemory<byte> RawUserName { get; internal set; } = Array.Empty<byte>();

    /// <summary>The group name's bytes.</summary>
    public ReadOnlyMemory<byte> RawGroupName { get; internal set; } = Array.Empty<byte>();

    /// <summary>
    /// The owner name in the header itself (a pax record's is for display only): the name GNU
    /// tar gives a file to when extracting as root, if this host has such a user.
    /// </summary>
    public ReadOnlyMemory<byte> HeaderUserName { get; internal set; } = Array.Empty<byte>();

    /// <summary>The group name in the header itself.</summary>
    public ReadOnlyMemory<byte> HeaderGroupName { get; internal set; } = Array.Empty<byte>();

    /// <summary>Size of the entry's data in the archive.</summary>
    public long Size { get; internal set; }

    /// <summary>Modification time in whole seconds since the epoch.</summary>
    public long ModificationTime { get; internal set; }

    /// <summary>The fraction of a second of a pax mtime, in nanoseconds (0 for a plain header).</summary>
    public int ModificationNanoseconds { get; internal set; }

    public int DeviceMajor { get; internal set; }

    public int DeviceMinor { get; internal set; }

    /// <summary>For a GNU multi-volume continuation (<c>M</c>), the offset of this part in the whole file.</summary>
    public long ContinuedAt { get; internal set; }

    internal BoundedReadStream? Data { get; set; }

    /// <summary>
    /// The hard-link target as GNU tar uses it, in listings and on extraction (safer_name_suffix):
    /// everything up to and including the last ".." component, then any leading "/", is dropped;
    /// what is left is never empty ("." instead).
    /// </summary>
    public ReadOnlySpan<byte> HardLinkTarget
    {
        get
        {
            ReadOnlySpan<byte> target = RawLinkName.Span;
            int prefix = 0;
            int p = 0;
            while (p < target.Length)
            {
                ReadOnlySpan<byte> rest = target[p..];
                if (rest.StartsWith(".."u8) && (rest.Length == 2 || rest[2] == (byte)'/'))
                {
                    prefix = p + 2;
                }
                int slash = rest.IndexOf((byte)'/');
                p = slash < 0 ? target.Length : p + slash + 1;
            }
            while (prefix < target.Length && target[prefix] == (byte)'/')
            {
                prefix++;
            }
            return prefix == target.Length ? "."u8 : target[prefix..];
        }
    }

    /// <summary>
    /// The entry's data. Valid until the next <see cref="TarReader.GetNextEntry"/>, which skips
    /// whatever was not read.
    /// </summary>
    public Stream OpenData() => Data ?? Stream.Null;

    private static TarEntryType Classify(byte flag, byte[] name) => flag switch
    {
        (byte)'0' or 0 when name.Length > 0 && name[^1] == (byte)'/' => TarEntryType.Directory,
        (byte)'0' or 0 => TarEntryType.RegularFile,
        (byte)'1' => TarEntryType.HardLink,
        (byte)'2' => TarEntryType.SymbolicLink,
        (byte)'3' => TarEntryType.CharacterDevice,
        (byte)'4' => TarEntryType.BlockDevice,
        (byte)'5' or (byte)'D' => TarEntryType.Directory,
        (byte)'6' => TarEntryType.Fifo,
        (byte)'7' => TarEntryType.ContiguousFile,
        _ => TarEntryType.Other,
    };
}
