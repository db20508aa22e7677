using System.Text.RegularExpressions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;

namespace ConsulPkg.Fpm;

/// <summary>fpm's <c>-p/--package</c>: a file, an existing directory, or a name with placeholders.</summary>
public static partial class FpmOutputPath
{
    /// <summary>
    /// The absolute output path. Null: NAME_FULLVERSION_ARCH.deb in <paramref name="workingDirectory"/>
    /// (the epoch dropped, as in every .deb file name). An existing directory gets that name inside
    /// it. Otherwise fpm's placeholders NAME, FULLVERSION, VERSION, ITERATION, EPOCH, ARCH, TYPE and
    /// EXTENSION are replaced in one pass (fpm replaces them one after another, so a value holding
    /// a placeholder word gets replaced again).
    /// </summary>
    public static string Resolve(string? package, ControlFile control, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(control);
        string defaultName = DebPackageWriter.DefaultFileName(control);
        if (string.IsNullOrEmpty(package))
        {
            return Path.Combine(workingDirectory, defaultName);
        }

        string path = Path.GetFullPath(package, workingDirectory);
        if (Directory.Exists(path))
        {
            return Path.Combine(path, defaultName);
        }

        DebianVersion version = control.Version;
        string replaced = Placeholder().Replace(package, match => match.Value switch
        {
            "NAME" => control.Package,
            "FULLVERSION" => version.ToFileNameString(),
            "VERSION" => version.Upstream,
            "ITERATION" => version.Revision ?? "",
            "EPOCH" => version.Epoch > 0 ? version.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) : "",
            "ARCH" => control.Architecture,
            _ => "deb", // TYPE, EXTENSION
        });
        return Path.GetFullPath(replaced, workingDirectory);
    }

    [GeneratedRegex("FULLVERSION|NAME|VERSION|ITERATION|EPOCH|ARCH|TYPE|EXTENSION", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
