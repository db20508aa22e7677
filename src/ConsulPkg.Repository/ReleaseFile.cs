using System.Globalization;
using ConsulPkg.Debian;

namespace ConsulPkg.Repository;

/// <summary>One index file a Release lists: its path below dists/SUITE and its digests.</summary>
internal sealed record ReleaseItem(string Path, FileDigests Digests);

/// <summary>
/// The dists/SUITE/Release file: what a client trusts once the signature checks, with the
/// digests of every index. Written in the field order Debian's archive uses.
/// </summary>
internal sealed record ReleaseFile
{
    public string? Origin { get; init; }

    public string? Label { get; init; }

    public required string Suite { get; init; }

    public string? Codename { get; init; }

    public required DateTimeOffset Date { get; init; }

    public required DateTimeOffset ValidUntil { get; init; }

    public required IReadOnlyList<string> Architectures { get; init; }

    public required IReadOnlyList<string> Components { get; init; }

    public required IReadOnlyList<ReleaseItem> Items { get; init; }

    /// <summary>RFC 2822 in UTC, as apt parses it ("Sun, 29 Nov 2026 11:27:09 UTC").</summary>
    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The Release file's text, its fields in <see cref="ControlType.Release"/>'s order.</summary>
    public string Render()
    {
        KeyValuePair<string, string?>[] fields =
        [
            new(ControlField.Origin.Name, Origin),
            new(ControlField.Label.Name, Label),
            new(ControlField.Suite.Name, Suite),
            new(ControlField.Codename.Name, Codename),
            new(ControlField.Date.Name, FormatDate(Date)),
            new(ControlField.ValidUntil.Name, FormatDate(ValidUntil)),
            new(ControlField.AcquireByHash.Name, "yes"),
            new(ControlField.Architectures.Name, string.Join(' ', Architectures)),
            new(ControlField.Components.Name, string.Join(' ', Components)),
            new(ControlField.Sha256.Name, Sums(d => d.Sha256)),
            new(ControlField.Sha512.Name, Sums(d => d.Sha512)),
        ];
        return Deb822Writer.Render(ControlType.Release, fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));
    }

    /// <summary>One line per index: " DIGEST SIZE PATH", the size right-aligned in 16 columns as apt-ftparchive writes it.</summary>
    private string Sums(Func<FileDigests, string> digest) =>
        string.Concat(Items.Select(item => string.Create(CultureInfo.InvariantCulture, $"\n {digest(item.Digests)} {item.Digests.Size,16} {item.Path}")));
}

/// <summary>What a repository's current Release says, read back to carry it into the next one.</summary>
internal sealed record PublishedRelease(string? Origin, string? Label, string? Codename, IReadOnlyList<string> Components, IReadOnlyList<(string Path, string Sha256, long Size)> Sha256)
{
    public static PublishedRelease? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        List<Deb822Paragraph> paragraphs = Deb822Paragraph.ParseAll(File.ReadAllBytes(path), path);
        if (paragraphs.Count != 1)
        {
            throw new PackageException($"{path}: expected one paragraph, found {paragraphs.Count}: is this a Release file?");
        }

        Deb822Paragraph release = paragraphs[0];
        var sums = new List<(string, string, long)>();
        foreach (string line in (release["SHA256"] ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            {
                throw new PackageException($"{path}: malformed SHA256 line '{line.Trim()}'");
            }

            sums.Add((parts[2], parts[0], size));
        }

        string[] components = (release["Components"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new PublishedRelease(release["Origin"], release["Label"], release["Codename"], components, sums);
    }
}
