using System.Globalization;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Consul.Tests.Keys;

/// <summary>src/ConsulPkg.Consul/Keys/README.md says of every shipped key what the key files say, as the verification policy reads them.</summary>
public sealed class KeysDocumentationTests
{
    private static string KeysDirectory => Path.Combine(RepositoryRoot.Find(), "src", "ConsulPkg.Consul", "Keys");

    [Test]
    public void EveryKeyFileHasATableThatMatchesIt()
    {
        Dictionary<string, List<string[]>> documented = ReadTables(File.ReadAllLines(Path.Combine(KeysDirectory, "README.md")));
        string[] files = [.. Directory.GetFiles(KeysDirectory, "*.asc").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.That(documented.Keys.Order(StringComparer.Ordinal), Is.EqualTo(files), "one section per key file");
        foreach (string file in files)
        {
            IReadOnlyList<KeyDescription> keys = OpenPgpKeyring.Load(Path.Combine(KeysDirectory, file), "key file").Describe();
            IEnumerable<string> actual = keys.Select(k => string.Join(" | ",
                k.IsPrimary ? "primary" : "subkey",
                string.Join(' ', k.Fingerprint.Chunk(4).Select(c => new string(c))),
                string.Join(", ", k.Capabilities),
                Day(k.Created),
                k.Expires is { } e ? Day(e) : "never"));
            IEnumerable<string> expected = documented[file].Select(row => string.Join(" | ", row[..5]));
            Assert.That(actual, Is.EqualTo(expected), file);
            Assert.That(keys.Select(k => (k.Bound, k.Revoked)), Is.All.EqualTo((true, (DateTimeOffset?)null)), $"{file}: every key bound by valid signatures, none revoked");
        }
    }

    [Test]
    public void TheShippedKeySignsTodayWithItsPrimaryAndCurrentSubkeyOnly()
    {
        IReadOnlyList<KeyDescription> keys = ReleaseKeys.Load([]).Describe();
        var now = DateTimeOffset.UtcNow;
        IEnumerable<string> signers = keys.Where(k => k.Capabilities.Contains("sign") && (k.Expires is null || k.Expires > now)).Select(k => k.Fingerprint[^16..]);
        Assert.That(signers, Is.EqualTo(new[] { "34365D9472D7468F", "C820C6D5CD27AB87" }));
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The rows of the table under each "## FILE" heading, cells trimmed, header and rule left out.</summary>
    private static Dictionary<string, List<string[]>> ReadTables(string[] lines)
    {
        var tables = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        List<string[]>? current = null;
        foreach (string line in lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = tables[line[3..].Trim()] = [];
            }
            else if (current is not null && line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| key |", StringComparison.Ordinal))
            {
                current.Add([.. line.Trim('|').Split('|').Select(c => c.Trim())]);
            }
        }

        return tables;
    }
}
