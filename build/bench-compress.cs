#:project ../src/ConsulPkg.Debian/ConsulPkg.Debian.csproj
#:property PublishAot=false

// Compresses one file with consul-pkg's compressors and prints "seconds bytes", or with
// "decode" first, decompresses one and prints "seconds bytes-out".
// Driven by build/bench-compress.sh, which compares it with the reference tools.
// Usage: bench-compress FORMAT INPUT OUTPUT [LEVEL] [THREADS]
//        bench-compress decode FORMAT INPUT
using System.Diagnostics;
using System.Globalization;
using ConsulPkg.Debian.Compression;

if (args[0] == "decode")
{
    CompressionFormat decoded = Enum.Parse<CompressionFormat>(args[1], ignoreCase: true);
    var decodeClock = Stopwatch.StartNew();
    long total = 0;
    using (var compressed = new FileStream(args[2], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
    using (Stream decoder = Compressors.OpenDecompressor(compressed, decoded))
    {
        // 64 KiB reads, as the tar reader asks for them.
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = decoder.Read(buffer)) > 0;)
        {
            total += n;
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{decodeClock.Elapsed.TotalSeconds:F3} {total}"));
    return;
}

CompressionFormat format = Enum.Parse<CompressionFormat>(args[0], ignoreCase: true);
int? level = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null;
int? threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : null;
var clock = Stopwatch.StartNew();
using (var input = new FileStream(args[1], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
using (var output = new FileStream(args[2], FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
using (Stream compressor = Compressors.OpenCompressor(output, format, level, threads))
{
    input.CopyTo(compressor, 1 << 20);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F3} {new FileInfo(args[2]).Length}"));
