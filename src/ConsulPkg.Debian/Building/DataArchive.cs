using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Debian.Archives;
using ConsulPkg.Debian.IO;
using Microsoft.Win32.SafeHandles;

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
        using var source = new HashingSource(md5);
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

            source.Open(s);
            try
            {
                tar.WriteEntry(header, source);
            }
            finally
            {
                source.CloseFile();
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

    /// <summary>
    /// The content of one file at a time, hashed as it is read. One instance serves every file
    /// and reads with pread on a bare handle: a FileStream (strategy, buffer, wrapper) per file
    /// was most of what a tree of 20,000 small files allocated.
    /// </summary>
    private sealed class HashingSource(IncrementalHash hash) : ReadOnlyForwardStream
    {
        private SafeFileHandle? _file;
        private ReadOnlyMemory<byte> _content;
        private long _offset;
        private PackageEntry? _entry;

        public void Open(PackageEntry e)
        {
            _entry = e;
            _offset = 0;
            if (e.SourcePath is null)
            {
                _content = e.Content!.Value;
                return;
            }

            try
            {
                _file = File.OpenHandle(e.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new PackageException($"cannot read '{e.SourcePath}' (for {e.Path}): {ex.Message}", ex);
            }
        }

        public void CloseFile()
        {
            _file?.Dispose();
            _file = null;
            _content = default;
        }

        public override int Read(Span<byte> buffer)
        {
            int n;
            if (_file is not null)
            {
                try
                {
                    n = RandomAccess.Read(_file, buffer, _offset);
                }
                catch (IOException ex)
                {
                    // A source that fails mid-read is the source's problem, not the output's.
                    throw new PackageException($"cannot read '{_entry!.SourcePath}' (for {_entry.Path}): {ex.Message}", ex);
                }
            }
            else
            {
                n = (int)Math.Min(buffer.Length, _content.Length - _offset);
                _content.Span.Slice((int)_offset, n).CopyTo(buffer);
            }

            _offset += n;
            hash.AppendData(buffer[..n]);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                CloseFile();
            }

            base.Dispose(disposing);
        }
    }
}
