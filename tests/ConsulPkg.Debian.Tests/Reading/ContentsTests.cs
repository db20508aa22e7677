using System.Text;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Tests.Support;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary><c>contents</c> must print exactly what <c>dpkg-deb -c</c> prints.</summary>
[TestFixture]
public sealed class ContentsTests
{
    private static readonly bool[] BothLocales = [false, true];
    private static readonly string[] TwoZones = ["UTC", "America/St_Johns"];
    private static readonly string[] IndiaAndUtc = ["UTC", "Asia/Kolkata"];

    private static IEnumerable<TestCaseData> DpkgBuiltCases() =>
        from compression in PackageFixtures.Compressions
        from zone in PackageFixtures.Zones
        from utf8 in BothLocales
        select new TestCaseData(compression, zone, utf8).SetName($"DpkgBuilt_{compression}_{zone.Replace('/', '_')}_{(utf8 ? "UTF8" : "C")}");

    [TestCaseSource(nameof(DpkgBuiltCases))]
    public void ListsPackagesBuiltByDpkgDebLikeDpkgDeb(string compression, string zone, bool utf8)
    {
        string deb = PackageFixtures.Instance.Packages[compression];
        DpkgComparison.AssertSame(DpkgComparison.OurContents(deb, zone, utf8), DpkgComparison.DpkgContents(deb, zone, utf8));
    }

    [TestCase("gzip")]
    [TestCase("xz")]
    [TestCase("none")]
    public void ListsFromAnUnseekableStream(string compression)
    {
        string deb = PackageFixtures.Instance.Packages[compression];
        byte[] ours = DpkgComparison.OurContents(new ForwardOnlyStream(File.OpenRead(deb)), deb, "Asia/Kolkata", utf8: true);
        DpkgComparison.AssertSame(ours, DpkgComparison.DpkgContents(deb, "Asia/Kolkata", utf8: true));
    }

    [Test]
    public void TheVariedTreeReallyHasTheTrickyEntries()
    {
        string listing = Encoding.UTF8.GetString(DpkgComparison.DpkgContents(PackageFixtures.Instance.Packages["gzip"], "UTC", utf8: false));
        Assert.That(listing, Does.Contain(" link to ./usr/bin/tool"));
        Assert.That(listing, Does.Contain("./usr/bin/tool-link -> tool"));
        Assert.That(listing, Does.Contain("-rwsr-xr-x"));
        Assert.That(listing, Does.Contain("drwxrwxrwt"));
        Assert.That(listing, Does.Contain("caf\\303\\251"));
        Assert.That(listing, Does.Contain("tab\\tand\\\\backslash"));
        Assert.That(listing.Split('\n').Max(l => l.Length), Is.GreaterThan(200));
    }

    /// <summary>Hand-assembled packages whose data.tar GNU tar writes in each of its formats.</summary>
    [TestCase("gnu", "gz")]
    [TestCase("ustar", "gz")]
    [TestCase("pax", "gz")]
    [TestCase("v7", "gz")]
    [TestCase("gnu", "xz")]
    [TestCase("pax", "zst")]
    [TestCase("gnu", "bz2")]
    [TestCase("gnu", "lzma")]
    [TestCase("gnu", "")]
    public void ListsDataTarWrittenByGnuTarFormats(string format, string compression)
    {
        using var temp = new TempDirectory();
        string data = temp.Combine("payload");
        string tree = PackageFixtures.Instance.Tree;
        // ustar and v7 cannot hold every name of the varied tree; they get a tree that fits.
        string source = format is "ustar" or "v7" ? SmallTree(temp.Combine("small")) : tree;
        var tarArgs = new List<string> { $"--format={format}", "--sort=name", "--exclude=./DEBIAN", "-C", source, "-cf", data + ".tar" };
        if (format != "v7")
        {
            // Names beyond the header's 32 bytes and ids beyond octal fields, where the format allows.
            tarArgs.InsertRange(0, format == "ustar"
                ? ["--owner=a-rather-long-user-name:1001", "--group=group:1002"]
                : ["--owner=a-rather-long-user-name-for-width:3000000", "--group=staff:50", "--mtime=@-86400"]);
        }
        tarArgs.Add(".");
        ProcessRunner.Run("tar", tarArgs).EnsureSuccess();
        string member = "data.tar" + (compression.Length > 0 ? "." + compression : "");
        if (compression.Length > 0)
        {
            string tool = compression switch { "gz" => "gzip", "zst" => "zstd", "bz2" => "bzip2", _ => compression };
            ProcessRunner.Run(tool, ["-q", "-k", data + ".tar"]).EnsureSuccess();
        }
        File.Copy(data + ".tar" + (compression.Length > 0 ? "." + compression : ""), temp.Combine(member));
        File.WriteAllBytes(temp.Combine("control.tar.gz"), RawAr.ControlTarGz());
        File.WriteAllBytes(temp.Combine("debian-binary"), RawAr.DebianBinary);
        string deb = temp.Combine("hand.deb");
        ProcessRunner.Run("ar", ["rc", deb, "debian-binary", "control.tar.gz", member], workingDirectory: temp.Path).EnsureSuccess();

        foreach (string zone in TwoZones)
        {
            DpkgComparison.AssertSame(DpkgComparison.OurContents(deb, zone, utf8: false), DpkgComparison.DpkgContents(deb, zone, utf8: false));
        }
    }

