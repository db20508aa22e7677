using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Tests.Building;

/// <summary>
/// The directories base-files creates and no package owns (/usr/local/bin, /opt, ...): the data
/// never lists them, so purging a package leaves them, where purging dpkg-deb's package of the
/// same tree removes them. Judged by the real dpkg-deb and dpkg.
/// </summary>
[TestFixture]
public sealed class SiteDirectoriesTests
{
    private static readonly string[] Files = ["usr/local/bin/tool", "opt/app/data", "usr/bin/other"];

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void TheDataIsDpkgDebsLessThoseDirectoriesWhetherGivenOrImplied()
    {
        string theirs = DpkgDebPackage();
        string ours = OurPackage(
            PackageEntry.Directory("/usr/local/bin"),
            PackageEntry.Directory("/opt", 0b111_000_000) with { Owner = "nobody" });

        string[] expected = Listing(theirs).Where(l => !l.EndsWith(" ./opt/", StringComparison.Ordinal)
            && !l.EndsWith(" ./usr/local/", StringComparison.Ordinal) && !l.EndsWith(" ./usr/local/bin/", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Listing(ours), Is.EqualTo(expected));
            Assert.That(Listing(theirs), Has.Some.EndsWith(" ./usr/local/bin/").And.Some.EndsWith(" ./opt/"), "dpkg-deb lists every directory of the tree");
            Assert.That(Listing(ours), Has.Some.EndsWith(" ./opt/app/").And.Some.EndsWith(" ./usr/"), "their subdirectories and other parents stay");
        });
    }

    [Test]
    public void PurgeLeavesThemWhereItRemovesThemForDpkgDebsPackage()
    {
        string theirs = DpkgDebPackage();
        string ours = OurPackage();

        string rootTheirs = InstalledAndPurged(theirs, "theirs");
        string rootOurs = InstalledAndPurged(ours, "ours");
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(Path.Combine(rootTheirs, "usr/local/bin")), Is.False, "the defect, with dpkg-deb's package");
            Assert.That(Directory.Exists(Path.Combine(rootTheirs, "opt")), Is.False);
            Assert.That(Directory.Exists(Path.Combine(rootOurs, "usr/local/bin")), Is.True);
            Assert.That(Directory.Exists(Path.Combine(rootOurs, "opt")), Is.True);
            Assert.That(Directory.Exists(Path.Combine(rootOurs, "opt/app")), Is.False, "what the package created goes");
        });
    }

    [TestCase("/usr/local", true)]
    [TestCase("/usr/local/bin", true)]
    [TestCase("/opt", true)]
    [TestCase("/srv", true)]
    [TestCase("/usr/local/bin/tool", false)]
    [TestCase("/opt/app", false)]
    [TestCase("/usr", false)]
    public void TheTableIsBaseFilesPostinst(string path, bool listed) =>
        Assert.That(SiteDirectories.Contains(PackagePath.Parse(path)), Is.EqualTo(listed));

    private string DpkgDebPackage()
    {
        string tree = _temp.Combine("tree");
        _temp.WriteFile("tree/DEBIAN/control", "Package: sample\nVersion: 1.0\nArchitecture: amd64\nMaintainer: A <a@example.org>\nDescription: d\n");
        foreach (string file in Files)
        {
            _temp.WriteFile("tree/" + file, file + "\n", (UnixFileMode)0b110_100_100);
        }

        foreach (string dir in Directory.EnumerateDirectories(tree, "*", SearchOption.AllDirectories).Append(tree))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }

        string deb = _temp.Combine("theirs.deb");
        ProcessRunner.Run("dpkg-deb", ["--root-owner-group", "-Znone", "-b", tree, deb],
            environment: new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestTrees.Epoch.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) }).EnsureSuccess();
        return deb;
    }

    private string OurPackage(params PackageEntry[] extra)
    {
        string deb = _temp.Combine("ours.deb");
        DebPackageWriter.WriteFile(new DebPackageSpec
        {
            Control = TestTrees.Control(),
            Timestamp = TestTrees.Epoch,
            Compression = CompressionSettings.Create(CompressionFormat.None),
            Entries = [.. Files.Select(f => PackageEntry.FromBytes("/" + f, System.Text.Encoding.UTF8.GetBytes(f + "\n"))), .. extra],
        }, deb, overwrite: true);
        return deb;
    }

    private static string[] Listing(string deb) =>
        ProcessRunner.RunUtc("dpkg-deb", "-c", deb).EnsureSuccess().StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var f ? $"{f[0]} {f[1]} {f[^1]}" : l)
            .ToArray();

    /// <summary>A scratch dpkg database with the directories as base-files leaves them; the package installed, then purged.</summary>
    private string InstalledAndPurged(string deb, string name)
    {
        string root = _temp.Combine(name);
        foreach (string dir in new[] { "var/lib/dpkg/info", "var/lib/dpkg/updates", "usr/local/bin", "opt" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), "");
        string[] dpkg = ["--root=" + root, "--force-not-root", "--force-script-chrootless", "--log=/dev/null"];
        ProcessRunner.RunUtc("dpkg", [.. dpkg, "--install", deb]).EnsureSuccess();
        Assert.That(File.Exists(Path.Combine(root, "usr/local/bin/tool")), Is.True);
        ProcessRunner.RunUtc("dpkg", [.. dpkg, "--purge", "sample"]).EnsureSuccess();
        return root;
    }
}
