using System.Runtime.InteropServices;
using ConsulPkg.Debian.Interop;

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
/// FIFO blocks, so the writer asks the kernel before it opens anything (<see cref="LibC.Statx"/>,
/// whose struct, <see cref="StatxBuffer"/>, has the same layout on every architecture).
/// </summary>
public readonly record struct FileStatus(UnixFileType Type, int Mode, long Size, long LinkCount, ulong Device, ulong Inode, long MTime)
{
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
        throw errno is LibC.ENoEnt or LibC.ENotDir
            ? new FileNotFoundException($"'{path}' does not exist", path)
            : new IOException($"cannot stat '{path}': {reason}");
    }

    /// <summary>Status of a path given as bytes (a Unix name need not be UTF-8); null with the errno when statx fails.</summary>
    internal static unsafe FileStatus? TryGet(ReadOnlySpan<byte> path, bool followSymlink, out int errno)
    {
        StatxBuffer stx;
        int result;
        fixed (byte* p = LibC.Terminated(path))
        {
            result = LibC.Statx(LibC.AtFdCwd, p, followSymlink ? 0 : LibC.AtSymlinkNoFollow, StatxBuffer.BasicStats | StatxBuffer.BirthTimeMask, &stx);
        }
        if (result != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        return From(stx);
    }

    /// <summary>Status of what an open handle refers to (fstat): what was opened, whatever the name points at by now.</summary>
    internal static unsafe FileStatus Of(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        StatxBuffer stx;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            byte empty = 0;
            if (LibC.Statx((int)handle.DangerousGetHandle(), &empty, LibC.AtEmptyPath, StatxBuffer.BasicStats | StatxBuffer.BirthTimeMask, &stx) != 0)
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

        return From(stx);
    }

    private static FileStatus From(in StatxBuffer stx)
    {
        int mode = stx.Mode;
        UnixFileType type = (mode & StatxBuffer.TypeMask) switch
        {
            StatxBuffer.TypeRegular => UnixFileType.Regular,
            StatxBuffer.TypeDirectory => UnixFileType.Directory,
            StatxBuffer.TypeSymlink => UnixFileType.Symlink,
            StatxBuffer.TypeFifo => UnixFileType.Fifo,
            StatxBuffer.TypeCharacterDevice => UnixFileType.CharacterDevice,
            StatxBuffer.TypeBlockDevice => UnixFileType.BlockDevice,
            StatxBuffer.TypeSocket => UnixFileType.Socket,
            _ => UnixFileType.Unknown,
        };
        return new FileStatus(type, mode & 0xFFF, (long)stx.Size, stx.LinkCount, stx.Device, stx.Inode, stx.ModificationTime.Seconds)
        {
            Uid = stx.Uid,
            Gid = stx.Gid,
            DeviceMajor = stx.RdevMajor,
            DeviceMinor = stx.RdevMinor,
            BirthTime = (stx.Mask & StatxBuffer.BirthTimeMask) != 0 ? (stx.BirthTime.Seconds * 1_000_000_000L) + stx.BirthTime.Nanoseconds : 0,
        };
    }

    /// <summary>When the file was created, in nanoseconds since the epoch; 0 where the file system does not say.</summary>
    public long BirthTime { get; init; }

    /// <summary>For a character or block device, the device it stands for: its major number.</summary>
    public uint DeviceMajor { get; init; }

    /// <summary>For a character or block device, its minor number.</summary>
    public uint DeviceMinor { get; init; }

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
}
