using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli;

/// <summary>Opens a .deb named on the command line; errors name it as the user wrote it, like dpkg-deb.</summary>
internal static class PackageFile
{
    public static DebPackageReader Open(string given, CliContext context) => DebPackageReader.Open(OpenFile(given, context), given);

    /// <summary>
    /// Opens the package and has <paramref name="read"/> read it, the bytes read reported to
    /// <paramref name="progress"/>; all of the file counts as done once that succeeds (the reader
    /// leaves the archive's closing padding unread).
    /// </summary>
    public static void Read(string given, CliContext context, IByteProgress progress, Action<DebPackageReader> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using FileStream stream = OpenFile(given, context);
        long? size = stream.CanSeek ? stream.Length : null;
        using ByteProgress.Scope reporting = progress.Start(Path.GetFileName(given), size);
        using DebPackageReader reader = DebPackageReader.Open(new ProgressReadStream(stream, progress), given);
        read(reader);
        if (size is long total)
        {
            progress.Report(total);
        }
    }

    private static FileStream OpenFile(string given, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return new FileStream(context.ResolvePath(given), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{given}: cannot open: {IoErrorText.Reason(exception)}", exception);
        }
    }
}
