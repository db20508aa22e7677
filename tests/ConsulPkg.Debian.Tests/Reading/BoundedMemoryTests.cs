using System.IO.Compression;
using System.Text;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary>
/// A small package must not make the reader hold much: extension headers and control files are
/// what the file says they are, not what it compresses to. Allocation on the reading thread is
/// the measure (it bounds the managed peak from above).
/// </summary>
[TestFixture]
public sealed class BoundedMemoryTests
{
    private const long Budget = 32L << 20;

    [TestCase('g')]
    [TestCase('x')]
    public void HundredsOfMegabyteExtensionHeadersAreNotKept(char type)
    {
        // 100 records of 1 MiB, each with its own keyword: before, every one was kept.
        byte[] data = GzipTar(tar =>
        {
            for (int i = 0; i < 100; i++)
            {
                WriteEntry(tar, "./PaxHeaders/h", type, PaxRecord($"comment{i:D4}", (1 << 20) - 512));
            }
            WriteEntry(tar, "./f", '0', "a"u8.ToArray());
        });
        Assert.That(data.Length, Is.LessThan(1 << 20), "the package itself is small");
        byte[] deb = RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", RawAr.ControlTarGz()), ("data.tar.gz", data));

        long before = GC.GetAllocatedBytesForCurrentThread();
        using (DebPackageReader reader = DebPackageReader.Open(new MemoryStream(deb), "big.deb"))
        {
            Assert.That(reader.ReadDataEntries().Select(e => e.Name), Is.EqualTo(new[] { "./f" }));
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(Budget));
    }

    [Test]
    public void AControlMemberHoldingA63MegabyteFileIsMeasuredNotBuffered()
    {
        byte[] control = GzipTar(tar =>
        {
            WriteEntry(tar, "./control", '0', "Package: big\nVersion: 1\nArchitecture: all\nMaintainer: T <t@example.org>\nDescription: big\n"u8.ToArray());
            WriteEntry(tar, "./md5sums", '0', Encoding.ASCII.GetBytes(new string('0', 63 << 20)));
        });
        byte[] deb = RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar.gz", control), ("data.tar", new RawTarBuilder().Build()));

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var output = new MemoryStream();
        using (DebPackageReader reader = DebPackageReader.Open(new MemoryStream(deb), "big.deb"))
        {
            reader.WriteInfo(output);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(Budget));
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Does.Contain($" {63 << 20} bytes,     0 lines      md5sums"));
    }

    private static byte[] GzipTar(Action<Stream> write)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            write(gzip);
            gzip.Write(new byte[1024]);
        }
        return output.ToArray();
    }

    private static void WriteEntry(Stream tar, string name, char type, byte[] data)
    {
        byte[] header = new RawTarBuilder().Add(name, type).Build(endBlocks: false);
        RawTarBuilder.Octal(header, 124, 12, data.Length);
        Array.Fill(header, (byte)0, 148, 8);
        RawTarBuilder.SetChecksum(header);
        tar.Write(header);
        tar.Write(data);
        tar.Write(new byte[(512 - (data.Length % 512)) % 512]);
    }

    /// <summary>One pax record "LEN key=vvv...\n" of exactly <paramref name="length"/> bytes.</summary>
    private static byte[] PaxRecord(string key, int length)
    {
        string prefix = $"{length} {key}=";
        return Encoding.ASCII.GetBytes(prefix + new string('v', length - prefix.Length - 1) + "\n");
    }
}
