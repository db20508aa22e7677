#:package SharpCompress
#:package System.IO.Hashing
#:property PublishAot=false

// Reads the `consul` entry of a release zip three ways, for build/bench-zip.sh, and prints one line
// per run: "READER WALL_SECONDS CPU_SECONDS". Usage: bench-zip ZIP RUNS OUTPUT_FILE
//   two-reads    SharpCompress reads the directory, the data is inflated by the BCL's DeflateStream
//                from the offset a second reading of the directory finds (the way before this change)
//   sharpcompress  SharpCompress reads the directory and inflates the entry itself
//   ziparchive   the BCL's System.IO.Compression.ZipArchive reads the directory and inflates
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using SharpCompress.Archives;

string zip = args[0];
int runs = int.Parse(args[1], CultureInfo.InvariantCulture);
string output = args[2];
var readers = new (string Name, Func<Stream> Open)[]
{
    ("two-reads", () => TwoReads(zip)),
    ("sharpcompress", () => SharpCompressEntry(zip)),
    ("ziparchive", () => BclEntry(zip)),
};

foreach (int _ in Enumerable.Range(0, runs))
{
    foreach ((string name, Func<Stream> open) in readers)
    {
        var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var crc = new Crc32();
        using (Stream entry = open())
        using (var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            byte[] buffer = new byte[1 << 17];
            int read;
            while ((read = entry.Read(buffer)) > 0)
            {
                crc.Append(buffer.AsSpan(0, read));
                file.Write(buffer, 0, read);
            }
        }

        process.Refresh();
        Console.WriteLine(FormattableString.Invariant($"{name} {clock.Elapsed.TotalSeconds:F3} {(process.TotalProcessorTime - cpu).TotalSeconds:F3} {crc.GetCurrentHashAsUInt32():x8}"));
    }
}

static Stream SharpCompressEntry(string zip)
{
    IArchive archive = SharpCompress.Archives.Zip.ZipArchive.OpenArchive(zip);
    return archive.Entries.First(e => e.Key == "consul").OpenEntryStream();
}

static Stream BclEntry(string zip) => ZipFile.OpenRead(zip).GetEntry("consul")!.Open();

static Stream TwoReads(string zip)
{
    using (IArchive archive = SharpCompress.Archives.Zip.ZipArchive.OpenArchive(zip))
    {
        _ = archive.Entries.First(e => e.Key == "consul").Crc;
    }

    // The second reading: the local header of the entry the central directory lists.
    var file = new FileStream(zip, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    byte[] tail = new byte[22];
    file.Position = file.Length - 22;
    file.ReadExactly(tail);
    long directory = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(16));
    byte[] entry = new byte[46];
    file.Position = directory;
    file.ReadExactly(entry);
    long local = BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(42));
    byte[] header = new byte[30];
    file.Position = local;
    file.ReadExactly(header);
    file.Position = local + 30 + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
    return new DeflateStream(file, CompressionMode.Decompress);
}
