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
        ArgumentNullException.ThrowIfNull(context);
        if (given == StandardInput)
        {
            (Stream input, long size) = context.OpenStandardInput?.Invoke() ?? throw new PackageException("-: standard input is not available to read a package from");
            return DebPackageReader.Open(input, given, size);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(context.ResolvePath(given), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"{given}: cannot open: {IoErrorText.Reason(exception)}", exception);
        }

        return DebPackageReader.Open(stream, given);
    }
}
