using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Debian.Archives;

namespace ConsulPkg.Debian.Building;

/// <summary>
/// Streams data.tar from a <see cref="DataLayout"/>, reading each source file exactly once and
/// hashing it on the way through, so md5sums costs no second pass over the input.
/// </summary>
internal static class DataArchive
{
    /// <summary>Writes the tar to <paramref name="tarOutput"/> and returns the md5sums file's text.</summary>
    public static string Write(Stream tarOutput, DataLayout layout)
    {
        var md5sums = new StringBuilder();
        using var tar = new GnuTarWriter(tarOutput);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (LaidOutEntry e in layout.Entries)
        {
            PackageEntry s = e.Source;
            byte type = e.Kind switch
            {
                EntryKind.Directory => TarFieldLayout.TypeDirectory,
                EntryKind.Symlink => TarFieldLayout.TypeSymlink,
                EntryKind.HardLink => TarFieldLayout.TypeHardLink,
                _ => TarFieldLayout.TypeRegular,
            };
            var header = new TarEntryHeader(e.TarName, type, e.Mode, s.Uid, s.Gid, s.Owner, s.Group, e.Size, e.MTime, e.LinkName);
            if (e.Kind != EntryKind.File)
            {
                tar.WriteEntry(header);
                continue;
            }

            using (Stream source = OpenSource(s))
            using (var hashing = new HashingReadStream(source, md5))
            {
                tar.WriteEntry(header, hashing);
            }

            AppendMd5SumsLine(md5sums, Convert.ToHexStringLower(md5.GetHashAndReset()), e.RelativePath);
        }

        return md5sums.ToString();
    }

    /// <summary>
    /// The md5sums text that <see cref="Write"/> will return, with every hash as 32 zeros: the same
    /// length in bytes, so the size of an uncompressed control.tar is known before any data is read.
    /// </summary>
    public static string Md5SumsPlaceholder(DataLayout layout)
    {
        var md5sums = new StringBuilder();
        foreach (LaidOutEntry e in layout.Entries.Where(e => e.Kind == EntryKind.File))
        {
            AppendMd5SumsLine(md5sums, new string('0', 32), e.RelativePath);
        }

        return md5sums.ToString();
    }

    private static void AppendMd5SumsLine(StringBuilder md5sums, string hexHash, string relativePath) =>
        md5sums.Append(hexHash).Append("  ").Append(relativePath).Append('\n');

    private static Stream OpenSource(PackageEntry e)
    {
        if (e.SourcePath is null)
        {
            return new MemoryStream(e.Content!.Value.ToArray(), writable: false);
        }

        try
        {
            // Unbuffered: the tar writer reads in large chunks already.
            return new FileStream(e.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read '{e.SourcePath}' (for {e.Path}): {ex.Message}", ex);
        }
    }

    /// <summary>Feeds every byte read through it to a hash.</summary>
    private sealed class HashingReadStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
