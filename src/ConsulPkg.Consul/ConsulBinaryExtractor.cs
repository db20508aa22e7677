using ConsulPkg.Debian;
using SharpCompress.Archives;
using SharpCompress.Archives.Zip;

namespace ConsulPkg.Consul;

/// <summary>
/// Takes the <c>consul</c> executable out of a verified release zip. Only that entry is written
/// (newer zips also hold LICENSE.txt); a zip with a path-traversal entry, without <c>consul</c>, or
/// whose <c>consul</c> would inflate beyond <see cref="DefaultMaxBytes"/> is refused.
/// </summary>
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

            using Stream input = consul.OpenEntryStream();
            using var output = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None);
            byte[] buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > maxBytes) // the declared size can lie
                {
                    throw new PackageException($"'{EntryName}' in {zipName} inflates past the {maxBytes} bytes allowed: refusing a possible zip bomb");
                }

                output.Write(buffer, 0, read);
            }
        }
        catch (PackageException)
        {
            File.Delete(destinationPath);
            throw;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException or NotSupportedException
                                   or SharpCompress.Common.ArchiveException)
        {
            File.Delete(destinationPath);
            throw new PackageException($"{zipName} is not a readable zip ({e.Message.Split('\n')[0]}): download it again", e);
        }
    }
}
