using System.Security.Cryptography;
using ConsulPkg.Debian.IO;

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
        (long size, string[] hex) = FileHashes.Of(path, HashAlgorithmName.MD5, HashAlgorithmName.SHA256, HashAlgorithmName.SHA512);
        return new FileDigests(size, hex[0], hex[1], hex[2]);
    }
}
