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
    /// A scratch file in <paramref name="directory"/>, deleted by the OS when closed whatever
    /// happens to the process that uses it.
    /// </summary>
    public static FileStream CreateScratch(string directory, string name, UnixFileMode? mode) =>
        CreateNew(Path.Combine(directory, $".{name}.{RandomSuffix()}.tmp"), mode, FileOptions.DeleteOnClose);

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
