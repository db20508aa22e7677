using System.IO.Hashing;
using ConsulPkg.Debian;
using SharpCompress.Archives;
using SharpCompress.Archives.Zip;

namespace ConsulPkg.Consul;

/// <summary>
/// Takes the <c>consul</c> executable out of a verified release zip. Only that entry is written
/// (newer zips also hold LICENSE.txt); a zip with a path-traversal entry, without <c>consul</c>, or
/// whose <c>consul</c> would inflate beyond <see cref="DefaultMaxBytes"/> is refused.
/// </summary>
/// <remarks>
/// One reading, by SharpCompress: it reads the directory, on which every check of names, sizes
/// and file type is made, and inflates the entry to the end of its deflate stream, not to the
/// declared size, so that data past the declared size shows instead of being cut off. Neither it
/// nor the BCL's ZipArchive checks the CRC-32, so it is checked here. (Why not the BCL's
/// ZipArchive, which inflates faster: src/ConsulPkg.Debian/DECISIONS.md.)
/// </remarks>
internal static class ConsulBinaryExtractor
{
    public const string EntryName = "consul";

    /// <summary>Consul binaries are ~40-150 MiB; 512 MiB is well above and stops a zip bomb.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>S_IFMT and S_IFLNK in the high half of a zip entry's external attributes, where a Unix zip keeps st_mode.</summary>
    private const int FileTypeMask = 0xF000 << 16;
    private const int SymbolicLink = 0xA000 << 16;

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

            if (consul.Attrib is int attributes && (attributes & FileTypeMask) == SymbolicLink)
            {
                throw new PackageException($"'{EntryName}' in {zipName} is a symbolic link, not the program: refusing it; download the release again");
            }

            Inflate(zipName, consul, destinationPath, maxBytes, cancellationToken);
        }
        catch (PackageException)
        {
            File.Delete(destinationPath);
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or SharpCompress.Common.ArchiveException or NotSupportedException)
        {
            File.Delete(destinationPath);
            throw new PackageException($"{zipName} is not a readable zip ({MessageText.Flatten(e.Message)}): download it again", e);
        }
    }

    private static void Inflate(string zipName, IArchiveEntry consul, string destinationPath, long maxBytes, CancellationToken cancellationToken)
    {
        var crc = new Crc32();
        long total = 0;
        using (Stream input = consul.OpenEntryStream())
        using (var output = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
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
