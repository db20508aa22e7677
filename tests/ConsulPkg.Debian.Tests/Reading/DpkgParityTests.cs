using System.Text;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary>
/// Inputs a mutation fuzzer found where the reader crashed, lost data or disagreed with dpkg-deb.
/// Each case runs the real dpkg-deb on the same package: where it succeeds, ours must give the
/// same listing or tree; where it fails, ours must fail with one line.
/// </summary>
[TestFixture]
public sealed class DpkgParityTests
{
    private static readonly RawTarBuilder Root = new RawTarBuilder().Add("./", '5', 0x1ed);

    [TestCase("99999999999999")]
    [TestCase("-99999999999999")]
    public void ExtractsAPaxMtimeOutsideDotNetsDatesClampedAsDpkgDeb(string mtime)
    {
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed).AddPax(("mtime", mtime)).Add("./f", data: "a"u8.ToArray()).Build();
        AssertSameTree(data, "./f");
        AssertSameListing(data);
    }

    [Test]
    public void ExtractsABase256MtimeNearTheEndOfTimeClampedAndListsItAsARawNumber()
    {
        // 2^63 - 1: localtime(3) cannot break it down, so GNU tar prints the number.
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed)
            .Add("./f", data: "a"u8.ToArray(), tamper: h => { h.AsSpan(136, 12).Clear(); h[136] = 0x80; h[140] = 0x7f; h.AsSpan(141, 7).Fill(0xff); })
            .Build();
        AssertSameTree(data, "./f");
        AssertSameListing(data);
    }

    [Test]
    public void CutsAPaxPathAndLinkpathAtANulAsGnuTar()
    {
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed)
            .AddPax(("path", "./a\0b")).Add("./f", data: "a"u8.ToArray())
            .AddPax(("linkpath", "a\0c")).Add("./l", '2', 0x1ff, link: "x")
            .Build();
        AssertSameListing(data);
        AssertSameTree(data, "./a");
    }

    [Test]
    public void RefusesASymlinkWithAnEmptyTargetAsDpkgDebDoes()
    {
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./l", '2', 0x1ff).Build();
        AssertBothRefuseToExtract(data, "symlink with an empty target");
    }

    [Test]
    public void ExtractsNamesThatAreNotUtf8AsTheBytesTheyAre()
    {
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed)
            .Add(Latin1("./caf\xe9"), data: "1"u8.ToArray()).Add(Latin1("./caf\xe8"), data: "2"u8.ToArray())
            .Add(Latin1("./d\xff/"), '5', 0x1ed).Add(Latin1("./d\xff/x"), data: "3"u8.ToArray())
            .Add(Latin1("./l\xfe"), '2', 0x1ff, tamper: h => Latin1("caf\xe9").CopyTo(h, 157))
            .Build();
        string tree = AssertSameTree(data, "./caf\\351");
        Assert.That(tree, Does.Contain("./caf\\350 ").And.Contain("./d\\377/x ").And.Contain("./l\\376 1 l 777 4 ").And.EndsWith("-> caf\\351"));
    }

    [Test]
    public void ListsAndSkipsTheDataOfAFifoASymlinkAndADeviceThatDeclareASize()
    {
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed)
            .Add("./fifo", '6', data: new byte[600])
            .Add("./sl", '2', 0x1ff, link: "after", data: "xxxxx"u8.ToArray())
            .Add("./chr", '3', data: "yyy"u8.ToArray())
            .Add("./after", data: "hi"u8.ToArray())
            .Build();
        AssertSameListing(data);
    }

    [TestCase('6', "FIFO declaring 600 bytes")]
    [TestCase('2', "symlink declaring 600 bytes")]
    public void RefusesToExtractAFifoOrSymlinkCarryingDataAsDpkgDeb(char type, string reason)
    {
        // Not zeros: GNU tar would take a zero block for the end of the archive and stop, silently.
        byte[] payload = Enumerable.Repeat((byte)'x', 600).ToArray();
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./x", type, link: type == '2' ? "after" : "", data: payload).Add("./after", data: "hi"u8.ToArray()).Build();
        AssertBothRefuseToExtract(data, reason);
    }

    [Test]
    public void StripsALeadingSlashAndDotDotFromHardLinkTargetsAsGnuTar()
    {
        byte[] data = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./f", data: "a"u8.ToArray())
            .Add("./h1", '1', link: "/f").Add("./h2", '1', link: "../f").Add("./h3", '1', link: "x/../f").Add("./h4", '1', link: "//../../f")
            .Build();
        AssertSameListing(data);
        string tree = AssertSameTree(data, "./h3");
        Assert.That(tree, Does.Contain("./h1 5 "), "five names, one inode");
    }

    [Test]
    public void ListsVolumeLabelsContinuationsAndSparseFilesAsGnuTarAndExtractsWhatDpkgDebExtracts()
    {
        byte[] volume = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./vol", 'V').Add("./f", data: "a"u8.ToArray())
            .Add("./unknown", 'Z', data: "abc"u8.ToArray()).Add("./names", 'N', data: "n"u8.ToArray()).Build();
        AssertSameListing(volume);
        AssertSameTree(volume, "./unknown");

        byte[] continued = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./multi", 'M', data: "abc"u8.ToArray(), tamper: h => RawTarBuilder.Octal(h, 369, 12, 4096)).Build();
        AssertSameListing(continued);
        AssertBothRefuseToExtract(continued, "another tape volume");

        byte[] sparse = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./sparse", 'S', data: "abc"u8.ToArray()).Build();
        AssertSameListing(sparse);
    }

    [Test]
    public void InfoFieldPrintsTheBytesOfAFieldAsDpkgDeb()
    {
        byte[] control = RawAr.Gzip(new RawTarBuilder().Add("./", '5', 0x1ed)
            .Add("./control", data: Latin1("Package: raw\nVersion: 1.0\nArchitecture: all\nMaintainer: Andr\xe9 <a@example.org>\nDescription: caf\xe9\n \xff\n"))
            .Build());
        string deb = Write(RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", control), ("data.tar", Root.Build())));
        foreach (string[] fields in new[] { new[] { "Maintainer" }, ["Maintainer", "Description"], [] })
        {
            byte[] theirs = ProcessRunner.Run("dpkg-deb", ["-f", deb, .. fields]).EnsureSuccess().StdOutBytes;
            using DebPackageReader reader = DebPackageReader.Open(deb);
            using var ours = new MemoryStream();
            reader.WriteFields(ours, fields);
            Assert.That(ours.ToArray(), Is.EqualTo(theirs), string.Join(' ', fields));
        }
        Assert.That(ProcessRunner.Run("dpkg-deb", ["-f", deb, "Maintainer"]).EnsureSuccess().StdOutBytes, Is.EqualTo(Latin1("Andr\xe9 <a@example.org>\n")));
    }

    private static readonly List<string> Created = [];

    /// <summary>One byte per character: how these tests spell names and fields that are not UTF-8.</summary>
    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    [OneTimeTearDown]
    public void CleanUp()
    {
        foreach (string path in Created)
        {
            File.Delete(path);
        }
    }

    private static string Write(byte[] deb)
    {
        string path = PackageFixtures.Instance.NewPath($"parity-{Guid.NewGuid():N}.deb");
        File.WriteAllBytes(path, deb);
        Created.Add(path);
        return path;
    }

    private static string WriteDeb(byte[] dataTar) =>
        Write(RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.ControlTarGz()), ("data.tar", dataTar)));

    private static void AssertSameListing(byte[] dataTar)
    {
        string deb = WriteDeb(dataTar);
        foreach (bool utf8 in new[] { true, false })
        {
            ProcessResult theirs = ProcessRunner.Run("dpkg-deb", ["-c", deb], environment: DpkgComparison.Environment("UTC", utf8));
            Assert.That(theirs.ExitCode, Is.Zero, theirs.StdErr);
            DpkgComparison.AssertSame(DpkgComparison.OurContents(deb, "UTC", utf8), theirs.StdOutBytes);
        }
    }

    /// <summary>Extracts with both and compares a byte-exact description of the trees; returns ours.</summary>
    private static string AssertSameTree(byte[] dataTar, string mustContain)
    {
        string deb = WriteDeb(dataTar);
        using var temp = new TempDirectory();
        string theirs = temp.Combine("theirs");
        string ours = temp.Combine("ours");
        // TempDirectory walks the tree with .NET, which cannot name what is not UTF-8.
        using var removeTrees = new Cleanup(() => ProcessRunner.Run("rm", ["-rf", theirs, ours]).EnsureSuccess());
        ProcessResult dpkg = ProcessRunner.Run("dpkg-deb", ["-x", deb, theirs]);
        Assert.That(dpkg.ExitCode, Is.Zero, dpkg.StdErr);
        using (DebPackageReader reader = DebPackageReader.Open(deb))
        {
            reader.ExtractTo(ours);
        }
        string expected = DescribeTree(theirs);
        string actual = DescribeTree(ours);
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(actual, Does.Contain(mustContain));
        return actual;
    }

    private static void AssertBothRefuseToExtract(byte[] dataTar, string reason)
    {
        string deb = WriteDeb(dataTar);
        using var temp = new TempDirectory();
        Assert.That(ProcessRunner.Run("dpkg-deb", ["-x", deb, temp.Combine("theirs")]).ExitCode, Is.Not.Zero, "dpkg-deb extracts it");
        using DebPackageReader reader = DebPackageReader.Open(deb);
        InvalidPackageException error = Assert.Throws<InvalidPackageException>(() => reader.ExtractTo(temp.Combine("ours")))!;
        Assert.That(error.Message, Does.Contain(reason).And.Not.Contain('\n'));
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>
    /// find(1)'s view of a tree (name, links, type, mode, size, mtime, link target), names
    /// escaped byte for byte: .NET would turn names that are not UTF-8 into U+FFFD.
    /// </summary>
    private static string DescribeTree(string root)
    {
        byte[] listing = ProcessRunner.Run("find",
            [".", "-mindepth", "1", "(", "-type", "d", "-printf", "%p %y %m\\n", ")", "-o", "-printf", "%p %n %y %m %s %T@ -> %l\\n"],
            workingDirectory: root).EnsureSuccess().StdOutBytes;
        var text = new StringBuilder();
        foreach (byte b in listing)
        {
            text.Append(b < 0x80 ? ((char)b).ToString() : $"\\{Convert.ToString(b, 8)}");
        }
        return string.Join('\n', text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }
}
