using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Fpm;

/// <summary>fpm's <c>--inputs</c> and <c>--exclude-file</c>: one value per line, each line stripped, as fpm reads them.</summary>
internal static class FpmListFile
{
    /// <summary>The non-empty lines of <paramref name="given"/> (resolved against <paramref name="workingDirectory"/>); nothing when it is null.</summary>
    public static IReadOnlyList<string> Read(string? given, string flag, string workingDirectory)
    {
        if (given is null)
        {
            return [];
        }

        string path = Path.GetFullPath(given, workingDirectory);
        try
        {
            // fpm feeds an empty line to its input too (and fails on it); a blank line means nothing here.
            return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read the {flag} file '{path}': {IoErrorText.Reason(exception)}", exception);
        }
    }
}
