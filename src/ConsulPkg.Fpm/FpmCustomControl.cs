using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's <c>--deb-custom-control FILE</c>: the package's control file is this one rather than one
/// made from the flags. fpm copies it verbatim; consul-pkg reads it into a <see cref="ControlFile"/>
/// so it is validated like any other, gets a correct Installed-Size when it has none, and names
/// the output file (fpm names the file from the flags, so the name can disagree with the package).
/// </summary>
internal static class FpmCustomControl
{
    public static ControlFile Read(string given, string workingDirectory)
    {
        string path = Path.GetFullPath(given, workingDirectory);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read the --deb-custom-control file '{path}': {IoErrorText.Reason(exception)}", exception);
        }

        return Parse(bytes, $"the --deb-custom-control file '{path}'");
    }

    /// <summary>A control file's text as a <see cref="ControlFile"/>; <paramref name="displayName"/> names it in errors.</summary>
    public static ControlFile Parse(byte[] bytes, string displayName) =>
        ControlFile.Parse(ControlFields.Parse(bytes, displayName), displayName, [ControlField.Maintainer, ControlField.Description]);
}
