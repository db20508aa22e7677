using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli;

/// <summary>Opens a .deb named on the command line; errors name it as the user wrote it, like dpkg-deb.</summary>
internal static class PackageFile
{
    /// <summary>How a command line names standard input, as dpkg-deb does.</summary>
    public const string StandardInput = "-";

    /// <summary>Opens <paramref name="given"/>, or standard input for "-" (then the size -I shows is fstat's, 0 for a pipe, as dpkg-deb shows it).</summary>
    public static DebPackageReader Open(string given, CliContext context)
    {
        (Stream stream, long? size) = OpenInput(given, context);
        return DebPackageReader.Open(stream, given, size);
    }

    /// <summary>
    /// Opens the package and has <paramref name="read"/> read it, the bytes read reported to
    /// <paramref name="progress"/>; all of the file counts as done once that succeeds (the reader
    /// leaves the archive's closing padding unread).
    /// </summary>
    public static void Read(string given, CliContext context, IByteProgress progress, Action<DebPackageReader> read)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(read);
        (Stream stream, long? size) = OpenInput(given, context);
        using Stream input = stream;
        long? total = input.CanSeek ? input.Length : null;
        using ByteProgress.Scope reporting = progress.Start(Path.GetFileName(given), total);
        using DebPackageReader reader = DebPackageReader.Open(new ProgressReadStream(input, progress), given, size ?? total);
        read(reader);
        if (total is long length)
        {
            progress.Report(length);
        }
    }

    /// <summary>The file's stream, and for standard input the size fstat gives it (null for a file).</summary>
    private static (Stream Stream, long? StandardInputSize) OpenInput(string given, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (given == StandardInput)
        {
            (Stream input, long size) = context.OpenStandardInput?.Invoke() ?? throw new PackageException("-: standard input is not available to read a package from");
            return (input, size);
        }

        try
        {
            return (new FileStream(context.ResolvePath(given), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{given}: cannot open: {IoErrorText.Reason(exception)}", exception);
        }
    }
}
