using System.Buffers.Binary;
using System.Text;
using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Tests;

[TestFixture]
public sealed class ExtractorAndParsingTests
{
    private static string WriteZip(TempDirectory dir, params (string Name, byte[] Content)[] entries)
    {
        string path = dir.Combine("release.zip");
        File.WriteAllBytes(path, FakeRelease.MakeZip(entries));
        return path;
    }

    [Test]
    public void ExtractsOnlyTheConsulEntry()
    {
        using var dir = new TempDirectory();
        string zip = WriteZip(dir, ("LICENSE.txt", "licence"u8.ToArray()), ("consul", "#!/bin/sh\n"u8.ToArray()));
        string output = dir.Combine("consul.bin");
        ConsulBinaryExtractor.Extract(zip, output);
        Assert.That(File.ReadAllText(output), Is.EqualTo("#!/bin/sh\n"));
        Assert.That(Directory.GetFiles(dir.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "release.zip", "consul.bin" }));
    }

    [Test]
    public void ZipWithoutConsulIsRefused()
    {
        using var dir = new TempDirectory();
        string zip = WriteZip(dir, ("LICENSE.txt", "licence"u8.ToArray()), ("bin/consul", "x"u8.ToArray()));
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(zip, dir.Combine("out")));
        Assert.That(e!.Message, Is.EqualTo("release.zip has no 'consul' entry at its top level: is it a Consul release zip?"));
        Assert.That(File.Exists(dir.Combine("out")), Is.False);
    }

    [TestCase("../consul")]
    [TestCase("../../etc/cron.d/evil")]
    [TestCase("/etc/passwd")]
    public void ZipWithATraversalEntryIsRefused(string name)
    {
        using var dir = new TempDirectory();
        string zip = WriteZip(dir, ("consul", "#!/bin/sh\n"u8.ToArray()), (name, "x"u8.ToArray()));
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(zip, dir.Combine("out")));
        Assert.That(e!.Message, Does.Contain($"unsafe path '{name}'"));
        Assert.That(File.Exists(dir.Combine("out")), Is.False);
    }

    [Test]
    public void AConsulEntryThatIsASymlinkIsRefused()
    {
        using var dir = new TempDirectory();
        byte[] zip = FakeRelease.MakeZip(("consul", "/usr/bin/consul"u8.ToArray()));
        // Unix host, S_IFLNK|0777 in the high half of the external attributes, as zip -y stores a link.
        PatchDirectory(zip, "consul", (entry, _) => BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(38), 0xA1FFu << 16));
        string path = dir.Combine("release.zip");
        File.WriteAllBytes(path, zip);
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(path, dir.Combine("out")));
        Assert.That(e!.Message, Does.Contain("'consul' in release.zip is a symbolic link"));
        Assert.That(File.Exists(dir.Combine("out")), Is.False);
    }

    [Test]
    public void AnEntryThatInflatesPastItsDeclaredSizeIsRefusedEvenWithAMatchingCrc()
    {
        using var dir = new TempDirectory();
        byte[] content = Enumerable.Range(0, 3000).Select(i => (byte)(i * 31)).ToArray();
        byte[] zip = FakeRelease.MakeZip(("consul", content));
        // Declare only the first 1000 bytes, with their CRC: cut there, the entry would look whole.
        uint prefixCrc = System.IO.Hashing.Crc32.HashToUInt32(content.AsSpan(0, 1000));
        PatchDirectory(zip, "consul", (entry, local) =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(16), prefixCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(24), 1000);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(14), prefixCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(22), 1000);
        });
        string path = dir.Combine("release.zip");
        File.WriteAllBytes(path, zip);
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(path, dir.Combine("out")));
        Assert.That(e!.Message, Does.Contain("inflates to 3000 bytes").And.Contain("1000 bytes its directory declares"));
        Assert.That(File.Exists(dir.Combine("out")), Is.False);
    }

    [Test]
    public void AnEntryWhoseCrcDoesNotMatchItsDataIsRefused()
    {
        using var dir = new TempDirectory();
        byte[] zip = FakeRelease.MakeZip(("consul", "#!/bin/sh\necho consul\n"u8.ToArray()));
        // The zip readers inflate without checking the CRC-32; the extractor checks it.
        PatchDirectory(zip, "consul", (entry, local) =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(16), 0x12345678);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(14), 0x12345678);
        });
        string path = dir.Combine("release.zip");
        File.WriteAllBytes(path, zip);
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(path, dir.Combine("out")));
        Assert.That(e!.Message, Does.StartWith("'consul' in release.zip is corrupt").And.EndWith("download it again"));
        Assert.That(File.Exists(dir.Combine("out")), Is.False);
    }

    /// <summary>Lets <paramref name="patch"/> edit the central directory record and local header of <paramref name="name"/> in place.</summary>
    private static void PatchDirectory(byte[] zip, string name, Action<ArraySegment<byte>, ArraySegment<byte>> patch)
    {
        byte[] wanted = Encoding.UTF8.GetBytes(name);
        for (int at = 0; at + 46 <= zip.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) == 0x02014b50
                && zip.AsSpan(at + 46, BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28))).SequenceEqual(wanted))
            {
                int local = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 42));
                patch(new ArraySegment<byte>(zip, at, 46), new ArraySegment<byte>(zip, local, 30));
                return;
            }
        }

        Assert.Fail($"no central directory record for {name}");
    }

    [Test]
    public void OversizedEntryIsRefusedAsAZipBomb()
    {
        using var dir = new TempDirectory();
        string zip = WriteZip(dir, ("consul", new byte[64 * 1024])); // compresses to almost nothing
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(zip, dir.Combine("out"), maxBytes: 4096));
        Assert.That(e!.Message, Does.Contain("more than the 4096 allowed").And.Contain("zip bomb"));
        Assert.That(File.Exists(dir.Combine("out")), Is.False);
    }

    [Test]
    public void CorruptCompressedDataIsRefused()
    {
        using var dir = new TempDirectory();
        byte[] content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i * 7919 % 10007}\n")));
        string zip = WriteZip(dir, ("consul", content));
        byte[] bytes = File.ReadAllBytes(zip);
        int dataStart = 30 + BitConverter.ToUInt16(bytes, 26) + BitConverter.ToUInt16(bytes, 28); // local header of the first entry
        bytes[dataStart + 200] ^= 0x55;
        File.WriteAllBytes(zip, bytes);

        // Either the inflater stops on it or the size and CRC-32 check catches what it made of it.
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(zip, dir.Combine("out")));
        Assert.That(e!.Message, Does.Contain("release.zip").And.EndWith("download it again"));
        Assert.That(File.Exists(dir.Combine("out")), Is.False);
    }

    [Test]
    public void NotAZipIsRefused()
    {
        using var dir = new TempDirectory();
        string zip = dir.WriteFile("release.zip", "<html>mirror error page</html>");
        var e = Assert.Throws<PackageException>(() => ConsulBinaryExtractor.Extract(zip, dir.Combine("out")));
        Assert.That(e!.Message, Does.StartWith("release.zip is not a readable zip"));
    }

    [Test]
    public void SumsParserPicksTheExactName()
    {
        string a = new('a', 64), b = new('b', 64);
        byte[] sums = Encoding.ASCII.GetBytes($"{a}  consul_0.7.2_linux_amd64.zip.asc\n{b}  consul_0.7.2_linux_amd64.zip\n");
        Assert.That(Sha256Sums.FindHash(sums, "consul_0.7.2_linux_amd64.zip", "SUMS"), Is.EqualTo(b));
    }

    [Test]
    public void SumsListingTheNameTwiceIsRefused()
    {
        string a = new('a', 64), b = new('b', 64);
        byte[] sums = Encoding.ASCII.GetBytes($"{a}  x.zip\n{b}  x.zip\n");
        var e = Assert.Throws<PackageException>(() => Sha256Sums.FindHash(sums, "x.zip", "SUMS"));
        Assert.That(e!.Message, Is.EqualTo("SUMS lists x.zip twice"));
    }

    [TestCase("amd64", "amd64")]
    [TestCase("i386", "386")]
    [TestCase("armhf", "arm")]
    [TestCase("arm64", "arm64")]
    public void DebianArchitecturesMapToHashiCorpNames(string debian, string hashiCorp)
    {
        var release = new ConsulRelease("0.7.2", debian);
        Assert.That(release.ZipName, Is.EqualTo($"consul_0.7.2_linux_{hashiCorp}.zip"));
        Assert.That(release.UrlOf(new Uri("https://mirror.test.invalid/hashicorp"), release.ZipName).ToString(),
            Is.EqualTo($"https://mirror.test.invalid/hashicorp/consul/0.7.2/consul_0.7.2_linux_{hashiCorp}.zip"));
    }

    [Test]
    public void UnknownArchitectureIsRefused()
    {
        var e = Assert.Throws<PackageException>(() => new ConsulRelease("0.7.2", "x86_64"));
        Assert.That(e!.Message, Does.StartWith("unsupported architecture 'x86_64': use one of amd64, i386, armhf, arm64"));
    }

    [Test]
    public void AReleaseUrlIsHttpOrHttpsAndAnotherIsRefusedNamingItsSource()
    {
        Assert.That(ConsulRelease.ParseBaseUrl("http://a.test.invalid/", "test").Host, Is.EqualTo("a.test.invalid"));
        var e = Assert.Throws<PackageException>(() => ConsulRelease.ParseBaseUrl("ftp://c.test.invalid/", "the source"));
        Assert.That(e!.Message, Does.StartWith("invalid release URL 'ftp://c.test.invalid/' from the source: give an absolute http:// or https:// URL"));
    }

    [Test]
    public void ShippedHashiCorpKeyIsTheCurrentReleaseKey()
    {
        Assert.That(ReleaseKeys.Load([]).Fingerprints, Is.EqualTo(new[] { "C874011F0AB405110D02105534365D9472D7468F" }));
    }

    [Test]
    public void TheRevokedOldKeyShipsBesideTheBinaryForExplicitUseOnly()
    {
        string file = Path.Combine(AppContext.BaseDirectory, "keys", "hashicorp-348FFC4C-revoked.asc");
        Assert.That(ReleaseKeys.Load([file]).Fingerprints, Is.EqualTo(new[]
        {
            "C874011F0AB405110D02105534365D9472D7468F", "91A6E7F85D05C65630BEF18951852D87348FFC4C",
        }));
    }

    [Test]
    public void AFileThatIsNotAKeyIsRefused()
    {
        using var dir = new TempDirectory();
        string file = dir.WriteFile("key.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n");
        var e = Assert.Throws<PackageException>(() => ReleaseKeys.Load([file]));
        Assert.That(e!.Message, Does.Contain($"'{file}'"));
    }

    [TestCase("/srv/cache", "/home/u", "/srv/cache/consul-pkg")]
    [TestCase(null, "/home/u", "/home/u/.cache/consul-pkg")]
    [TestCase("relative/cache", "/home/u", "/home/u/.cache/consul-pkg")] // the XDG spec says to ignore relative paths
    public void CacheFollowsTheXdgBaseDirectorySpec(string? xdg, string home, string expected)
    {
        Assert.That(DownloadCache.Locate(xdg, home)?.Directory, Is.EqualTo(expected));
    }

    [Test]
    public void PinTableHoldsTheKnownReleases()
    {
        Assert.That(PinnedHashes.For("consul_0.7.2_linux_amd64.zip"), Is.EqualTo("aa97f4e5a552d986b2a36d48fdc3a4a909463e7de5f726f3c5a89b8a1be74a58"));
        Assert.That(PinnedHashes.All, Has.Count.EqualTo(8));
    }
}
