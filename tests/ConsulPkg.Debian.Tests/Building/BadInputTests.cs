using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Building;

/// <summary>Every refusal is one line naming the bad value, and leaves no file behind.</summary>
[TestFixture]
public sealed class BadInputTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static DebPackageSpec Valid() => new()
    {
        Control = TestTrees.Control(),
        Timestamp = TestTrees.Epoch,
        Entries = [PackageEntry.FromBytes("/usr/bin/tool", "#!/bin/sh\n"u8.ToArray(), 0b111_101_101)],
    };

    private static IEnumerable<TestCaseData> BadSpecs()
    {
        static DebPackageSpec With(Func<DebPackageSpec, DebPackageSpec> change) => change(Valid());

        yield return new TestCaseData(With(s => s with { Control = s.Control with { Package = "Consul_Server" } }), "Consul_Server").SetName("invalid package name");
        yield return new TestCaseData(With(s => s with { Control = s.Control with { Architecture = "x86 64" } }), "x86 64").SetName("invalid architecture");
        yield return new TestCaseData(With(s => s with { Control = s.Control with { Maintainer = "a\nb" } }), "Maintainer").SetName("multi-line maintainer");
        yield return new TestCaseData(With(s => s with { Control = s.Control with { Description = "\nno synopsis" } }), "synopsis").SetName("empty synopsis");
        yield return new TestCaseData(With(s => s with { Control = s.Control with { ExtraFields = [new("Package", "x")] } }), "Package").SetName("duplicate field");
        yield return new TestCaseData(With(s => s with { Scripts = new Dictionary<MaintainerScript, ReadOnlyMemory<byte>> { [MaintainerScript.Preinst] = "echo hi\n"u8.ToArray() } }), "preinst").SetName("script without shebang");
        yield return new TestCaseData(With(s => s with { Scripts = new Dictionary<MaintainerScript, ReadOnlyMemory<byte>> { [MaintainerScript.Postinst] = "#!/bin/sh\r\necho hi\r\n"u8.ToArray() } }), "CRLF").SetName("script with CRLF");
        yield return new TestCaseData(With(s => s with { ConfFiles = ["/etc/missing.conf"] }), "/etc/missing.conf").SetName("conffile not in data");
        yield return new TestCaseData(With(s => s with { Entries = [PackageEntry.FromFile("/usr/bin/tool", "/nonexistent/tool")] }), "/nonexistent/tool").SetName("missing input file");
        yield return new TestCaseData(With(s => s with { Entries = [PackageEntry.FromFile("/usr/bin/tool", "/proc/self/nonexistent")] }), "/proc/self/nonexistent").SetName("unreadable input");
        yield return new TestCaseData(With(s => s with { Entries = [.. s.Entries, PackageEntry.FromBytes("/usr/bin/tool", "x"u8.ToArray())] }), "/usr/bin/tool").SetName("duplicate path");
        yield return new TestCaseData(With(s => s with { Entries = [.. s.Entries, PackageEntry.FromBytes("/usr/bin/tool/sub", "x"u8.ToArray())] }), "/usr/bin/tool").SetName("file used as directory");
        yield return new TestCaseData(With(s => s with { Entries = [PackageEntry.FromBytes("usr/bin/relative", "x"u8.ToArray())] }), "usr/bin/relative").SetName("relative path");
        yield return new TestCaseData(With(s => s with { Entries = [PackageEntry.FromBytes("usr/bin/a\nb", "x"u8.ToArray())] }), "usr/bin/a\\nb").SetName("relative path with a newline");
        yield return new TestCaseData(With(s => s with { Entries = [PackageEntry.FromBytes("/usr/../etc/passwd", "x"u8.ToArray())] }), "/usr/../etc/passwd").SetName("dot-dot path");
        yield return new TestCaseData(With(s => s with { Entries = [new PackageEntry { Path = "/usr/bin/l", Kind = EntryKind.HardLink, LinkTarget = "/usr/bin/none" }] }), "/usr/bin/none").SetName("hard link to nothing");
        yield return new TestCaseData(With(s => s with { Entries = [PackageEntry.FromBytes("/usr/bin/tool", "x"u8.ToArray()) with { Owner = new string('u', 40) }] }), "uuuu").SetName("owner name too long");
    }

    [TestCaseSource(nameof(BadSpecs))]
    public void IsRefusedWithOneLineAndNoOutput(DebPackageSpec spec, string named)
    {
        string output = _temp.Combine("out.deb");
        Exception ex = Assert.Catch(() => DebPackageWriter.WriteFile(spec, output))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.InstanceOf<PackageException>().Or.InstanceOf<ArgumentException>());
            Assert.That(ex.Message, Does.Contain(named));
            Assert.That(ex.Message, Does.Not.Contain('\n'));
            Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty, "nothing may be left behind");
        });
    }

    [TestCase(CompressionFormat.Lzma, null, "lzma compression can only be read")]
    [TestCase(CompressionFormat.Bzip2, null, "bzip2 compression can only be read")]
    [TestCase(CompressionFormat.Gzip, 10, "gzip level 10 is out of range; use 0 to 9")]
    [TestCase(CompressionFormat.Zstd, 0, "zstd level 0 is out of range; use 1 to")]
    public void CompressionSettingsTheCodecCannotWriteAreRefusedWhenMade(CompressionFormat format, int? level, string message)
    {
        var ex = Assert.Throws<InvalidSpecException>(() => CompressionSettings.Create(format, level))!;
        Assert.That(ex.Message, Does.StartWith(message));
    }

    [Test]
    public void MissingOutputDirectoryIsNamed()
    {
        string output = _temp.Combine("no", "such", "dir", "out.deb");
        var ex = Assert.Throws<PackageException>(() => DebPackageWriter.WriteFile(Valid(), output))!;
        Assert.That(ex.Message, Does.Contain(_temp.Combine("no", "such", "dir")).And.Contain("does not exist"));
    }

    [TestCase(CompressionFormat.Gzip)]
    [TestCase(CompressionFormat.None)]
    public void UnwritableOutputDirectoryIsNamed(CompressionFormat compression)
    {
        // Root ignores permission bits, so use a directory no one can create files in.
        var ex = Assert.Throws<PackageException>(() => DebPackageWriter.WriteFile(Valid() with { Compression = CompressionSettings.Create(compression) }, "/proc/out.deb"))!;
        Assert.That(ex.Message, Does.StartWith("cannot create a temporary file in the output directory '/proc'"));
        Assert.That(File.Exists("/proc/out.deb"), Is.False);
    }

    [Test]
    public void ExistingOutputIsKeptWithoutOverwrite()
    {
        string output = _temp.WriteFile("out.deb", "precious");
        var ex = Assert.Throws<PackageException>(() => DebPackageWriter.WriteFile(Valid(), output))!;
        Assert.That(ex.Message, Is.EqualTo($"'{output}' already exists: remove it or allow replacing it"));
        Assert.That(ex.Setting, Is.EqualTo(PackageSettings.Overwrite), "a front end names its option for it");
        Assert.That(File.ReadAllText(output), Is.EqualTo("precious"));
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path).Count(), Is.EqualTo(1));
    }

    [Test]
    public void ANamedPipeAsInputIsRefusedWithoutBlocking()
    {
        // Opening a FIFO would block until someone writes to it: it is refused before it is opened.
        string fifo = _temp.Combine("fifo");
        ProcessRunner.RunUtc("mkfifo", fifo).EnsureSuccess();
        string output = Directory.CreateDirectory(_temp.Combine("out")).FullName;
        var ex = Assert.Throws<PackageException>(() => DebPackageWriter.WriteFile(Valid() with { Entries = [PackageEntry.FromFile("/usr/bin/tool", fifo)] }, Path.Combine(output, "x.deb")))!;
        Assert.That(ex.Message, Does.Contain(fifo).And.Contain("named pipe"));
        Assert.That(Directory.EnumerateFileSystemEntries(output), Is.Empty);
    }
}
