using ConsulPkg.Debian.Compression;
using System.Text;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary>
/// A damaged or hostile file gets one line naming it and what is wrong: never a hang, a huge
/// allocation or a stack trace. Every case runs on a seekable and on an unseekable stream.
/// </summary>
[TestFixture]
public sealed class MalformedPackageTests
{
    private const string Name = "bad.deb";
    private static readonly string[] ExpectedNames = ["./", "./usr/", "./usr/file"];
    private static readonly string[] ExpectedContents = ["", "", "hello"];
    private static readonly bool[] Seekable = [true, false];
    private static readonly byte[] Control = RawAr.ControlTarGz();
    private static readonly byte[] Data = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./usr/", '5', 0x1ed).Add("./usr/file", data: "hello"u8.ToArray()).Build();

    private static byte[] Deb(params (string, byte[])[] members) => RawAr.Build(members);

    private static byte[] Valid(byte[]? data = null, string dataName = "data.tar") =>
        Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", Control), (dataName, data ?? Data));

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("bad_magic", "hello, this is not an archive\n"u8.ToArray(), "missing ar magic");
        yield return Case("empty_file", [], "missing ar magic");
        yield return Case("truncated_header", [.. "!<arch>\n"u8, .. "debian-binary   0"u8], "truncated ar member header");
        yield return Case("bad_header_terminator", [.. "!<arch>\n"u8, .. RawAr.Header("debian-binary", "4", "XX"), .. "2.0\n"u8], "bad terminator");
        yield return Case("non_numeric_size", [.. "!<arch>\n"u8, .. RawAr.Header("debian-binary", "4x"), .. "2.0\n"u8], "invalid character 'x' in the size of ar member 'debian-binary'");
        yield return Case("negative_size", [.. "!<arch>\n"u8, .. RawAr.Header("debian-binary", "-4"), .. "2.0\n"u8], "invalid character '-'");
        yield return Case("truncated_member", Valid()[..^100], "truncated");
        yield return Case("absurd_member_size", [.. Valid()[..^0], .. Array.Empty<byte>()], "truncated", absurd: true);
        yield return Case("first_member_not_debian_binary", Deb(("control.tar.gz", Control), ("debian-binary", RawAr.DebianBinary), ("data.tar", Data)), "first member is 'control.tar.gz'");
        yield return Case("premature_member", Deb(("debian-binary", RawAr.DebianBinary), ("extra", [1, 2]), ("control.tar.gz", Control), ("data.tar", Data)), "premature member 'extra' before 'control.tar'");
        yield return Case("data_before_control", Deb(("debian-binary", RawAr.DebianBinary), ("data.tar", Data), ("control.tar.gz", Control)), "premature member 'data.tar' before 'control.tar'");
        yield return Case("member_between_control_and_data", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", Control), ("md5sums", [1]), ("data.tar", Data)), "premature member 'md5sums' before 'data.tar'");
        yield return Case("two_control_members", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", Control), ("control.tar", [1]), ("data.tar", Data)), "two control members");
        yield return Case("unknown_control_compression", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.br", Control), ("data.tar", Data)), "unknown compression '.br'");
        yield return Case("bzip2_control", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.bz2", Control), ("data.tar", Data)), "control.tar.bz2");
        yield return Case("unknown_data_compression", Valid(dataName: "data.tar.lz4"), "unknown compression '.lz4'");
        yield return Case("empty_control_member", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", []), ("data.tar", Data)), "zero-sized tar member 'control.tar.gz'");
        yield return Case("empty_data_member", Valid([]), "zero-sized tar member 'data.tar'");
        yield return Case("missing_data_member", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", Control)), "no 'data.tar' member");
        yield return Case("version_3", Deb(("debian-binary", "3.0\n"u8.ToArray()), ("control.tar.gz", Control), ("data.tar", Data)), "format version 3.0 is not supported");
        yield return Case("version_without_newline", Deb(("debian-binary", "2.0"u8.ToArray()), ("control.tar.gz", Control), ("data.tar", Data)), "has no newline");
        yield return Case("version_junk", Deb(("debian-binary", "2.0x\n"u8.ToArray()), ("control.tar.gz", Control), ("data.tar", Data)), "invalid format version '2.0x");
        yield return Case("huge_debian_binary", [.. "!<arch>\n"u8, .. RawAr.Header("debian-binary", "9999999999"), .. "2.0\n"u8], "9999999999");
        yield return Case("corrupt_tar_checksum", Valid(Tamper(Data, 512 + 20)), "checksum");
        yield return Case("corrupt_gzip", Valid(Tamper(RawAr.Gzip(Data), 30), "data.tar.gz"), "data.tar.gz");
        yield return Case("truncated_tar", Valid(Data[..700]), "truncated tar archive");
        yield return Case("absurd_long_name", Valid(new RawTarBuilder().Add("././@LongLink", 'L', tamper: h => RawTarBuilder.Octal(h, 124, 12, 0x1FFFFFFFF)).Build(endBlocks: false)), "exceeds the limit");
        yield return Case("absurd_file_size", Valid(new RawTarBuilder().Add("./big", tamper: h => RawTarBuilder.Octal(h, 124, 12, 0x1FFFFFFFF)).Build(endBlocks: false)), "truncated tar archive");
        yield return Case("non_octal_tar_size", Valid(new RawTarBuilder().Add("./x", tamper: h => h[124] = (byte)'9').Build()), "invalid size field");
        yield return Case("control_file_claiming_3_MB", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.Gzip(new RawTarBuilder().Add("./control", tamper: h => RawTarBuilder.Octal(h, 124, 12, 3 << 20)).Build(endBlocks: false))), ("data.tar", Data)), "control.tar.gz: truncated tar archive");
        yield return Case("control_file_over_4_MB", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.Gzip(new RawTarBuilder().Add("./control", tamper: h => RawTarBuilder.Octal(h, 124, 12, 5L << 20)).Build(endBlocks: false))), ("data.tar", Data)), "not a plausible package");
        yield return Case("data_gzip_without_trailer", Valid(RawAr.Gzip(Data)[..^8], "data.tar.gz"), "data.tar.gz: corrupt compressed data");
        yield return Case("data_xz_without_footer", Valid(Compression.TestData.Compress(Data, CompressionFormat.Xz)[..^12], "data.tar.xz"), "data.tar.xz: corrupt compressed data");
        yield return Case("control_gzip_without_trailer", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", Control[..^8]), ("data.tar", Data)), "control.tar.gz: corrupt compressed data");
        yield return Case("control_without_control_file", Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.Gzip(new RawTarBuilder().Add("./postinst").Build())), ("data.tar", Data)), "no 'control' file", info: true);
    }

