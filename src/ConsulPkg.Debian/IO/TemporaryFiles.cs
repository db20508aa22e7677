using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ConsulPkg.Debian.Interop;
using Microsoft.Win32.SafeHandles;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// How temporary files are named and created, in one place: <see cref="AtomicFile"/>'s file
/// beside its target and the scratch files a build needs (the package's data member before its
/// size is known). A different creation strategy (an unnamed file, say) is a change here only.
/// </summary>
public static class TemporaryFiles
{
    /// <summary>A fresh hidden name beside <paramref name="path"/>: <c>DIR/.NAME.RANDOM.tmp</c>.</summary>
    public static string NameBeside(string path, string kind = "tmp")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string directory = Path.GetDirectoryName(path) ?? ".";
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{RandomSuffix()}.{kind}");
    }

    /// <summary>
    /// A scratch file in <paramref name="directory"/> that has no name: opened with O_TMPFILE, or
    /// where the file system lacks it, created and unlinked at once. It lives while open and
    /// leaves nothing behind whatever happens to the process, SIGKILL included (it may hold a
    /// package's secrets: the configs with the gossip key).
    /// </summary>
    public static FileStream CreateScratch(string directory, string name, UnixFileMode? mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        int fd = OpenUnnamed(directory, (uint)(mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite)));
        if (fd >= 0)
        {
            return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.ReadWrite, 1 << 16);
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is not (LibC.EOpNotSupp or LibC.EIsDir or LibC.EInval))
        {
            throw new IOException($"cannot create a temporary file in '{directory}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        string path = Path.Combine(directory, $".{name}.{RandomSuffix()}.tmp");
        FileStream stream = CreateNew(path, mode, FileOptions.None);
        File.Delete(path);
        return stream;
    }

    /// <summary>open(directory, O_TMPFILE | O_RDWR | O_CLOEXEC, mode); O_TMPFILE includes O_DIRECTORY, whose value differs by architecture.</summary>
    private static unsafe int OpenUnnamed(string directory, uint mode)
    {
        fixed (byte* p = LibC.Terminated(directory))
        {
            return LibC.Open(p, LibC.OTmpFileBase | LibC.ODirectory | LibC.ORdWr | LibC.OCloExec, mode);
        }
    }

    /// <summary>Creates <paramref name="path"/>, which must not exist, for reading and writing.</summary>
    /// <param name="mode">The mode at creation (narrowed by the umask); null for the default.</param>
    public static FileStream CreateNew(string path, UnixFileMode? mode, FileOptions options)
    {
        var streamOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 1 << 16,
            Options = options,
        };
        if (mode is not null)
        {
            streamOptions.UnixCreateMode = mode.Value;
        }

        return new FileStream(path, streamOptions);
    }

    /// <summary>Deletes <paramref name="path"/> if it can: the error that made it a leftover matters more.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string RandomSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
