namespace ConsulPkg.Debian.Archives;

/// <summary>
/// Offsets and lengths of the fields of a 512-byte tar header (GNU tar's tar.h, "struct
/// posix_header"), shared by the writer (GNU layout, "ustar  \0" magic) and the reader.
/// </summary>
internal static class TarFieldLayout
{
    public const int BlockSize = 512;

    /// <summary>GNU tar pads every archive to a whole record of 20 blocks; dpkg-deb's output does too.</summary>
    public const int RecordSize = 20 * BlockSize;

    public const int NameOffset = 0, NameLength = 100;
    public const int ModeOffset = 100, ModeLength = 8;
    public const int UidOffset = 108, UidLength = 8;
    public const int GidOffset = 116, GidLength = 8;
    public const int SizeOffset = 124, SizeLength = 12;
    public const int MtimeOffset = 136, MtimeLength = 12;
    public const int ChecksumOffset = 148, ChecksumLength = 8;
    public const int TypeFlagOffset = 156;
    public const int LinkNameOffset = 157, LinkNameLength = 100;
    public const int MagicOffset = 257, MagicLength = 8;
    public const int UnameOffset = 265, UnameLength = 32;
    public const int GnameOffset = 297, GnameLength = 32;
    public const int DevMajorOffset = 329, DevMinorOffset = 337, DevLength = 8;

    /// <summary>Old GNU headers: where a multi-volume continuation (<c>M</c>) starts in the whole file.</summary>
    public const int MultiVolumeOffsetOffset = 369, MultiVolumeOffsetLength = 12;

    /// <summary>ustar only: the directory part of a name too long for the name field.</summary>
    public const int PrefixOffset = 345, PrefixLength = 155;

    /// <summary>"ustar" space space NUL: the old-GNU magic and version that tar --format=gnu writes.</summary>
    public static ReadOnlySpan<byte> GnuMagic => "ustar  \0"u8;

    /// <summary>Name of the pseudo-entry that carries a long name or link target ('L' / 'K').</summary>
    public static ReadOnlySpan<byte> LongLinkName => "././@LongLink"u8;

    public const byte TypeRegular = (byte)'0';
    public const byte TypeHardLink = (byte)'1';
    public const byte TypeSymlink = (byte)'2';
    public const byte TypeCharacterDevice = (byte)'3';
    public const byte TypeBlockDevice = (byte)'4';
    public const byte TypeDirectory = (byte)'5';
    public const byte TypeFifo = (byte)'6';
    public const byte TypeGnuLongName = (byte)'L';
    public const byte TypeGnuLongLink = (byte)'K';
}
