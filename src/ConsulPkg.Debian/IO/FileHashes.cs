using System.Security.Cryptography;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// A file's size and several digests of it in one read, as lower-case hex: the indices and
/// upload files that list a package give its size with MD5 (a format field, not a security use),
/// SHA-1, SHA-256 or SHA-512 side by side.
/// </summary>
public static class FileHashes
{
    public static (long Size, string[] Hex) Of(string path, params HashAlgorithmName[] algorithms)
    {
        ArgumentNullException.ThrowIfNull(algorithms);
#pragma warning disable CA5350, CA5351 // MD5 and SHA-1 are fields of Debian's file formats (apt and dpkg still read them), not security uses.
        IncrementalHash[] hashes = algorithms.Select(IncrementalHash.CreateHash).ToArray();
#pragma warning restore CA5350, CA5351
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            byte[] buffer = new byte[1 << 16];
            long size = 0;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                foreach (IncrementalHash hash in hashes)
                {
                    hash.AppendData(buffer, 0, read);
                }

                size += read;
            }

            return (size, hashes.Select(h => Convert.ToHexStringLower(h.GetHashAndReset())).ToArray());
        }
        finally
        {
            foreach (IncrementalHash hash in hashes)
            {
                hash.Dispose();
            }
        }
    }
}
