using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's <c>--deb-generate-changes</c>: a Debian .changes file (Format 1.8) for the package, for
/// tools that upload or sign builds (dput, debsign, dcmd). Fields as fpm's deb.changes template
/// writes them, with three fixes: the file lies next to the .deb (fpm writes it into the current
/// directory) and lists it by its file name (fpm writes the -p path, which no upload tool finds);
/// Description has the .changes form, one " NAME - SYNOPSIS" line (Policy 5.6.13); and the Files
/// line carries the package's Section ("-" without one) where fpm writes "default".
/// </summary>
public static class FpmChangesFile
{
    /// <summary>NAME_VERSION_ARCH.deb → NAME_VERSION_ARCH.changes, in the same directory.</summary>
    public static string PathFor(string debPath)
    {
        ArgumentNullException.ThrowIfNull(debPath);
        return Path.ChangeExtension(debPath, ".changes");
    }

    /// <summary>Writes the .changes of the .deb at <paramref name="debPath"/> (atomically, replacing an older one).</summary>
    public static string Write(string debPath, ControlFile control, string distribution, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(control);
        string path = PathFor(debPath);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Render(debPath, control, distribution, timestamp)));
        return path;
    }

    public static string Render(string debPath, ControlFile control, string distribution, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(debPath);
        ArgumentNullException.ThrowIfNull(control);
        (long size, string md5, string sha1, string sha256) = Digests(debPath);
        string file = Path.GetFileName(debPath);
        string synopsis = (control.Description ?? FpmDefaults.Description).Split('\n')[0];
        string date = timestamp.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        string version = control.Version.ToString();
        return Deb822Writer.Render(ControlType.Changes,
        [
            new(ControlField.Format.Name, "1.8"),
            new(ControlField.Date.Name, date),
            new(ControlField.Source.Name, control.Package),
            new(ControlField.Binary.Name, control.Package),
            new(ControlField.Architecture.Name, control.Architecture),
            new(ControlField.Version.Name, version),
            new(ControlField.Distribution.Name, distribution),
            new(ControlField.Urgency.Name, "medium"),
            new(ControlField.Maintainer.Name, control.Maintainer ?? FpmDefaults.Maintainer),
            new(ControlField.Description.Name, $"\n {control.Package} - {synopsis}"),
            new(ControlField.Changes.Name, $"\n {control.Package} ({version}) {distribution}; urgency=medium\n .\n   * Packaged by consul-pkg."),
            new(ControlField.ChecksumsSha1.Name, string.Create(CultureInfo.InvariantCulture, $"\n {sha1} {size} {file}")),
            new(ControlField.ChecksumsSha256.Name, string.Create(CultureInfo.InvariantCulture, $"\n {sha256} {size} {file}")),
            new(ControlField.Files.Name, string.Create(CultureInfo.InvariantCulture, $"\n {md5} {size} {control.Section ?? "-"} {control.Priority ?? "optional"} {file}")),
        ]);
    }

    /// <summary>Size, MD5, SHA-1 and SHA-256 of the file, read once.</summary>
    private static (long Size, string Md5, string Sha1, string Sha256) Digests(string path)
    {
        (long size, string[] hex) = FileHashes.Of(path, HashAlgorithmName.MD5, HashAlgorithmName.SHA1, HashAlgorithmName.SHA256);
        return (size, hex[0], hex[1], hex[2]);
    }
}
