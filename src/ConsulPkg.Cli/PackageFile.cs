using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli;

/// <summary>Opens a .deb named on the command line; errors name it as the user wrote it, like dpkg-deb.</summary>
internal static class PackageFile
{
    /// <param name="progress">When given, the reading of the file is reported to it, from a <see cref="IByteProgress.Begin"/> here to the <see cref="IByteProgress.Finish"/> the caller makes.</param>
    public static DebPackageReader Open(string given, CliContext context, IByteProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        FileStream stream;
        try
        {
            stream = new FileStream(context.ResolvePath(given), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{given}: cannot open: {IoErrorText.Reason(exception)}", exception);
        }

        if (progress is null)
        {
            return DebPackageReader.Open(stream, given);
        }

        progress.Begin(Path.GetFileName(given), stream.CanSeek ? stream.Length : null);
        try
        {
            return DebPackageReader.Open(new ProgressReadStream(stream, progress), given);
        }
        catch
        {
            progress.Finish();
            throw;
        }
    }
}
