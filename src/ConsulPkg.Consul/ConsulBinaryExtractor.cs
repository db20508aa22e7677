using System.IO.Hashing;
using ConsulPkg.Debian;
using SharpCompress.Archives;
using SharpCompress.Archives.Zip;
using SharpCompress.Common;
using BclZipArchive = System.IO.Compression.ZipArchive;
using BclZipArchiveEntry = System.IO.Compression.ZipArchiveEntry;

namespace ConsulPkg.Consul;

/// <summary>
/// Takes the <c>consul</c> executable out of a verified release zip. Only that entry is written
/// (newer zips also hold LICENSE.txt); a zip with a path-traversal entry, without <c>consul</c>, or
/// whose <c>consul</c> would inflate beyond <see cref="DefaultMaxBytes"/> is refused.
/// </summary>
/// <remarks>
/// SharpCompress reads the directory and makes every check on names and sizes. The bytes are
/// inflated by the BCL's zip reader, whose DeflateStream is native zlib-ng: SharpCompress's
/// managed inflate took most of a second of CPU for a 40 MB binary, about 4x more. Both readers
/// must agree on the entry's sizes and CRC-32, and the inflated bytes must match that CRC and
/// size, so a zip that the two parse differently is refused rather than half-trusted.
/// </remarks>
public static class ConsulBinaryExtractor
{
    public const string EntryName = "consul";

    /// <summary>Consul binaries are ~40-150 MiB; 512 MiB is well above and stops a zip bomb.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>Streams the <c>consul</c> entry of <paramref name="zipPath"/> to <paramref name="destinationPath"/>.</summary>
    public static void Extract(string zipPath, string destinationPath, long maxBytes = DefaultMaxBytes)
    {
        string zipName = Path.GetFileName(zipPath);
        try
        {
            using IArchive archive = ZipArchive.OpenArchive(zipPath);
            IArchiveEntry? consul = null;
            foreach (IArchiveEntry entry in archive.Entries)
            {
                string key = entry.Key ?? "";
                string normalized = key.Replace('\\', '/');
                if (normalized.StartsWith('/') || normalized.Split('/').Contains("..") || normalized.Contains(':', StringComparison.Ordinal))
                {
                    throw new PackageException($"{zipName} holds an entry with an unsafe path '{key}': refusing a zip that could write outside its directory");
                }

                if (!entry.IsDirectory && string.Equals(normalized, EntryName, StringComparison.Ordinal))
                {
                    consul = entry;
                }
            }

            if (consul is null)
            {
                throw new PackageException($"{zipName} has no '{EntryName}' entry at its top level: is it a Consul release zip?");
            }

            if (consul.Size > maxBytes)
            {
                throw new PackageException($"'{EntryName}' in {zipName} would be {consul.Size} bytes, more than the {maxBytes} allowed: refusing a possible zip bomb");
            }

            Inflate(zipPath, zipName, consul, destinationPath, maxBytes);
        }
        catch (PackageException)
        {
            File.Delete(destinationPath);
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or SharpCompress.Common.ArchiveException)
        {
            File.Delete(destinationPath);
            throw new PackageException($"{zipName} is not a readable zip ({e.Message.Split('\n')[0]}): download it again", e);
        }
    }

    private static void Inflate(string zipPath, string zipName, IArchiveEntry consul, string destinationPath, long maxBytes)
    {
        using var zip = new BclZipArchive(new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16), System.IO.Compression.ZipArchiveMode.Read);
        BclZipArchiveEntry? entry = zip.GetEntry(EntryName);
        if (entry is null || entry.Length != consul.Size || entry.CompressedLength != consul.CompressedSize || entry.Crc32 != unchecked((uint)consul.Crc)
            || consul.CompressionType is not (CompressionType.Deflate or CompressionType.None))
        {
            throw new PackageException($"{zipName} describes its '{EntryName}' entry inconsistently (size, CRC or method): download it again");
        }

        var crc = new Crc32();
        long total = 0;
        using (Stream input = entry.Open())
        using (var output = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            byte[] buffer = new byte[1 << 17];
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > maxBytes) // the declared size can lie
                {
                    throw new PackageException($"'{EntryName}' in {zipName} inflates past the {maxBytes} bytes allowed: refusing a possible zip bomb");
                }

                crc.Append(buffer.AsSpan(0, read));
                output.Write(buffer, 0, read);
            }
        }

        if (total != consul.Size || crc.GetCurrentHashAsUInt32() != unchecked((uint)consul.Crc))
        {
            throw new PackageException($"'{EntryName}' in {zipName} is corrupt (its size or CRC-32 does not match the zip directory): download it again");
        }
    }
}
