using System.IO.Hashing;
using ConsulPkg.Debian;
using SharpCompress.Archives;
using SharpCompress.Archives.Zip;
using SharpCompress.Common;
using System.IO.Compression;
using ZipArchive = SharpCompress.Archives.Zip.ZipArchive;

namespace ConsulPkg.Consul;

/// <summary>
/// Takes the <c>consul</c> executable out of a verified release zip. Only that entry is written
/// (newer zips also hold LICENSE.txt); a zip with a path-traversal entry, without <c>consul</c>, or
/// whose <c>consul</c> would inflate beyond <see cref="DefaultMaxBytes"/> is refused.
/// </summary>
/// <remarks>
/// SharpCompress reads the directory and makes every check on names and sizes. The bytes are
/// inflated by the BCL's DeflateStream, native zlib-ng (SharpCompress's managed inflate took
/// most of a second of CPU for a 40 MB binary, about 4x more), from the place
/// <see cref="ZipDirectoryEntry"/> finds in the zip's own central directory. Both readings must
/// agree on the entry's sizes and CRC-32, the deflate stream must end exactly at the declared
/// size with that CRC, and the entry must not be a symbolic link, so a zip that parses two
/// ways is refused rather than half-trusted.
/// </remarks>
internal static class ConsulBinaryExtractor
{
    public const string EntryName = "consul";

    /// <summary>Consul binaries are ~40-150 MiB; 512 MiB is well above and stops a zip bomb.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>Streams the <c>consul</c> entry of <paramref name="zipPath"/> to <paramref name="destinationPath"/>.</summary>
    public static void Extract(string zipPath, string destinationPath, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
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

            Inflate(zipPath, zipName, consul, destinationPath, maxBytes, cancellationToken);
        }
        catch (PackageException)
        {
            File.Delete(destinationPath);
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or SharpCompress.Common.ArchiveException)
        {
            File.Delete(destinationPath);
            throw new PackageException($"{zipName} is not a readable zip ({MessageText.Flatten(e.Message)}): download it again", e);
        }
    }

    private static void Inflate(string zipPath, string zipName, IArchiveEntry consul, string destinationPath, long maxBytes, CancellationToken cancellationToken)
    {
        using var file = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        ZipDirectoryEntry entry = ZipDirectoryEntry.Find(file, EntryName)
            ?? throw new PackageException($"{zipName} describes its '{EntryName}' entry inconsistently (the central directory does not list it): download it again");
        if (entry.Size != consul.Size || entry.CompressedSize != consul.CompressedSize || entry.Crc32 != unchecked((uint)consul.Crc)
            || entry.Method is not (ZipDirectoryEntry.Stored or ZipDirectoryEntry.Deflated))
        {
            throw new PackageException($"{zipName} describes its '{EntryName}' entry inconsistently (size, CRC or method): download it again");
        }

        if (entry.IsSymbolicLink)
        {
            throw new PackageException($"'{EntryName}' in {zipName} is a symbolic link, not the program: refusing it; download the release again");
        }

        var crc = new Crc32();
        long total = 0;
        file.Position = entry.DataOffset(file);
        using (var compressed = new WindowStream(file, entry.CompressedSize))
        using (Stream input = entry.Method == ZipDirectoryEntry.Deflated ? new DeflateStream(compressed, CompressionMode.Decompress) : compressed)
        using (var output = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            // Inflated to the end of the deflate stream, not to the declared size: data past the
            // declared size is a damaged or doctored zip, never silently cut off.
            byte[] buffer = new byte[1 << 17];
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
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
            throw new PackageException($"'{EntryName}' in {zipName} is corrupt (it inflates to {total} bytes with another CRC-32 than the {consul.Size} bytes its directory declares): download it again");
        }
    }
}
