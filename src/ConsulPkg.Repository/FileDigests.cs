using System.Security.Cryptography;

namespace ConsulPkg.Repository;

/// <summary>The size and the digests an apt index gives for a file, computed in one pass.</summary>
internal sealed record FileDigests(long Size, string Md5, string Sha256, string Sha512)
{
    public static FileDigests Of(ReadOnlySpan<byte> content) => new(
        content.Length,
#pragma warning disable CA5351 // MD5sum is a field of the Packages format (apt still reads it), not a security use.
        Convert.ToHexStringLower(MD5.HashData(content)),
#pragma warning restore CA5351
        Convert.ToHexStringLower(SHA256.HashData(content)),
        Convert.ToHexStringLower(SHA512.HashData(content)));

    public static FileDigests OfFile(string path)
    {
#pragma warning disable CA5351 // see above
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            sha256.AppendData(buffer, 0, read);
            sha512.AppendData(buffer, 0, read);
            size += read;
        }

        return new FileDigests(
            size,
            Convert.ToHexStringLower(md5.GetHashAndReset()),
            Convert.ToHexStringLower(sha256.GetHashAndReset()),
            Convert.ToHexStringLower(sha512.GetHashAndReset()));
    }
}
