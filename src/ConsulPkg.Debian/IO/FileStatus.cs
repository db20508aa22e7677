using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.IO;

/// <summary>The kinds of file a Unix file system holds (the S_IFMT bits of st_mode).</summary>
public enum UnixFileType
{
    Unknown,
    Regular,
    Directory,
    Symlink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>
/// What <c>statx(2)</c> says of a path: file type, permission bits, size, link count and
/// identity. .NET's FileInfo reports a FIFO or a device as a normal empty file, and opening a
/// FIFO blocks, so the writer asks the kernel before it opens anything. statx's struct has the
/// same layout on every architecture, unlike struct stat.
/// </summary>
public readonly record struct FileStatus(UnixFileType Type, int Mode, long Size, long LinkCount, ulong Device, ulong Inode, long MTime)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary>Status of <paramref name="path"/>, following a final symlink when <paramref name="followSymlink"/>.</summary>
    public static FileStatus Get(string path, bool followSymlink = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStatus? status = TryGet(UnixName.ToBytes(path), followSymlink, out int errno);
        if (status is { } found)
        {
            return found;
        }
        string reason = Marshal.GetPInvokeErrorMessage(errno);
        throw errno is 2 or 20
            ? new FileNotFoundException($"'{path}' does not exist", path)
            : new IOException($"cannot stat '{path}': {reason}");
    }

    /// <summary>Status of a path given as bytes (a Unix name need not be UTF-8); null with the errno when statx fails.</summary>
    internal static unsafe FileStatus? TryGet(ReadOnlySpan<byte> path, bool followSymlink, out int errno)
    {
        byte* buffer = stackalloc byte[256];
        byte[] terminated = ByteNamedFiles.Terminated(path);
        int result;
        fixed (byte* p = terminated)
        {
            result = Statx(AtFdCwd, p, followSymlink ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer);
        }
        if (result != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        return Parse(new ReadOnlySpan<byte>(buffer, 256));
    }

    /// <summary>Status of what an open handle refers to (fstat): what was opened, whatever the name points at by now.</summary>
    internal static unsafe FileStatus Of(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        byte* buffer = stackalloc byte[256];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            byte empty = 0;
            if (Statx((int)handle.DangerousGetHandle(), &empty, AtEmptyPath, StatxBasicStats, buffer) != 0)
            {
                throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()).ToLowerInvariant());
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return Parse(new ReadOnlySpan<byte>(buffer, 256));
    }

    private static FileStatus Parse(ReadOnlySpan<byte> b)
    {
        int mode = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]);
        UnixFileType type = (mode & 0xF000) switch
        {
            0x8000 => UnixFileType.Regular,
            0x4000 => UnixFileType.Directory,
            0xA000 => UnixFileType.Symlink,
            0x1000 => UnixFileType.Fifo,
            0x2000 => UnixFileType.CharacterDevice,
            0x6000 => UnixFileType.BlockDevice,
            0xC000 => UnixFileType.Socket,
            _ => UnixFileType.Unknown,
        };
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[140..]);
        return new FileStatus(
            type,
            mode & 0xFFF,
            (long)BinaryPrimitives.ReadUInt64LittleEndian(b[40..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
            device,
            BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[112..]))
        {
            Uid = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
            Gid = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
        };
    }

    /// <summary>Owner's user id.</summary>
    public uint Uid { get; init; }

    /// <summary>Owner's group id.</summary>
    public uint Gid { get; init; }

    /// <summary>How a file type reads in a message: "is a FIFO (named pipe), not a regular file".</summary>
    public static string Describe(UnixFileType type) => type switch
    {
        UnixFileType.Regular => "regular file",
        UnixFileType.Fifo => "FIFO (named pipe)",
        UnixFileType.CharacterDevice => "character device",
        UnixFileType.BlockDevice => "block device",
        UnixFileType.Unknown => "file of unknown type",
        _ => type.ToString().ToLowerInvariant(),
    };

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern unsafe int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);
}
