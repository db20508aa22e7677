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
        var text = new StringBuilder()
            .Append("Format: 1.8\n")
            .Append("Date: ").Append(date).Append('\n')
            .Append("Source: ").Append(control.Package).Append('\n')
            .Append("Binary: ").Append(control.Package).Append('\n')
            .Append("Architecture: ").Append(control.Architecture).Append('\n')
            .Append("Version: ").Append(control.Version).Append('\n')
            .Append("Distribution: ").Append(distribution).Append('\n')
            .Append("Urgency: medium\n")
            .Append("Maintainer: ").Append(control.Maintainer ?? FpmDefaults.Maintainer).Append('\n')
            .Append("Description:\n")
            .Append(' ').Append(control.Package).Append(" - ").Append(synopsis).Append('\n')
            .Append("Changes:\n")
            .Append(' ').Append(control.Package).Append(" (").Append(control.Version).Append(") ").Append(distribution).Append("; urgency=medium\n")
            .Append(" .\n")
            .Append("   * Packaged by consul-pkg.\n")
            .Append("Checksums-Sha1:\n")
            .Append(' ').Append(sha1).Append(' ').Append(size).Append(' ').Append(file).Append('\n')
            .Append("Checksums-Sha256:\n")
            .Append(' ').Append(sha256).Append(' ').Append(size).Append(' ').Append(file).Append('\n')
            .Append("Files:\n")
            .Append(' ').Append(md5).Append(' ').Append(size).Append(' ').Append(control.Section ?? "-").Append(' ')
            .Append(control.Priority ?? "optional").Append(' ').Append(file).Append('\n');
        return text.ToString();
    }

    /// <summary>Size, MD5, SHA-1 and SHA-256 of the file, read once.</summary>
    private static (long Size, string Md5, string Sha1, string Sha256) Digests(string path)
    {
        (long size, string[] hex) = FileHashes.Of(path, HashAlgorithmName.MD5, HashAlgorithmName.SHA1, HashAlgorithmName.SHA256);
        return (size, hex[0], hex[1], hex[2]);
    }
}
