using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Debian.Archives;
using ConsulPkg.Debian.IO;

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

        // A hard link is a second name for a file, and md5sums lists every name (as dh_md5sums
        // does; lintian warns file-missing-in-md5sums otherwise). Its target always comes first.
        Dictionary<string, string>? digestOf = layout.Entries.Any(e => e.Kind == EntryKind.HardLink) ? new(StringComparer.Ordinal) : null;
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
                if (e.Kind == EntryKind.HardLink)
                {
                    AppendLine(md5sums, digestOf![e.LinkName[2..]], e.RelativePath);
                }

                continue;
            }

            using (Stream source = OpenSource(s))
            using (var hashing = new HashingReadStream(source, md5))
            {
                tar.WriteEntry(header, hashing);
            }

            string digest = Convert.ToHexStringLower(md5.GetHashAndReset());
            digestOf?.Add(e.RelativePath, digest);
            AppendLine(md5sums, digest, e.RelativePath);
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
        foreach (LaidOutEntry e in layout.Entries.Where(e => e.Kind is EntryKind.File or EntryKind.HardLink))
        {
            AppendLine(md5sums, new string('0', 32), e.RelativePath);
        }

        return md5sums.ToString();
    }

    private static void AppendLine(StringBuilder md5sums, string digest, string path) =>
        md5sums.Append(digest).Append("  ").Append(path).Append('\n');

    private static Stream OpenSource(PackageEntry e)
    {
        if (e.SourcePath is null)
        {
            // Wrap the caller's array where there is one: no copy of inline content.
            ReadOnlyMemory<byte> content = e.Content!.Value;
            return MemoryMarshal.TryGetArray(content, out ArraySegment<byte> segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(content.ToArray(), writable: false);
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
    private sealed class HashingReadStream(Stream inner, IncrementalHash hash) : ReadOnlyForwardStream
    {
        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            return n;
        }
    }
}