    [Test]
    public void QuotesEveryByteLikeGnuTarInBothLocales()
    {
        var tar = new RawTarBuilder().Add("./", '5', 0x1ed);
        for (int b = 1; b < 256; b++)
        {
            if (b != '/')
            {
                tar.Add([(byte)'.', (byte)'/', (byte)'n', (byte)b]);
            }
        }
        foreach (byte[] utf8 in new[] { "é"u8.ToArray(), [0xc3, (byte)'('], [0xc2, 0x85], "\u200b"u8.ToArray(), "\u00a0"u8.ToArray(), "😀"u8.ToArray(), [0xed, 0xa0, 0x80], [0xef, 0xbf, 0xbe], [0xe0, 0xa4], "क"u8.ToArray() })
        {
            tar.Add([.. "./u"u8, .. utf8]);
        }
        tar.Add("./link", '2', 0x1ff, link: "tab\there");
        AssertHandMadeDataMatches(tar.Build());
    }

    [Test]
    public void ShowsNumericIdsDevicesFifosAndWideningColumns()
    {
        byte[] data = new RawTarBuilder()
            .Add("./", '5', 0x1ed, uname: "", gname: "")
            .Add("./numeric", uid: 1234, gid: 5678, uname: "", gname: "")
            .Add("./fifo", '6', 0x1a4)
            .Add("./null", '3', 0x1b6, tamper: h => { RawTarBuilder.Octal(h, 329, 8, 1); RawTarBuilder.Octal(h, 337, 8, 3); })
            .Add("./sda", '4', 0x1b0, gname: "disk", tamper: h => { RawTarBuilder.Octal(h, 329, 8, 8); RawTarBuilder.Octal(h, 337, 8, 0); })
            .Add("./wide", uname: "averyveryverylongusername", gname: "andagroupnametoo")
            .Add("./after-wide", data: new byte[3])
            .Add("./dir-by-slash/", '0', 0x1ed)
            .Add("./contiguous", '7')
            .Add("./contiguous-slash/", '7')
            .Add("./aregtype-slash/", '\0')
            .Add("./aregtype", '\0')
            .Add("./unknown-type", 'Z')
            .Add("./old-epoch", mtime: 0)
            .Add("./year-1800", tamper: h => Base256(h, 136, 12, -5364662400))
            .Add("./year-999", tamper: h => Base256(h, 136, 12, -30610224000))
            .Add("./year-33658", tamper: h => Base256(h, 136, 12, 1000000000000))
            .Add("./year-10000", tamper: h => Base256(h, 136, 12, 253402300800))
            .Add("./year-minus-1199", tamper: h => Base256(h, 136, 12, -100000000000))
            .Add("./after-wide-date", mtime: 1480956780)
            .Build();
        AssertHandMadeDataMatches(data);
    }

