using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Fpm;

/// <summary>A file named by an fpm flag, read whole; a failure names the flag and the path.</summary>
internal static class FpmHostFile
{
    public static byte[] ReadBytes(string given, string flag, string workingDirectory)
    {
        string path = Path.GetFullPath(given, workingDirectory);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read the {flag} file '{path}': {IoErrorText.Reason(exception)}", exception);
        }
    }
}
