using ConsulPkg.Debian;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Repository;

/// <summary>
/// One stanza of a Packages index: a binary package in the pool, identified by name, version and
/// architecture, with the digest that decides whether a second upload of it is the same file.
/// </summary>
internal sealed record IndexEntry(string Package, string Version, string Architecture, string Filename, string Sha256, string Text)
{
    /// <summary>Fields an index adds itself; a control file that carries them is not believed.</summary>
    private static readonly ControlField[] IndexFields =
        [ControlField.Filename, ControlField.Size, ControlField.Md5Sum, ControlField.Sha1, ControlField.Sha256, ControlField.Sha512];

    /// <summary>(name, version, architecture): what apt treats as one package.</summary>
    public string Identity => $"{Package} {Version} {Architecture}";

    /// <summary>Reads an existing index paragraph; errors name <paramref name="source"/>.</summary>
    public static IndexEntry FromParagraph(Deb822Paragraph paragraph, string source)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        string Required(string name) => paragraph[name]
            ?? throw new PackageException($"{source}: a stanza has no {name} field:\n{paragraph.Text}");
        return new IndexEntry(Required("Package"), Required("Version"), Required("Architecture"), Required("Filename"), Required("SHA256"), paragraph.Text);
    }

    /// <summary>
    /// The stanza for a package read with our own .deb reader, as dpkg-scanpackages writes it for
    /// <paramref name="filename"/> (the path below the repository root): its fields in
    /// <see cref="ControlType.PackagesIndex"/>'s order, any other control field after them in file order.
    /// </summary>
    public static IndexEntry FromControl(ControlFields control, string filename, FileDigests digests)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(digests);
        IEnumerable<KeyValuePair<string, string>> values =
        [
            .. control.Fields.Where(field => !Array.Exists(IndexFields, f => f.Name.Equals(field.Key, StringComparison.OrdinalIgnoreCase))),
            new(ControlField.Filename.Name, filename),
            new(ControlField.Size.Name, digests.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ControlField.Md5Sum.Name, digests.Md5),
            new(ControlField.Sha256.Name, digests.Sha256),
        ];

        return new IndexEntry(control["Package"]!, control["Version"]!, control["Architecture"]!, filename, digests.Sha256,
            Deb822Writer.Render(ControlType.PackagesIndex, values));
    }
}
