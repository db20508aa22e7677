using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Interop;

/// <summary>
/// <c>struct statx</c> from <c>linux/stat.h</c>: the same 256-byte layout on every architecture,
/// unlike <c>struct stat</c>, which is why the tool asks <c>statx(2)</c>. Only the fields read
/// are named; the rest is spare or newer and kept as padding to the full size the kernel writes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    /// <summary>STATX_BASIC_STATS: type, mode, link count, owner, times, inode, size, blocks.</summary>
    internal const uint BasicStats = 0x7ff;

    /// <summary>STATX_BTIME: the birth time, asked for beside the basic stats where the file system keeps it.</summary>
    internal const uint BirthTimeMask = 0x800;

    /// <summary>The S_IFMT bits of <see cref="Mode"/>, and the values they take.</summary>
    internal const int TypeMask = 0xF000;
    internal const int TypeFifo = 0x1000, TypeCharacterDevice = 0x2000, TypeDirectory = 0x4000, TypeBlockDevice = 0x6000;
    internal const int TypeRegular = 0x8000, TypeSymlink = 0xA000, TypeSocket = 0xC000;

    [FieldOffset(0)] public uint Mask;
    [FieldOffset(4)] public uint BlockSize;
    [FieldOffset(8)] public ulong Attributes;
    [FieldOffset(16)] public uint LinkCount;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(48)] public ulong Blocks;
    [FieldOffset(56)] public ulong AttributesMask;
    [FieldOffset(64)] public StatxTimestamp AccessTime;
    [FieldOffset(80)] public StatxTimestamp BirthTime;
    [FieldOffset(96)] public StatxTimestamp ChangeTime;
    [FieldOffset(112)] public StatxTimestamp ModificationTime;
    [FieldOffset(128)] public uint RdevMajor;
    [FieldOffset(132)] public uint RdevMinor;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;

    /// <summary>The containing device as one number: major in the high half, minor in the low (unique, not dev_t's encoding).</summary>
    public readonly ulong Device => ((ulong)DevMajor << 32) | DevMinor;
}

/// <summary><c>struct statx_timestamp</c>: seconds since the epoch and nanoseconds.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct StatxTimestamp
{
    public long Seconds;
    public uint Nanoseconds;
}
