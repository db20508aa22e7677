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

    /// <summary>
    /// Architecture: all packages are also in every binary-ARCH index, so apt need not fetch
    /// binary-all/Packages (Debian's own archive says the same); Contents-all it still fetches.
    /// </summary>
    public bool AllPackagesInEachArchitecture { get; init; }

    public required IReadOnlyList<string> Components { get; init; }

    public required IReadOnlyList<ReleaseItem> Items { get; init; }

    /// <summary>RFC 2822 in UTC, as apt parses it ("Sun, 29 Nov 2026 11:27:09 UTC"): the Date and Valid-Until fields.</summary>
    internal const string DateFormat = "ddd, dd MMM yyyy HH:mm:ss 'UTC'";

    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

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
            new(ControlField.NoSupportForArchitectureAll.Name, AllPackagesInEachArchitecture ? "Packages" : null),
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

/// <summary>What a repository's current Release says, read back to carry it into the next one and to check the files against it.</summary>
internal sealed record PublishedRelease(
    string? Origin,
    string? Label,
    string? Codename,
    string? ValidUntil,
    IReadOnlyList<string> Architectures,
    IReadOnlyList<string> Components,
    IReadOnlyList<ReleaseSum> Sha256,
    IReadOnlyList<ReleaseSum> Sha512)
{
    public static PublishedRelease? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    public static PublishedRelease Parse(byte[] content, string path)
    {
        List<Deb822Paragraph> paragraphs = Deb822Paragraph.ParseAll(content, path);

        if (paragraphs.Count != 1)
        {
            throw new PackageException($"{path}: expected one paragraph, found {paragraphs.Count}: is this a Release file?");
        }

        Deb822Paragraph release = paragraphs[0];
        string[] Words(ControlField field) => (release[field.Name] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new PublishedRelease(release[ControlField.Origin.Name], release[ControlField.Label.Name], release[ControlField.Codename.Name], release[ControlField.ValidUntil.Name],
            Words(ControlField.Architectures), Words(ControlField.Components), Sums(release[ControlField.Sha256.Name], path), Sums(release[ControlField.Sha512.Name], path));
    }

    /// <summary>The SHA256 and size of <paramref name="relative"/> (a path below dists/SUITE), or null when not listed.</summary>
    public ReleaseSum? Find(string relative) => Sha256.FirstOrDefault(s => s.Path == relative);

    private static List<ReleaseSum> Sums(string? field, string path)
    {
        var sums = new List<ReleaseSum>();
        foreach (string line in (field ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            {
                throw new PackageException($"{path}: malformed checksum line '{line.Trim()}'");
            }

            sums.Add(new ReleaseSum(parts[2], parts[0], size));
        }

        return sums;
    }
}

/// <summary>One line of a Release checksum field: an index below dists/SUITE, its digest (lower-case hex) and size.</summary>
internal sealed record ReleaseSum(string Path, string Digest, long Size);
