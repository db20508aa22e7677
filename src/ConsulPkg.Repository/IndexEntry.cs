using System.Globalization;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Repository;

/// <summary>
/// One stanza of a Packages index: a binary package in the pool, identified by name, version and
/// architecture, with the digest that decides whether a second upload of it is the same file.
/// </summary>
/// <remarks>
/// Stanzas are read with the one deb822 reader (<see cref="Deb822Paragraph"/>) and written with
/// the one writer in <see cref="ControlType.PackagesIndex"/>'s order; this type only picks out
/// the fields the repository decides by and keeps the stanza's bytes.
/// </remarks>
/// <param name="Stanza">
/// The stanza exactly as the index holds it, UTF-8, each line ending in "\n", no blank line: a
/// slice of the index it was read from (one buffer per index, not one array per stanza).
/// </param>
internal sealed record IndexEntry(string Package, string Version, string Architecture, string Filename, string Sha256, long Size, string? Section, ReadOnlyMemory<byte> Stanza)
{
    /// <summary>Fields an index adds itself; a control file that carries them is not believed.</summary>
    private static readonly ControlField[] IndexFields =
        [ControlField.Filename, ControlField.Size, ControlField.Md5Sum, ControlField.Sha1, ControlField.Sha256, ControlField.Sha512];

    private DebianVersion? _parsedVersion;

    /// <summary>(name, version, architecture): what apt treats as one package.</summary>
    public string Identity { get; } = $"{Package} {Version} {Architecture}";

    /// <summary>The version, for dpkg's order (<see cref="DebianVersion.Compare"/>).</summary>
    public DebianVersion ParsedVersion => _parsedVersion ??= DebianVersion.Parse(Version);

    /// <summary>Every stanza of a Packages index, read one at a time; errors name <paramref name="source"/>.</summary>
    public static IEnumerable<IndexEntry> ReadIndex(byte[] content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        foreach (Deb822Paragraph paragraph in Deb822Paragraph.Read(content, source))
        {
            ReadOnlyMemory<byte> stanza = paragraph.Bytes;
            if (stanza.Span[^1] != (byte)'\n')
            {
                stanza = (byte[])[.. stanza.Span, (byte)'\n']; // the index's last line had no line ending
            }

            yield return FromParagraph(paragraph, source, stanza);
        }
    }

    private static IndexEntry FromParagraph(Deb822Paragraph paragraph, string source, ReadOnlyMemory<byte> stanza)
    {
        string Required(ControlField field) => paragraph[field.Name]
            ?? throw new PackageException($"{source}: line {paragraph.LineNumber}: a stanza has no {field.Name} field");
        string sizeText = Required(ControlField.Size);
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
        {
            throw new PackageException($"{source}: line {paragraph.LineNumber}: the stanza of {paragraph[ControlField.Package.Name]} has a malformed Size '{MessageText.OneLine(sizeText)}'");
        }

        return new IndexEntry(Required(ControlField.Package), Required(ControlField.Version), Required(ControlField.Architecture),
            Required(ControlField.Filename), Required(ControlField.Sha256), size, paragraph[ControlField.Section.Name], stanza);
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
            new(ControlField.Size.Name, digests.Size.ToString(CultureInfo.InvariantCulture)),
            new(ControlField.Md5Sum.Name, digests.Md5),
            new(ControlField.Sha256.Name, digests.Sha256),
        ];

        return new IndexEntry(control[ControlField.Package.Name]!, control[ControlField.Version.Name]!, control[ControlField.Architecture.Name]!,
            filename, digests.Sha256, digests.Size, control[ControlField.Section.Name], Encoding.UTF8.GetBytes(Deb822Writer.Render(ControlType.PackagesIndex, values)));
    }
}
