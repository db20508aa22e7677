using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ConsulPkg.Debian.Building;

/// <summary>
/// The files lintian requires of every binary package (Policy 12.5 and 12.7): a machine-readable
/// copyright file and a changelog, both under /usr/share/doc/&lt;package&gt;/.
/// </summary>
internal static class Documentation
{
    public static IEnumerable<PackageEntry> Generate(ControlFile control, DocumentationOptions options, DataLayout existing, DateTimeOffset timestamp)
    {
        string dir = $"/usr/share/doc/{control.Package}";
        string copyright = dir + "/copyright";
        if (!Exists(existing, copyright))
        {
            string text = options.CopyrightText ?? Copyright(control, timestamp);
            yield return PackageEntry.FromBytes(copyright, Encoding.UTF8.GetBytes(text));
        }

        // Policy 12.7: a package with a Debian revision ships changelog.Debian.gz, a native one
        // changelog.gz; an upstream changelog, when given, is changelog.gz and the package's own
        // moves to changelog.Debian.gz.
        string changelog = dir + (control.Version.Revision is null && options.UpstreamChangelog is null ? "/changelog.gz" : "/changelog.Debian.gz");
        if (!Exists(existing, changelog))
        {
            string text = options.ChangelogText ?? Changelog(control, timestamp, options.Distribution);
            yield return PackageEntry.FromBytes(changelog, GzipNoName(Encoding.UTF8.GetBytes(text)));
        }

        string upstream = dir + "/changelog.gz";
        if (options.UpstreamChangelog is { } upstreamText && !Exists(existing, upstream))
        {
            yield return PackageEntry.FromBytes(upstream, GzipNoName(upstreamText.Span));
        }
    }

    /// <summary>
    /// A DEP-5 copyright file from the control's License, Vendor, Maintainer and Homepage. The
    /// notice carries the year of the build's timestamp: a copyright notice names a year (lintian:
    /// copyright-without-copyright-notice), and the timestamp keeps the output reproducible.
    /// </summary>
    public static string Copyright(ControlFile control, DateTimeOffset timestamp)
    {
        var sb = new StringBuilder();
        sb.Append("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n");
        sb.Append("Upstream-Name: ").Append(control.Package).Append('\n');
        if (control.Homepage is not null)
        {
            sb.Append("Source: ").Append(control.Homepage).Append('\n');
        }

        sb.Append('\n');
        sb.Append("Files: *\n");
        sb.Append("Copyright: ")
            .Append(timestamp.UtcDateTime.Year.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(control.Vendor ?? control.Maintainer ?? "the upstream authors").Append('\n');
        sb.Append("License: ").Append(control.License ?? "unknown").Append('\n');

        // A license named only by its short name needs a stand-alone paragraph (DEP-5); point at
        // where the text lives rather than guessing it.
        sb.Append(" The full text of this license is distributed with the upstream software");
        sb.Append(control.Homepage is null ? ".\n" : ", see " + control.Homepage + ".\n");
        return sb.ToString();
    }

    /// <summary>One changelog entry in the format dpkg-parsechangelog reads, dated by the build's timestamp.</summary>
    public static string Changelog(ControlFile control, DateTimeOffset timestamp, string distribution = "unstable")
    {
        string maintainer = control.Maintainer ?? "Unknown <unknown@localhost>";
        string date = timestamp.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        return $"{control.Package} ({control.Version}) {distribution}; urgency=medium\n\n"
            + $"  * Packaged by consul-pkg.\n\n"
            + $" -- {maintainer}  {date}\n";
    }

    /// <summary>
    /// gzip -9n: best compression, no file name and a zero mtime in the header, so the bytes
    /// depend on the content alone (lintian: package-contains-timestamped-gzip).
    /// </summary>
    public static byte[] GzipNoName(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static bool Exists(DataLayout layout, string path) => layout.IsRegularFile(PackagePath.Parse(path));
}
