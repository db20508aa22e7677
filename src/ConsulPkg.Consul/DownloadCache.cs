using System.Security.Cryptography;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Consul;

/// <summary>
/// Verified release files kept between runs, under <c>$XDG_CACHE_HOME/consul-pkg</c> (else
/// <c>~/.cache/consul-pkg</c>). Zips are stored by their verified SHA-256; SHA256SUMS and its
/// signature by name, to be re-verified against the trusted keys on every use. Nothing enters the
/// cache before it was verified, and every zip is re-hashed before it is used.
/// </summary>
public sealed class DownloadCache
{
    public string Directory { get; }

    public DownloadCache(string directory) => Directory = directory;

    /// <summary>The default location per the XDG base directory spec.</summary>
    public static DownloadCache Default(Func<string, string?>? getEnvironmentVariable = null)
    {
        string? xdg = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine((getEnvironmentVariable ?? Environment.GetEnvironmentVariable)("HOME") is { Length: > 0 } home
                ? home
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new DownloadCache(Path.Combine(root, "consul-pkg"));
    }

    private string ZipPath(string sha256) => Path.Combine(Directory, "sha256", sha256 + ".zip");

    private string MetaPath(string name) => Path.Combine(Directory, "sums", name);

    /// <summary>The cached zip with this hash, re-verified; null (and the bad entry removed) otherwise.</summary>
    public string? TryGetZip(string sha256)
    {
        string path = ZipPath(sha256);
        if (!File.Exists(path))
        {
            return null;
        }

        if (string.Equals(HashFile(path), sha256, StringComparison.Ordinal))
        {
            return path;
        }

        File.Delete(path); // corrupted or tampered: never use, fetch again
        return null;
    }

    /// <summary>Copies an already verified zip into the cache (atomically).</summary>
    public void PutZip(string verifiedZipPath, string sha256)
    {
        string path = ZipPath(sha256);
        if (File.Exists(path))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Copy(verifiedZipPath, path);
    }

    /// <summary>A cached SHA256SUMS or signature by file name, or null. The caller re-verifies it.</summary>
    public byte[]? TryGetMetadata(string name)
    {
        string path = MetaPath(name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public void PutMetadata(string name, ReadOnlySpan<byte> content)
    {
        string path = MetaPath(name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, content);
    }

    public void RemoveMetadata(string name) => File.Delete(MetaPath(name));

    internal static string HashFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