    private static TestCaseData Case(string name, byte[] deb, string expected, bool absurd = false, bool info = false)
    {
        if (absurd)
        {
            // Declare a data member of 9,999,999,999 bytes in front of 10 real ones.
            deb = [.. Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", Control)), .. RawAr.Header("data.tar", "9999999999"), .. new byte[10]];
        }
        return new TestCaseData(deb, expected, info).SetName("Malformed_" + name);
    }

    [TestCaseSource(nameof(Cases))]
    public void FailsWithOneLineNamingTheFile(byte[] deb, string expected, bool info)
    {
        foreach (bool seekable in Seekable)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            InvalidPackageException error = Assert.Throws<InvalidPackageException>(() =>
            {
                Stream input = seekable ? new MemoryStream(deb) : new ForwardOnlyStream(new MemoryStream(deb));
                using DebPackageReader reader = DebPackageReader.Open(input, Name);
                using var output = new MemoryStream();
                if (info)
                {
                    reader.WriteFields(output, ["Package"]);
                }
                else
                {
                    reader.WriteContents(output, new ListingOptions { TimeZone = TimeZoneInfo.Utc });
                }
            })!;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(error.Message, Does.StartWith(Name + ": "), seekable ? "seekable" : "unseekable");
            Assert.That(error.Message, Does.Contain(expected), seekable ? "seekable" : "unseekable");
            Assert.That(error.Message, Does.Not.Contain('\n'));
            Assert.That(allocated, Is.LessThan(16 << 20), "allocation must not follow sizes read from the file");
        }
    }

    [Test]
    public void AcceptsUnderscoreMembersAndTrailingMembers()
    {
        byte[] deb = Deb(("debian-binary", RawAr.DebianBinary), ("_gpgorigin", [1, 2, 3]), ("control.tar.gz", Control),
            ("_sig", [4]), ("data.tar", Data), ("trailing", [5]));
        using DebPackageReader reader = DebPackageReader.Open(new ForwardOnlyStream(new MemoryStream(deb)), Name);
        Assert.That(reader.ReadDataEntries().Select(e => e.Name), Is.EqualTo(ExpectedNames));
    }

