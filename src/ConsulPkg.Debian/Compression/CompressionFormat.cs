namespace ConsulPkg.Debian.Compression;

/// <summary>
/// The compressions a .deb member can carry. <see cref="Bzip2"/> and <see cref="Lzma"/> are
/// read-only: dpkg still unpacks them but no current tool should write them.
/// </summary>
public enum CompressionFormat
{
    None,
    Gzip,
    Xz,
    Zstd,
    Bzip2,
    Lzma,
}
