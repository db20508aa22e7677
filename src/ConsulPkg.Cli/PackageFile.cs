using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli;

/// <summary>Opens a .deb named on the command line; errors name it as the user wrote it, like dpkg-deb.</summary>
internal static class PackageFile
{
    public static DebPackageReader Open(string given, CliContext context)
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

        return DebPackageReader.Open(stream, given);
    }
}
