using System.Globalization;
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
    public static ControlFile Parse(byte[] bytes, string displayName)
    {
        ControlFields fields = ControlFields.Parse(bytes, displayName);
        string Required(string name) => fields[name] is { Length: > 0 } value
            ? value
            : throw new PackageException($"{displayName} has no {name} field: add '{name}: ...'");

        var standard = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Package", "Version", "Architecture", "Maintainer", "Description", "License", "Vendor", "Installed-Size",
            "Pre-Depends", "Depends", "Recommends", "Suggests", "Conflicts", "Breaks", "Provides", "Replaces",
            "Section", "Priority", "Homepage",
        };
        var control = new ControlFile
        {
            Package = Required("Package"),
            Version = DebianVersion.Parse(Required("Version")),
            Architecture = Required("Architecture"),
            Maintainer = Required("Maintainer"),
            Description = Description(Required("Description")),
            License = fields["License"],
            Vendor = fields["Vendor"],
            InstalledSize = InstalledSize(fields["Installed-Size"], displayName),
            PreDepends = Relations(fields["Pre-Depends"]),
            Depends = Relations(fields["Depends"]),
            Recommends = Relations(fields["Recommends"]),
            Suggests = Relations(fields["Suggests"]),
            Conflicts = Relations(fields["Conflicts"]),
            Breaks = Relations(fields["Breaks"]),
            Provides = Relations(fields["Provides"]),
            Replaces = Relations(fields["Replaces"]),
            Section = fields["Section"],
            Priority = fields["Priority"],
            Homepage = fields["Homepage"],
            ExtraFields = fields.Fields.Where(f => !standard.Contains(f.Key)).ToList(),
        };
        control.Validate();
        return control;
    }

    /// <summary>A field value's continuation lines (" text", " .") back to the description's own lines.</summary>
    private static string Description(string value) =>
        string.Join('\n', value.Split('\n').Select((line, i) => i == 0 ? line.Trim() : line.Trim() == "." ? "" : line[1..]));

    private static List<string> Relations(string? value) =>
        value is null ? [] : value.Split(',').Select(r => r.Replace('\n', ' ').Trim()).Where(r => r.Length > 0).ToList();

    private static long? InstalledSize(string? value, string displayName) =>
        value is null ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long size) ? size
        : throw new PackageException($"invalid Installed-Size '{value}' in {displayName}: give KiB as a whole number");
}
