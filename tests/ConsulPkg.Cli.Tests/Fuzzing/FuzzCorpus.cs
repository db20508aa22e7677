using System.Text;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Cli.Tests.Fuzzing;

/// <summary>A package taken apart: its members, the data and control tars before compression, and how each is compressed.</summary>
internal sealed record PackageParts(byte[] DataTar, CompressionFormat DataFormat, byte[] ControlTar, CompressionFormat ControlFormat)
{
    public static string MemberName(string prefix, CompressionFormat format) => prefix + CompressionSettings.SuffixOf(format);

    /// <summary>The .deb, with any ar member replaced by raw bytes (for damage to the compressed stream itself).</summary>
    public byte[] Assemble(byte[]? rawData = null, byte[]? rawControl = null) => RawAr.Build(
        ("debian-binary", RawAr.DebianBinary),
        (MemberName("control.tar", ControlFormat), rawControl ?? Compress(ControlTar, ControlFormat)),
        (MemberName("data.tar", DataFormat), rawData ?? Compress(DataTar, DataFormat)));

    public static byte[] Compress(byte[] data, CompressionFormat format)
    {
        using var output = new MemoryStream();
        // Level 1: fast to make, and the reader sees the same formats as at any level.
        using (Stream compressor = Compressors.OpenCompressor(output, format, level: format == CompressionFormat.None ? null : 1, threads: 1))
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }
}

/// <summary>
/// The packages the fuzzer mutates: every kind of entry and extension header the reader
/// handles, with each member compression dpkg writes. Deterministic: no clock, no randomness.
/// </summary>
internal static class FuzzCorpus
{
    public static readonly CompressionFormat[] DataFormats = [CompressionFormat.None, CompressionFormat.Gzip, CompressionFormat.Xz, CompressionFormat.Zstd];
    public static readonly CompressionFormat[] ControlFormats = [CompressionFormat.Gzip, CompressionFormat.Xz, CompressionFormat.None];

    public static readonly byte[] ControlFile = Encoding.ASCII.GetBytes(
        "Package: fuzz\nVersion: 1:2.0-1\nArchitecture: all\nMaintainer: Fuzz <fuzz@example.org>\n" +
        "Depends: libc6 (>= 2.36), adduser\nInstalled-Size: 12\nDescription: fuzzing base\n more text\n .\n end\n");

    public static byte[] DataTar()
    {
        string longName = "./usr/share/fuzz/" + new string('n', 120);
        return new RawTarBuilder()
            .Add("./", '5', 0x1ed)
            .Add("./usr/", '5', 0x1ed)
            .Add("./usr/bin/", '5', 0x1ed)
            .Add("./usr/bin/tool", mode: 0x1ed, data: Enumerable.Range(0, 1500).Select(i => (byte)(i * 7)).ToArray())
            .Add("./usr/bin/link", '2', 0x1ff, link: "tool")
            .Add("./usr/bin/hard", '1', link: "./usr/bin/tool")
            .Add("./usr/share/", '5', 0x1ed)
            .Add("./usr/share/fuzz/", '5', 0x1ed)
            .Add("././@LongLink", 'L', data: Encoding.ASCII.GetBytes(longName + "\0"), magic: "ustar  \0")
            .Add(longName[..99], data: "long\n"u8.ToArray(), magic: "ustar  \0")
            .AddPax(("path", "./usr/share/fuzz/pax-named"), ("mtime", "1480956780.5"), ("uname", "paxuser"))
            .Add("./usr/share/fuzz/short", data: "pax\n"u8.ToArray())
            .AddPax([("gname", "globalgroup")], 'g')
            .Add("./etc/", '5', 0x1ed)
            .Add("./etc/fuzz.conf", mode: 0x1a0, data: "key=value\n"u8.ToArray())
            .Add("./var/fifo", '6', 0x1a4)
            .Add("./up", '2', 0x1ff, link: "..")
            .Add("./escape", '2', 0x1ff, link: "../outside")
            .Build();
    }

    public static byte[] ControlTar(byte[]? controlFile = null) => new RawTarBuilder()
        .Add("./", '5', 0x1ed)
        .Add("./control", data: controlFile ?? ControlFile)
        .Add("./postinst", mode: 0x1ed, data: "#!/bin/sh\nset -e\nexit 0\n"u8.ToArray())
        .Add("./md5sums", data: "0123456789abcdef0123456789abcdef  usr/bin/tool\n"u8.ToArray())
        .Add("./conffiles", data: "/etc/fuzz.conf\n"u8.ToArray())
        .Build();
}
