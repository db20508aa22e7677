using ConsulPkg.Debian.IO;

namespace ConsulPkg.Consul;

/// <summary>
/// Verified release files kept between runs, under <c>$XDG_CACHE_HOME/consul-pkg</c> (else
/// <c>~/.cache/consul-pkg</c>). Zips are stored by their verified SHA-256; SHA256SUMS and its
/// signature by name. Nothing enters the cache before it was verified, and nothing read from it
/// is trusted: <see cref="ReleaseFetcher"/> has every entry verified again on every use.
/// </summary>
public sealed class DownloadCache
{
    public string Directory { get; }

    public DownloadCache(string directory) => Directory = directory;

    /// <summary>The location the XDG base directory spec gives; null when there is neither.</summary>
    /// <param name="xdgCacheHome">$XDG_CACHE_HOME; ignored unless an absolute path, as the spec says.</param>
    /// <param name="home">The user's home directory, for the default <c>~/.cache</c>.</param>
    public static DownloadCache? Locate(string? xdgCacheHome, string? home)
    {
        string? root = !string.IsNullOrEmpty(xdgCacheHome) && Path.IsPathRooted(xdgCacheHome) ? xdgCacheHome
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache")
            : null;
        return root is null ? null : new DownloadCache(Path.Combine(root, "consul-pkg"));
    }

    private string ZipPath(string sha256) => Path.Combine(Directory, "sha256", sha256 + ".zip");

    private string MetaPath(string name) => Path.Combine(Directory, "sums", name);

    /// <summary>The path of the cached zip said to have this hash, or null. The caller verifies it.</summary>
    internal string? FindZip(string sha256)
    {
        string path = ZipPath(sha256);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Copies an already verified zip into the cache (atomically).</summary>
    internal void PutZip(string verifiedZipPath, string sha256)
    {
        string path = ZipPath(sha256);
        if (File.Exists(path))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Copy(verifiedZipPath, path);
    }

    /// <summary>A cached SHA256SUMS or signature by file name (named by its path), or null. The caller verifies it.</summary>
    internal ReleaseFile? TryGetMetadata(string name)
    {
        string path = MetaPath(name);
        return File.Exists(path) ? new ReleaseFile(path, File.ReadAllBytes(path)) : null;
    }

    internal void PutMetadata(string name, ReadOnlySpan<byte> content)
    {
        string path = MetaPath(name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, content);
    }

    internal void RemoveMetadata(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            File.Delete(MetaPath(name));
        }
    }
}
