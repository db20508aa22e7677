using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Building;

/// <summary>
/// Our writer's packages read back by our reader: the listing and info must equal what the real
/// dpkg-deb prints for the same file, in more than one time zone, from a file and from an
/// unseekable stream.
/// </summary>
[TestFixture]
public sealed class RoundTripTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (CompressionFormat c in new[] { CompressionFormat.Gzip, CompressionFormat.Xz, CompressionFormat.Zstd, CompressionFormat.None })
        {
            foreach (string tz in new[] { "UTC", "America/St_Johns" })
            {
                yield return new TestCaseData(c, tz);
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void ContentsAndInfoEqualDpkgDeb(CompressionFormat compression, string timeZone)
    {
        using var temp = new TempDirectory();
        string src = Directory.CreateDirectory(temp.Combine("src")).FullName;
        string deb = temp.Combine("p.deb");
        DebPackageWriter.WriteFile(TestTrees.Varied(src) with { Compression = CompressionSettings.Create(compression) }, deb);
        var env = new Dictionary<string, string?> { ["TZ"] = timeZone, ["LC_ALL"] = "C.UTF-8" };
        var listing = new ListingOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(timeZone), Utf8Names = true };

        byte[] ours;
        using (var output = new MemoryStream())
        {
            using (DebPackageReader reader = DebPackageReader.Open(new ForwardOnlyStream(File.OpenRead(deb)), deb))
            {
                reader.WriteContents(output, listing);
            }

            ours = output.ToArray();
        }

        byte[] info;
        using (var output = new MemoryStream())
        {
            using (DebPackageReader reader = DebPackageReader.Open(deb))
            {
                reader.WriteInfo(output);
            }

            info = output.ToArray();
        }

        Assert.Multiple(() =>
        {
            Assert.That(System.Text.Encoding.UTF8.GetString(ours), Is.EqualTo(ProcessRunner.Run("dpkg-deb", ["-c", deb], environment: env).EnsureSuccess().StdOut));
            Assert.That(System.Text.Encoding.UTF8.GetString(info), Is.EqualTo(ProcessRunner.Run("dpkg-deb", ["-I", deb], environment: env).EnsureSuccess().StdOut));
        });
    }

    [Test]
    public void ExtractingOurPackageGivesTheSameTreeAsDpkgDeb()
    {
        using var temp = new TempDirectory();
        string src = Directory.CreateDirectory(temp.Combine("src")).FullName;
        string deb = temp.Combine("p.deb");
        DebPackageWriter.WriteFile(TestTrees.Varied(src), deb);
        string ours = temp.Combine("ours");
        string theirs = temp.Combine("theirs");
        using (DebPackageReader reader = DebPackageReader.Open(deb))
        {
            reader.ExtractTo(ours);
        }

        ProcessRunner.Run("dpkg-deb", ["-x", deb, theirs]).EnsureSuccess();
        static string Tree(string root) => ProcessRunner.Run("find", [root, "-printf", "%P %y %m %s %l\n"]).EnsureSuccess().StdOut.Split('\n').Order(StringComparer.Ordinal).Aggregate("", (a, l) => a + l + "\n");
        Assert.That(Tree(ours), Is.EqualTo(Tree(theirs)));
        Assert.That(ProcessRunner.Run("diff", ["-r", "--no-dereference", ours, theirs]).EnsureSuccess().ExitCode, Is.Zero);
    }
}
