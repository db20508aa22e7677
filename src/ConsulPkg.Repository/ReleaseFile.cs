using System.Globalization;
using System.Text;
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

    /// <summary>RFC 2822 in UTC, as apt parses it ("Sun, 29 Nov 2026 11:27:09 UTC").</summary>
    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public string Render()
    {
        var text = new StringBuilder();
        void Field(string name, string? value)
        {
            if (value is not null)
            {
                text.Append(name).Append(": ").Append(value).Append('\n');
            }
        }

        Field("Origin", Origin);
        Field("Label", Label);
        Field("Suite", Suite);
        Field("Codename", Codename);
        Field("Date", FormatDate(Date));
        Field("Valid-Until", FormatDate(ValidUntil));
        Field("Acquire-By-Hash", "yes");
        Field("No-Support-for-Architecture-all", AllPackagesInEachArchitecture ? "Packages" : null);
        Field("Architectures", string.Join(' ', Architectures));
        Field("Components", string.Join(' ', Components));
        AppendSums(text, "SHA256", d => d.Sha256);
        AppendSums(text, "SHA512", d => d.Sha512);
        return text.ToString();
    }

    private void AppendSums(StringBuilder text, string name, Func<FileDigests, string> digest)
    {
        text.Append(name).Append(":\n");
        foreach (ReleaseItem item in Items)
        {
            text.Append(CultureInfo.InvariantCulture, $" {digest(item.Digests)} {item.Digests.Size,16} {item.Path}\n");
        }
    }
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

        return Parse(File.ReadAllText(path), path);
    }

    public static PublishedRelease Parse(string text, string path)
    {
        List<Deb822Paragraph> paragraphs = Deb822Paragraph.ParseAll(text, path);
        if (paragraphs.Count != 1)
        {
            throw new PackageException($"{path}: expected one paragraph, found {paragraphs.Count}: is this a Release file?");
        }

        Deb822Paragraph release = paragraphs[0];
        string[] Words(string field) => (release[field] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new PublishedRelease(release["Origin"], release["Label"], release["Codename"], release["Valid-Until"],
            Words("Architectures"), Words("Components"), Sums(release["SHA256"], path), Sums(release["SHA512"], path));
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
