using System.Security.Cryptography;

namespace ConsulPkg.Repository.Tests.Support;

/// <summary>Every file of a repository with its SHA-256 and mode: equal snapshots mean nothing changed.</summary>
internal static class RepositorySnapshot
{
    public static Dictionary<string, string> Take(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).ToDictionary(
                p => Path.GetRelativePath(root, p),
                p => File.Exists(p) ? $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p)))} {File.GetUnixFileMode(p)}" : "directory",
                StringComparer.Ordinal)
            : [];
}
