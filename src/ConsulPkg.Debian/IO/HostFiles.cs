using System.Runtime.InteropServices;
using ConsulPkg.Debian.Interop;
using Microsoft.Win32.SafeHandles;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// Reads the build host's files by their names' bytes (<see cref="UnixName"/>): what packaging a
/// tree needs and .NET's path APIs cannot give, since they turn a name that is not UTF-8 into
/// U+FFFD and then cannot find the file. Failures are <see cref="IOException"/>s carrying the
/// system's reason, for the caller to put in a message that names the file.
/// </summary>
public static unsafe class HostFiles
{

    /// <summary>struct dirent on 64-bit Linux: d_ino, d_off (8 bytes each), d_reclen (2), d_type (1), then d_name.</summary>
    private const int DirentNameOffset = 19;

    /// <summary>The names in a directory, "." and ".." left out, in the order the file system gives them.</summary>
    public static List<string> ChildNames(string directory)
    {
        nint dir;
        fixed (byte* p = Terminated(directory))
        {
            dir = LibC.OpenDir(p);
        }
        if (dir == 0)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }

        try
        {
            var names = new List<string>();
            while (true)
            {
                nint entry = LibC.ReadDir(dir);
                if (entry == 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    return errno == 0 ? names : throw Failure(errno);
                }

                ReadOnlySpan<byte> name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + DirentNameOffset);
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    names.Add(UnixName.FromBytes(name));
                }
            }
        }
        finally
        {
            _ = LibC.CloseDir(dir);
        }
    }

    /// <summary>A symlink's target, exactly as stored.</summary>
    public static string ReadSymlink(string path)
    {
        byte[] terminated = Terminated(path);
        for (int size = 256; ; size *= 4)
        {
            byte[] buffer = new byte[size];
            nint length;
            fixed (byte* p = terminated)
            fixed (byte* b = buffer)
            {
                length = LibC.ReadLink(p, b, size);
            }
            if (length < 0)
            {
                throw Failure(Marshal.GetLastPInvokeError());
            }

            if (length < size)
            {
                return UnixName.FromBytes(buffer.AsSpan(0, (int)length));
            }
        }
    }

    /// <summary>
    /// <paramref name="path"/> with every symlink and "." or ".." resolved (realpath(3)), or null
    /// when some part of it does not exist or cannot be read.
    /// </summary>
    public static string? RealPath(string path)
    {
        byte[] terminated = Terminated(path);
        byte[] buffer = new byte[4096]; // PATH_MAX
        fixed (byte* p = terminated)
        fixed (byte* b = buffer)
        {
            if (LibC.RealPath(p, b) == null)
            {
                return null;
            }
        }

        return UnixName.FromBytes(buffer.AsSpan(0, Array.IndexOf(buffer, (byte)0)));
    }

    /// <summary>
    /// Opens a file to read, following a symlink, without ever blocking: a FIFO or a device
    /// opened this way returns at once (a plain open would wait for a writer), and
    /// <paramref name="status"/>, taken from the opened handle, says what was really opened.
    /// The caller checks it before reading.
    /// </summary>
    public static SafeFileHandle OpenForReading(string path, out FileStatus status)
    {
        int fd;
        fixed (byte* p = Terminated(path))
        {
            fd = LibC.Open(p, LibC.ORdOnly | LibC.ONonBlock | LibC.ONoCtty | LibC.OCloExec, 0);
        }
        if (fd < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            status = FileStatus.Of(handle);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>read(2) on an open handle: up to <paramref name="buffer"/>'s length, 0 at the end.</summary>
    public static int Read(SafeFileHandle handle, Span<byte> buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* b = buffer)
            {
                n = LibC.ReadFile(handle, b, buffer.Length);
            }
            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EIntr)
            {
                throw Failure(errno);
            }
        }
    }

    /// <summary>
    /// Standard input as a stream (seekable when it is a regular file), and the size fstat(2)
    /// gives it: the file's size, or 0 for a pipe, which is what dpkg-deb reports for "-".
    /// </summary>
    public static (Stream Stream, long Size) OpenStandardInput()
    {
        var handle = new SafeFileHandle(0, ownsHandle: false);
        FileStatus status = FileStatus.Of(handle);
        var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        return (stream, status.Type == UnixFileType.Regular ? status.Size : 0);
    }

    /// <summary>
    /// Standard output as a stream of write(2) calls on descriptor 1 (see <see cref="DescriptorWriteStream"/>).
    /// </summary>
    public static Stream OpenStandardOutput() => new DescriptorWriteStream(1);

    /// <summary>Standard error as a stream of write(2) calls on descriptor 2.</summary>
    public static Stream OpenStandardError() => new DescriptorWriteStream(2);

    /// <summary>
    /// How many columns wide the terminal on standard output is (TIOCGWINSZ); null when standard
    /// output is not a terminal or the terminal does not know its size (0).
    /// </summary>
    public static int? StandardOutputColumns()
    {
        LibC.WindowSize size;
        return LibC.GetWindowSize(1, LibC.TiocGWinSz, &size) == 0 && size.Columns > 0 ? size.Columns : null;
    }

    /// <summary>The process's umask (read by setting it and putting it back: there is no other way).</summary>
    public static int CurrentUmask()
    {
        uint mask = LibC.Umask(0x12);
        _ = LibC.Umask(mask);
        return (int)mask;
    }

    private static byte[] Terminated(string path) => LibC.Terminated(UnixName.ToBytes(path));

    private static IOException Failure(int errno) => errno is LibC.ENoEnt or LibC.ENotDir
        ? new FileNotFoundException("no such file or directory")
        : new IOException(Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant());
}
