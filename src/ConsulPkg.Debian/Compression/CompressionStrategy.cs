namespace ConsulPkg.Debian.Compression;

/// <summary>
/// How an encoder searches, where its format offers a choice (dpkg-deb -S): zlib's strategies
/// for gzip, liblzma's "extreme" presets for xz. A strategy changes the compressed bytes and the
/// time taken, never what they decompress to.
/// </summary>
public enum CompressionStrategy
{
    /// <summary>The encoder's own default.</summary>
    Default,

    /// <summary>gzip: Z_FILTERED, for data of small values with a random distribution.</summary>
    Filtered,

    /// <summary>gzip: Z_HUFFMAN_ONLY, no string matching.</summary>
    HuffmanOnly,

    /// <summary>gzip: Z_RLE, matches of distance one only.</summary>
    RunLength,

    /// <summary>gzip: Z_FIXED, no dynamic Huffman codes.</summary>
    Fixed,

    /// <summary>xz: the preset's "extreme" variant (xz -e), slower for a little smaller.</summary>
    Extreme,
}
