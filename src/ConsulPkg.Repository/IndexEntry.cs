using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Repository;

/// <summary>
/// One stanza of a Packages index: a binary package in the pool, identified by name, version and
/// architecture, with the digest that decides whether a second upload of it is the same file.
/// </summary>
/// <remarks>
/// With <see cref="PublishedRelease"/>, the repository's one seam to the deb822 reader
/// (<see cref="Deb822Paragraph"/>) and to the Packages field order: nothing else parses or
/// writes a stanza.
/// </remarks>
/// <param name="Stanza">The stanza exactly as the index holds it, UTF-8, each line ending in "\n", no blank line: kept as bytes, half a string's size.</param>
internal sealed record IndexEntry(string Package, string Version, string Architecture, string Filename, string Sha256, long Size, string? Section, byte[] Stanza)
{
    private DebianVersion? _parsedVersion;

    /// <summary>
    /// The fields dpkg-scanpackages writes first, in its order (Dpkg::Control::FieldsCore,
    /// CTRL_INDEX_PKG), spelled as it spells them; any other control field follows in file order.
    /// </summary>
    private static readonly string[] FieldOrder =
    [
        "Package", "Package-Type", "Source", "Version", "Kernel-Version", "Built-For-Profiles", "Auto-Built-Package",
        "Architecture", "Subarchitecture", "Installer-Menu-Item", "Build-Essential", "Essential", "Protected", "Origin",
        "Bugs", "Maintainer", "Installed-Size", "Pre-Depends", "Depends", "Recommends", "Suggests", "Enhances",
        "Conflicts", "Breaks", "Replaces", "Provides", "Built-Using", "Static-Built-Using", "Filename", "Size",
        "MD5sum", "SHA1", "SHA256", "Section", "Priority", "Multi-Arch", "Homepage", "Description", "Tag", "Task",
    ];

    /// <summary>Fields an index adds itself; a control file that carries them is not believed.</summary>
    private static readonly string[] IndexFields = ["Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512"];

    /// <summary>(name, version, architecture): what apt treats as one package.</summary>
    public string Identity => $"{Package} {Version} {Architecture}";

    /// <summary>The version, for dpkg's order (<see cref="DebianVersion.Compare"/>).</summary>
    public DebianVersion ParsedVersion => _parsedVersion ??= DebianVersion.Parse(Version);

    /// <summary>
    /// Every stanza of a Packages index; errors name <paramref name="source"/>. Read one stanza at
    /// a time from the bytes, so a large index never exists as one string or one list of paragraphs.
    /// </summary>
    public static IEnumerable<IndexEntry> ReadIndex(byte[] content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        int start = 0;
        int line = 0;
        while (line < content.Length)
        {
            int end = Array.IndexOf(content, (byte)'\n', line);
            int next = end < 0 ? content.Length : end + 1;
            if (IsBlank(content.AsSpan(line, (end < 0 ? content.Length : end) - line)))
            {
                if (line > start)
                {
                    yield return FromStanza(content[start..line], source);
                }

                start = next;
            }

            line = next;
        }

        if (content.Length > start)
        {
            byte[] last = content[start..];
            yield return FromStanza(last[^1] == (byte)'\n' ? last : [.. last, (byte)'\n'], source);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.TrimStart(" \t"u8).IsEmpty;

    private static IndexEntry FromStanza(byte[] stanza, string source)
    {
        List<Deb822Paragraph> paragraphs = Deb822Paragraph.ParseAll(Encoding.UTF8.GetString(stanza), source);
        return FromParagraph(paragraphs[0], source, stanza);
    }

    /// <summary>Reads an existing index paragraph; errors name <paramref name="source"/>.</summary>
    public static IndexEntry FromParagraph(Deb822Paragraph paragraph, string source, byte[] stanza)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        string Required(string name) => paragraph[name]
            ?? throw new PackageException($"{source}: a stanza has no {name} field:\n{paragraph.Text}");
        string sizeText = Required("Size");
        if (!long.TryParse(sizeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long size))
        {
            throw new PackageException($"{source}: the stanza of {paragraph["Package"]} has a malformed Size '{sizeText}'");
        }

        return new IndexEntry(Required("Package"), Required("Version"), Required("Architecture"), Required("Filename"), Required("SHA256"), size, paragraph["Section"], stanza);
    }

    /// <summary>
    /// The stanza for a package read with our own .deb reader, as dpkg-scanpackages writes it for
    /// <paramref name="filename"/> (the path below the repository root).
    /// </summary>
    public static IndexEntry FromControl(ControlFields control, string filename, FileDigests digests)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(digests);
        var values = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> field in control.Fields)
        {
            if (!Array.Exists(IndexFields, f => f.Equals(field.Key, StringComparison.OrdinalIgnoreCase)))
            {
                string known = Array.Find(FieldOrder, f => f.Equals(field.Key, StringComparison.OrdinalIgnoreCase)) ?? field.Key;
                values.Add(new(known, field.Value));
            }
        }

        values.Add(new("Filename", filename));
        values.Add(new("Size", digests.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        values.Add(new("MD5sum", digests.Md5));
        values.Add(new("SHA256", digests.Sha256));

        var text = new StringBuilder();
        foreach (string name in FieldOrder)
        {
            int i = values.FindIndex(v => v.Key == name);
            if (i >= 0)
            {
                AppendField(text, values[i]);
                values.RemoveAt(i);
            }
        }

        foreach (KeyValuePair<string, string> rest in values)
        {
            AppendField(text, rest);
        }

        return new IndexEntry(control["Package"]!, control["Version"]!, control["Architecture"]!, filename, digests.Sha256, digests.Size, control["Section"], Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static void AppendField(StringBuilder text, KeyValuePair<string, string> field)
    {
        // A value whose first line is empty (only continuation lines) gets no space after the colon.
        text.Append(field.Key).Append(':');
        if (!field.Value.StartsWith('\n'))
        {
            text.Append(' ');
        }

        text.Append(field.Value).Append('\n');
    }
}
