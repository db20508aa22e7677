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
    /// <summary>Writes the tar to <paramref name="tarOutput"/> and returns the md5sums file's text; <paramref name="progress"/> hears the bytes of content read.</summary>
    public static string Write(Stream tarOutput, DataLayout layout, IByteProgress? progress = null)
    {
        var md5sums = new StringBuilder();

        // A hard link is a second name for a file, and md5sums lists every name (as dh_md5sums
        // does; lintian warns file-missing-in-md5sums otherwise). Its target always comes first.
        Dictionary<string, string>? digestOf = layout.Entries.Any(e => e.Kind == EntryKind.HardLink) ? new(StringComparer.Ordinal) : null;
        using var tar = new GnuTarWriter(tarOutput);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var source = new HashingSource(md5, progress ?? NoProgress.Instance);
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

            source.Open(e);
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
    /// and reads with read(2) on a bare handle: a FileStream (strategy, buffer, wrapper) per file
    /// was most of what a tree of 20,000 small files allocated.
    /// </summary>
    /// <remarks>
    /// The layout fixed each file's size (Installed-Size and the tar header already promise it),
    /// but the tree can change before the file is read. So the file is opened without blocking
    /// (a FIFO swapped in would otherwise hang the build), the opened handle must be the regular
    /// file of that size, and reading must end exactly there: a file that says 0 bytes and has
    /// content (/proc), says 4096 and has less (/sys), or grows or shrinks while it is read is
    /// refused, where GNU tar warns "file changed as we read it" and packs what it got.
    /// </remarks>
    private sealed class HashingSource(IncrementalHash hash, IByteProgress progress) : ReadOnlyForwardStream
    {
        private long _done;
        private SafeFileHandle? _file;
        private ReadOnlyMemory<byte> _content;
        private long _offset;
        private long _size;
        private PackageEntry? _entry;

        public void Open(LaidOutEntry e)
        {
            _entry = e.Source;
            _size = e.Size;
            _offset = 0;
            if (_entry.SourcePath is null)
            {
                _content = _entry.Content!.Value;
                return;
            }

            FileStatus status;
            try
            {
                _file = HostFiles.OpenForReading(_entry.SourcePath, out status);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new PackageException($"cannot read {Source()}: {IoErrorText.Reason(ex)}", ex);
            }

            if (status.Type != UnixFileType.Regular)
            {
                throw new PackageException($"cannot package {Source()}: it was replaced while the package was written and is now a {FileStatus.Describe(status.Type)}, not a regular file");
            }

            if (status.Size != _size)
            {
                throw Changed($"it was {_size} bytes when the package was planned and is {status.Size} now");
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
            if (buffer.IsEmpty)
            {
                return 0;
            }

            int n;
            if (_file is not null)
            {
                try
                {
                    n = HostFiles.Read(_file, buffer);
                }
                catch (IOException ex)
                {
                    // A source that fails mid-read is the source's problem, not the output's.
                    throw new PackageException($"cannot read {Source()}: {ex.Message}", ex);
                }

                if (_offset + n > _size)
                {
                    throw Changed(_size == 0
                        ? "its size is 0 bytes but it has content, as /proc files do: copy it to a regular file and package that"
                        : $"it has more than the {_size} bytes its size says");
                }

                if (n == 0 && _offset < _size)
                {
                    throw Changed($"it ended after {_offset} of the {_size} bytes its size says, as /sys files do: copy it to a regular file and package that");
                }
            }
            else
            {
                n = (int)Math.Min(buffer.Length, _content.Length - _offset);
                _content.Span.Slice((int)_offset, n).CopyTo(buffer);
            }

            _offset += n;
            hash.AppendData(buffer[..n]);
            _done += n;
            progress.Report(_done);
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

        private string Source() => $"'{UnixName.Printable(_entry!.SourcePath!)}' (for {UnixName.Printable(_entry.Path)})";

        /// <summary>GNU tar's words for it, and then why.</summary>
        private PackageException Changed(string why) => new($"cannot package {Source()}: the file changed as we read it: {why}");
    }
}
