using ConsulPkg.Debian;
using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>Our Packages stanzas against <c>apt-ftparchive packages</c> run on the same pool: same fields, same values, same sums.</summary>
public sealed class AptFtparchiveComparisonTests
{
    /// <summary>Digests apt-ftparchive adds that our index leaves out (apt needs one of MD5sum/SHA256; SHA1 is obsolete).</summary>
    private static readonly string[] ExtraDigests = ["SHA1", "SHA512"];

    [Test]
    public void StanzasMatchAptFtparchiveFieldForField()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        Publish(repo, [
            TestDebs.Build(work.Path, "tool", "1.0-1"),
            TestDebs.Build(work.Path, "tool-data", "1:1.0-1", "all", source: "tool (1.0-1)"),
            TestDebs.Build(work.Path, "libthing1", "3.1-2", "arm64", source: "libthing"),
            DpkgDebBuilt(work),
        ]);

        ProcessResult reference = ProcessRunner.Run("apt-ftparchive", ["packages", "pool"], workingDirectory: repo);
        Assert.That(reference.ExitCode, Is.Zero, reference.StdErr);
        Dictionary<string, Deb822Paragraph> theirs = ByIdentity(reference.StdOutBytes);
        Dictionary<string, Deb822Paragraph> ours = ByIdentity(
            [.. Directory.GetFiles(Path.Combine(repo, "dists/stable/main"), "Packages", SearchOption.AllDirectories).SelectMany(File.ReadAllBytes)]);

        Assert.That(ours.Keys, Is.EquivalentTo(theirs.Keys));
        Assert.Multiple(() =>
        {
            foreach ((string identity, Deb822Paragraph reference) in theirs)
            {
                Deb822Paragraph our = ours[identity];
                string[] expectedNames = FieldNames(reference).Except(ExtraDigests).Order(StringComparer.Ordinal).ToArray();
                Assert.That(FieldNames(our).Order(StringComparer.Ordinal), Is.EqualTo(expectedNames), identity);
                foreach (string name in expectedNames)
                {
                    Assert.That(our[name], Is.EqualTo(reference[name]), $"{identity}: {name}");
                }
            }
        });
    }

    /// <summary>A package made by dpkg-deb itself, with fields our writer would not produce in this order.</summary>
    private static string DpkgDebBuilt(TempDirectory work)
    {
        string tree = work.Combine("tree");
        work.WriteFile("tree/DEBIAN/control",
            "Package: odd\nVersion: 0.1\nArchitecture: amd64\nMaintainer: Someone <someone@example.invalid>\nPriority: extra\n"
            + "Multi-Arch: foreign\nPre-Depends: dpkg (>= 1.19)\nX-Custom-Thing: kept as is\nDescription: an odd one\n with a second line\n");
        work.WriteFile("tree/usr/share/odd/file", "odd\n");
        string deb = work.Combine("odd_0.1_amd64.deb");
        ProcessResult built = ProcessRunner.Run("dpkg-deb", ["--root-owner-group", "-b", tree, deb]);
        Assert.That(built.ExitCode, Is.Zero, built.StdErr);
        return deb;
    }

    private static Dictionary<string, Deb822Paragraph> ByIdentity(byte[] content) =>
        Deb822Paragraph.ParseAll(content, "Packages")
            .GroupBy(p => $"{p["Package"]} {p["Version"]} {p["Architecture"]}")
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static IEnumerable<string> FieldNames(Deb822Paragraph paragraph) => paragraph.Fields.Select(f => f.Key);
}
