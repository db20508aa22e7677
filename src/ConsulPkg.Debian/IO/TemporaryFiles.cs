using System.Security.Cryptography;

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
            return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.ReadWrite, 1 << 16);
        }

        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno is not (EOpNotSupp or EIsDir or EInval))
        {
            throw new IOException($"cannot create a temporary file in '{directory}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
        }

        string path = Path.Combine(directory, $".{name}.{RandomSuffix()}.tmp");
        FileStream stream = CreateNew(path, mode, FileOptions.None);
        File.Delete(path);
        return stream;
    }

    private const int EIsDir = 21, EInval = 22, EOpNotSupp = 95;

    /// <summary>open(directory, O_TMPFILE | O_RDWR | O_CLOEXEC, mode); O_TMPFILE includes O_DIRECTORY, whose value differs by architecture.</summary>
    private static int OpenUnnamed(string directory, uint mode)
    {
        int directoryFlag = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
            is System.Runtime.InteropServices.Architecture.Arm64 or System.Runtime.InteropServices.Architecture.Arm ? 0x4000 : 0x10000;
        const int TmpFileBase = 0x400000, ReadWrite = 0x2, CloseOnExec = 0x80000;
        return Open(directory, TmpFileBase | directoryFlag | ReadWrite | CloseOnExec, mode);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = System.Runtime.InteropServices.CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Open(string path, int flags, uint mode);

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
