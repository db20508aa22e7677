using System.Security.Cryptography;
using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Building;

/// <summary>Packages written by <see cref="DebPackageWriter"/>, judged by the real dpkg-deb and dpkg.</summary>
[TestFixture]
public sealed class DebPackageWriterTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static IEnumerable<CompressionFormat> Writable => [CompressionFormat.Gzip, CompressionFormat.Xz, CompressionFormat.Zstd, CompressionFormat.None];

    private string Build(DebPackageSpec spec, string name = "out.deb")
    {
        string path = _temp.Combine(name);
        DebPackageWriter.WriteFile(spec, path, overwrite: true);
        return path;
    }

    [TestCaseSource(nameof(Writable))]
    public void DpkgDebAcceptsTheVariedTreeWithoutWarnings(CompressionFormat compression)
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        string deb = Build(TestTrees.Varied(src) with { Compression = CompressionSettings.Create(compression) });

        ProcessResult info = ProcessRunner.RunUtc("dpkg-deb", "-I", deb);
        ProcessResult contents = ProcessRunner.RunUtc("dpkg-deb", "-c", deb);
        Assert.Multiple(() =>
        {
            Assert.That(info.ExitCode, Is.Zero, info.StdErr);
            Assert.That(info.StdErr, Is.Empty);
            Assert.That(contents.ExitCode, Is.Zero, contents.StdErr);
            Assert.That(contents.StdErr, Is.Empty);
            Assert.That(contents.StdOut, Does.StartWith("drwxr-xr-x root/root         0 2016-12-05 16:53 ./\n"));
            Assert.That(contents.StdOut, Does.Contain("./usr/sbin/tool -> ../bin/tool"));
            Assert.That(contents.StdOut, Does.Contain("./usr/share/sample/setuid-like link to ./usr/share/sample/hard"));
            Assert.That(contents.StdOut, Does.Contain("drwxr-x--- nobody/root"));
            Assert.That(contents.StdOut, Does.Contain("-rw-r----- root/nogroup"));
            Assert.That(contents.StdOut, Does.Contain("./usr/share/doc/sample/changelog.Debian.gz"));
        });
    }

    [Test]
    public void ControlFieldsAreWrittenInOrderWithComputedInstalledSize()
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        string deb = Build(TestTrees.Varied(src));
        string control = ProcessRunner.RunUtc("dpkg-deb", "-f", deb).EnsureSuccess().StdOut;
        string[] names = [.. Deb822Paragraph.ParseAll(System.Text.Encoding.UTF8.GetBytes(control), "dpkg-deb -f").Single().Fields.Select(f => f.Key)];
        Assert.That(names, Is.EqualTo(new[]
        {
            "Package", "Version", "License", "Vendor", "Architecture", "Maintainer", "Installed-Size", "Section", "Priority", "Homepage", "Description",
        }));
        Assert.That(control, Does.EndWith("Description: sample package for tests\n It has an extended description.\n .\n With a blank line.\n"));
    }

    [Test]
    public void DpkgDebExtractsExactlyTheInputTree()
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        DebPackageSpec spec = TestTrees.Varied(src);
        string deb = Build(spec);
        string root = _temp.Combine("x");
        ProcessRunner.RunUtc("dpkg-deb", "-x", deb, root).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(root, "usr/bin/tool")), Is.EqualTo(File.ReadAllBytes(Path.Combine(src, "tool"))));
            Assert.That(File.GetUnixFileMode(Path.Combine(root, "usr/bin/tool")), Is.EqualTo((UnixFileMode)0b111_101_101));
            Assert.That(File.GetUnixFileMode(Path.Combine(root, "etc/sample/sample.json")), Is.EqualTo((UnixFileMode)0b110_100_000));
            Assert.That(new FileInfo(Path.Combine(root, "usr/sbin/tool")).LinkTarget, Is.EqualTo("../bin/tool"));
            Assert.That(Directory.Exists(Path.Combine(root, "usr/share/sample/empty")), Is.True);
            Assert.That(File.ReadAllText(Path.Combine(root, "usr/share/sample/caf\u00e9-\u00fcber.txt")), Is.EqualTo("accents\n"));
            Assert.That(File.Exists(Path.Combine(root, "usr/share/sample/" + new string('d', 80) + "/" + new string('e', 60) + "/" + new string('f', 120) + ".txt")), Is.True);
            Assert.That(File.ReadAllText(Path.Combine(root, "usr/share/sample/hard")), Is.EqualTo("x\n"));
        });
    }

    [Test]
    public void DataTarEqualsDpkgDebsByteForByte()
    {
        // The same tree staged for dpkg-deb and described to our writer, symlinks included
        // (both queue them after everything else).
        string longFile = "usr/share/sample/" + new string('d', 80) + "/" + new string('f', 120) + ".txt";
        (string Path, string Text, int Mode)[] files =
        [
            ("usr/bin/tool", "#!/bin/sh\necho tool\n", 0b111_101_101),
            ("etc/sample/sample.json", "{}\n", 0b110_100_000),
            (longFile, "long\n", 0b110_100_100),
            ("usr/share/sample/caf\u00e9.txt", "accents\n", 0b110_100_100),
        ];
        string tree = _temp.Combine("tree");
        _temp.WriteFile("tree/DEBIAN/control", "Package: sample\nVersion: 1.0\nArchitecture: amd64\nMaintainer: A <a@example.org>\nDescription: d\n");
        foreach ((string path, string text, int mode) in files)
        {
            _temp.WriteFile("tree/" + path, text, (UnixFileMode)mode);
        }
        Directory.CreateDirectory(Path.Combine(tree, "var/lib/sample/empty"));
        File.CreateSymbolicLink(Path.Combine(tree, "usr/bin/alias"), "tool");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/sample/link"), "/usr/bin/tool");
        foreach (string dir in Directory.EnumerateDirectories(tree, "*", SearchOption.AllDirectories).Append(tree))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }
        string theirs = _temp.Combine("theirs.deb");
        ProcessRunner.Run("dpkg-deb", ["--root-owner-group", "-Znone", "-b", tree, theirs],
            environment: new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestTrees.Epoch.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) }).EnsureSuccess();

        string ours = Build(new DebPackageSpec
        {
            Control = TestTrees.Control(),
            Timestamp = TestTrees.Epoch,
            Compression = CompressionSettings.Create(CompressionFormat.None),
            Entries =
            [
                .. files.Select(f => PackageEntry.FromBytes("/" + f.Path, System.Text.Encoding.UTF8.GetBytes(f.Text), f.Mode)),
                PackageEntry.Directory("/var/lib/sample/empty"),
                PackageEntry.Symlink("/usr/bin/alias", "tool"),
                PackageEntry.Symlink("/etc/sample/link", "/usr/bin/tool"),
            ],
        });

        Assert.That(ProcessRunner.Run("ar", ["p", ours, "data.tar"]).EnsureSuccess().StdOutBytes, Is.EqualTo(ProcessRunner.Run("ar", ["p", theirs, "data.tar"]).EnsureSuccess().StdOutBytes));
    }

    [Test]
    public void Md5sumsConffilesAndInstalledSizeAgreeWithTheExtractedTree()
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        string deb = Build(TestTrees.Varied(src));
        string root = _temp.Combine("x");
        string control = _temp.Combine("c");
        ProcessRunner.RunUtc("dpkg-deb", "-x", deb, root).EnsureSuccess();
        ProcessRunner.RunUtc("dpkg-deb", "-e", deb, control).EnsureSuccess();

        var expected = new List<string>();
        long kib = 0;
        var seenInodes = new HashSet<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            string rel = Path.GetRelativePath(root, path);
            if (info.LinkTarget is not null)
            {
                kib += (System.Text.Encoding.UTF8.GetByteCount(info.LinkTarget) + 1023) / 1024;
            }
            else if (Directory.Exists(path))
            {
                kib += 1;
            }
            else
            {
                expected.Add($"{Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)))}  {rel}");
                string inode = ProcessRunner.RunUtc("stat", "-c", "%i", path).EnsureSuccess().StdOut.Trim();
                if (seenInodes.Add(inode))
                {
                    kib += (info.Length + 1023) / 1024;
                }
            }
        }

        string[] md5sums = File.ReadAllLines(Path.Combine(control, "md5sums"));
        Assert.Multiple(() =>
        {
            // Every name of a file is listed, hard links included, as dh_md5sums lists them.
            Assert.That(md5sums, Is.EquivalentTo(expected));
            Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", deb, "Installed-Size").EnsureSuccess().StdOut.Trim(), Is.EqualTo(kib.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(File.ReadAllText(Path.Combine(control, "conffiles")), Is.EqualTo("/etc/sample/sample.json\n"));
            Assert.That(File.GetUnixFileMode(Path.Combine(control, "postinst")), Is.EqualTo((UnixFileMode)0b111_101_101));
        });
    }

    [TestCaseSource(nameof(Writable))]
    public void RealDpkgUnpackAcceptsThePackage(CompressionFormat compression)
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        string deb = Build(TestTrees.Varied(src) with { Compression = CompressionSettings.Create(compression), Scripts = new Dictionary<MaintainerScript, ReadOnlyMemory<byte>>() });
        string root = _temp.Combine("root");
        Directory.CreateDirectory(Path.Combine(root, "var/lib/dpkg/info"));
        Directory.CreateDirectory(Path.Combine(root, "var/lib/dpkg/updates"));
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), "");
        ProcessResult r = ProcessRunner.RunUtc("dpkg", "--root=" + root, "--force-not-root", "--force-script-chrootless", "--log=/dev/null", "--unpack", deb);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr + r.StdOut);
        Assert.That(r.StdErr, Does.Not.Contain("warning"));
        Assert.That(File.Exists(Path.Combine(root, "usr/bin/tool")), Is.True);
        Assert.That(ProcessRunner.RunUtc("dpkg", "--root=" + root, "-s", "sample").EnsureSuccess().StdOut, Does.Contain("Status: install ok unpacked"));
    }

    [Test]
    public void LintianFindsNoErrorInAPolicyCleanTree()
    {
        string tool = _temp.WriteFile("src/tool", "#!/bin/sh\necho hello\n", (UnixFileMode)0b111_101_101);
        var spec = new DebPackageSpec
        {
            Control = TestTrees.Control("tool", "1.0-1") with { Vendor = null, Priority = null, Section = "utils" },
            Timestamp = TestTrees.Epoch,
            Entries = [PackageEntry.FromFile("/usr/bin/tool", tool)],
            Documentation = DocumentationOptions.Default,
        };
        string deb = Build(spec, "tool_1.0-1_amd64.deb");
        ProcessResult r = ProcessRunner.RunUtc("lintian", "--no-cfg", deb);
        Assert.Multiple(() =>
        {
            Assert.That(r.StdOut + r.StdErr, Does.Not.Contain("E: "), r.StdOut);
            // The generated copyright file has a notice with a year.
            Assert.That(r.StdOut, Does.Not.Contain("copyright-without-copyright-notice"), r.StdOut);
        });
    }

    [TestCaseSource(nameof(Writable))]
    public void TwoBuildsAreByteIdentical(CompressionFormat compression)
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        DebPackageSpec spec = TestTrees.Varied(src) with { Compression = CompressionSettings.Create(compression) };
        string a = Build(spec, "a.deb");
        string b = Build(spec, "b.deb");
        Assert.That(File.ReadAllBytes(a), Is.EqualTo(File.ReadAllBytes(b)));
    }

    [Test]
    public void ADifferentTimestampChangesOnlyTimestamps()
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        // The generated changelog carries the date in its text; a given one keeps the data constant.
        DebPackageSpec spec = TestTrees.Varied(src) with { Documentation = DocumentationOptions.Default with { ChangelogText = "fixed\n" } };
        string a = Build(spec, "a.deb");
        string b = Build(spec with { Timestamp = spec.Timestamp.AddDays(400) }, "b.deb");
        static string Dateless(string listing) => string.Join('\n', listing.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, @" \d{4}-\d\d-\d\d \d\d:\d\d ", " DATE ")));

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(a), Is.Not.EqualTo(File.ReadAllBytes(b)));
            Assert.That(Dateless(ProcessRunner.RunUtc("dpkg-deb", "-c", b).EnsureSuccess().StdOut), Is.EqualTo(Dateless(ProcessRunner.RunUtc("dpkg-deb", "-c", a).EnsureSuccess().StdOut)));
            Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", b).EnsureSuccess().StdOut, Is.EqualTo(ProcessRunner.RunUtc("dpkg-deb", "-f", a).EnsureSuccess().StdOut));
            Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-c", b).EnsureSuccess().StdOut, Does.Contain(" 2018-01-09 "));
        });
    }

    /// <summary>
    /// Also pins the file writer's shortcut for uncompressed packages (data.tar placed first, the
    /// head written after it) to the streamed layout, byte for byte.
    /// </summary>
    [TestCaseSource(nameof(Writable))]
    public void OutputIsStreamableToAnUnseekableStream(CompressionFormat compression)
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        DebPackageSpec spec = TestTrees.Varied(src) with { Compression = CompressionSettings.Create(compression) };
        using var sink = new MemoryStream();
        using (var forwardOnly = new ForwardOnlySink(sink))
        {
            DebPackageWriter.Write(spec, forwardOnly);
        }

        Assert.That(sink.ToArray(), Is.EqualTo(File.ReadAllBytes(Build(spec))));
    }

    [TestCase(CompressionFormat.Gzip)]
    [TestCase(CompressionFormat.None)]
    public void APackageHoldingASecretIsCreatedReadableByItsOwnerOnly(CompressionFormat compression)
    {
        string src = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        string deb = Build(TestTrees.Varied(src) with { Compression = CompressionSettings.Create(compression), OutputFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        string plain = Build(TestTrees.Varied(src) with { Compression = CompressionSettings.Create(compression) }, "plain.deb");
        Assert.That(File.GetUnixFileMode(deb), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(plain) & UnixFileMode.OtherRead, Is.EqualTo(UnixFileMode.OtherRead), "without the option the umask decides");
    }

    /// <summary>A write-only stream that cannot seek or report its length.</summary>
    private sealed class ForwardOnlySink(Stream inner) : WriteOnlyForwardStream
    {
        public override void Flush() => inner.Flush();
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