    [Test]
    public void ReadsEntryDataAsAStream()
    {
        using DebPackageReader reader = DebPackageReader.Open(new ForwardOnlyStream(new MemoryStream(Valid())), Name);
        var contents = new List<string>();
        foreach (TarEntry entry in reader.ReadDataEntries())
        {
            using var text = new StreamReader(entry.OpenData(), Encoding.UTF8);
            contents.Add(text.ReadToEnd());
        }
        Assert.That(contents, Is.EqualTo(ExpectedContents));
    }

    /// <summary>A seekable stream the caller keeps: still open after the reader, which seeks past the data member (its truncation check), is done.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public void LeavesTheCallersStreamOpenWhenAsked(bool leaveOpen)
    {
        byte[] deb = Valid();
        var stream = new MemoryStream(deb);
        using (DebPackageReader reader = DebPackageReader.Open(stream, Name, leaveOpen))
        {
            Assert.That(reader.ReadDataEntries().Select(e => e.Name), Is.EqualTo(ExpectedNames));
        }

        Assert.That(stream.CanRead, Is.EqualTo(leaveOpen));
        if (leaveOpen)
        {
            Assert.That(stream.Position, Is.EqualTo(deb.Length), "read to the end of the package");
        }
    }

    [Test]
    public void AcceptsAControlFileMissingItsFinalNewlineButRejectsDuplicateFields()
    {
        byte[] control = RawAr.Gzip(new RawTarBuilder().Add("./control", data: "Package: a\nVersion: 1\nPackage: b\n"u8.ToArray()).Build());
        using DebPackageReader reader = DebPackageReader.Open(new MemoryStream(Deb(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", control), ("data.tar", Data))), Name);
        InvalidPackageException error = Assert.Throws<InvalidPackageException>(() => _ = reader.Fields)!;
        Assert.That(error.Message, Does.StartWith(Name + ": control: ").And.Contain("duplicate field 'Package'"));
    }

    [Test]
    public void CorruptCompressedDataNamesTheMemberAndHowFarItGot()
    {
        // Big enough that the decoder hands out data before it reaches the damaged trailer (the CRC).
        byte[] gzip = RawAr.Gzip(new RawTarBuilder().Add("./big", data: new byte[1 << 20]).Build());
        using DebPackageReader reader = DebPackageReader.Open(new MemoryStream(Valid(Tamper(gzip, gzip.Length - 6), "data.tar.gz")), Name);
        InvalidPackageException error = Assert.Throws<InvalidPackageException>(() => reader.ReadDataEntries().ToList())!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Member, Is.EqualTo("data.tar.gz"));
            Assert.That(error.Offset, Is.GreaterThan(0), "the damage (the CRC) is at the end of the stream");
            Assert.That(error.Message, Does.StartWith(Name + ": data.tar.gz: corrupt compressed data"));
        });
    }

    [Test]
    public void ACorruptTarHeaderNamesTheMemberAndTheHeadersOffset()
    {
        using DebPackageReader reader = DebPackageReader.Open(new MemoryStream(Valid(Tamper(Data, 512 + 20))), Name);
        InvalidPackageException error = Assert.Throws<InvalidPackageException>(() => reader.ReadDataEntries().ToList())!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Member, Is.EqualTo("data.tar"));
            Assert.That(error.Offset, Is.EqualTo(512), "the second header block");
        });
    }

    [Test]
    public void ADecodersOwnBugIsNotReportedAsCorruptData()
    {
        // Only the decoder's word that the data is bad makes a package invalid; a bug stays a bug.
        using var guard = new DecompressionGuard(new ThrowingStream(new InvalidOperationException("bug")), "x.deb: data.tar.xz", "data.tar.xz");
        Assert.Throws<InvalidOperationException>(() => guard.ReadByte());
    }

    private sealed class ThrowingStream(Exception exception) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => throw exception;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Tamper(byte[] data, int offset)
    {
        byte[] copy = (byte[])data.Clone();
        copy[offset] ^= 0x5a;
        return copy;
    }
}