    [Test]
    public void AppliesPaxRecordsLikeGnuTar()
    {
        static byte[] Pax(params string[] records)
        {
            var text = new StringBuilder();
            foreach (string record in records)
            {
                int body = Encoding.UTF8.GetByteCount(record) + 2;
                int length = body + 1;
                while (length != body + length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)
                {
                    length++;
                }
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{length} {record}\n");
            }
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        byte[] data = new RawTarBuilder()
            .Add("./", '5', 0x1ed)
            .Add("pax-global", 'g', data: Pax("uname=globaluser"))
            .Add("./PaxHeaders/x", 'x', data: Pax("path=./a/" + new string('p', 150) + "/file", "mtime=1480956780.75", "uid=4000000", "gname=paxgroup"))
            .Add("./short-name-replaced", data: "abc"u8.ToArray())
            .Add("./PaxHeaders/y", 'x', data: Pax("linkpath=" + new string('t', 130), "size=0"))
            .Add("./sym", '2', 0x1ff)
            .Add("./plain")
            .Build();
        AssertHandMadeDataMatches(data);
    }

    [Test]
    public void UsesUstarPrefixAndGnuLongNames()
    {
        string prefix = "./" + new string('q', 120);
        string longName = "./" + new string('L', 300);
        string longLink = new('K', 200);
        byte[] data = new RawTarBuilder()
            .Add("./", '5', 0x1ed)
            .Add("leaf", tamper: h => Encoding.ASCII.GetBytes(prefix).CopyTo(h, 345))
            .Add("././@LongLink", 'L', data: Encoding.ASCII.GetBytes(longName + "\0"), magic: "ustar  \0")
            .Add("./truncated", magic: "ustar  \0")
            .Add("././@LongLink", 'K', data: Encoding.ASCII.GetBytes(longLink + "\0"), magic: "ustar  \0")
            .Add("./lnk", '2', 0x1ff, magic: "ustar  \0")
            .Add("./gnu-ignores-prefix", magic: "ustar  \0", tamper: h => "zzz"u8.CopyTo(h.AsSpan(345)))
            .Build();
        AssertHandMadeDataMatches(data);
    }

    [Test]
    public void ReadsBase256AndSignedChecksums()
    {
        byte[] data = new RawTarBuilder()
            .Add("./", '5', 0x1ed)
            .Add("./big-uid", tamper: h =>
            {
                h[108] = 0x80;
                Array.Clear(h, 109, 7);
                h[113] = 0x10; // uid 0x10000000 in base-256
            })
            .Add("./negative-mtime", tamper: h =>
            {
                Array.Fill(h, (byte)0xff, 136, 12);
                h[147] = 0x00; // -256 seconds
            })
            .Add([.. "./signed-\xe9"u8.ToArray().Take(9), 0xe9, 0xf0, 0xfa], tamper: h =>
            {
                for (int i = 148; i < 156; i++)
                {
                    h[i] = (byte)' ';
                }
                long signed = 0;
                foreach (byte b in h)
                {
                    signed += (sbyte)b;
                }
                RawTarBuilder.Octal(h, 148, 7, signed);
            })
            .Build();
        AssertHandMadeDataMatches(data);
    }

    /// <summary>Writes a GNU base-256 number (two's complement, high bit of the first byte set).</summary>
    private static void Base256(byte[] header, int offset, int length, long value)
    {
        for (int i = offset + length - 1; i > offset; i--)
        {
            header[i] = (byte)value;
            value >>= 8;
        }
        header[offset] = value < 0 ? (byte)0xff : (byte)0x80;
    }

    private static void AssertHandMadeDataMatches(byte[] dataTar)
    {
        using var temp = new TempDirectory();
        string deb = temp.Combine("hand.deb");
        File.WriteAllBytes(deb, RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.ControlTarGz()), ("data.tar", dataTar)));
        foreach (bool utf8 in BothLocales)
        {
            foreach (string zone in IndiaAndUtc)
            {
                DpkgComparison.AssertSame(DpkgComparison.OurContents(deb, zone, utf8), DpkgComparison.DpkgContents(deb, zone, utf8));
            }
        }
    }

    private static string SmallTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        Directory.CreateDirectory(Path.Combine(root, "etc/empty"));
        File.WriteAllText(Path.Combine(root, "usr/bin/tool"), "tool");
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/link"), "tool");
        ProcessRunner.Run("ln", [Path.Combine(root, "usr/bin/tool"), Path.Combine(root, "usr/bin/hard")]).EnsureSuccess();
        File.SetUnixFileMode(Path.Combine(root, "usr/bin/tool"), (UnixFileMode)0x1ed);
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            if (new FileInfo(path).LinkTarget is null)
            {
                File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(1234567890));
            }
        }
        return root;
    }
}
