namespace ConsulPkg.Debian.IO;

/// <summary>
/// A file that appears at its path complete or not at all: it is written to a temporary file
/// beside the target (same directory, so the final rename is atomic on one file system), flushed
/// to disk and renamed into place by <see cref="Commit"/>. Disposing without committing (an
/// exception, a cancellation) deletes the temporary file, so a failed write leaves nothing behind
/// and an existing file at the path is untouched.
/// </summary>
/// <remarks>
/// The one owner of atomic writes: the package writer, the configs, the download cache and the
/// apt repository all write through it. Creating and naming temporary files is <see cref="TemporaryFiles"/>' job.
/// IO errors are thrown as they are; callers add which file they were writing and why.
/// </remarks>
public sealed class AtomicFile : IDisposable
{
    private readonly UnixFileMode? _mode;
    private bool _committed;

    private AtomicFile(string path, string temporaryPath, FileStream stream, UnixFileMode? mode)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        Stream = stream;
        _mode = mode;
    }

    /// <summary>The full path the file gets on <see cref="Commit"/>.</summary>
    public string Path { get; }

    /// <summary>Where the content is written until then.</summary>
    public string TemporaryPath { get; }

    /// <summary>The temporary file, open for reading and writing.</summary>
    public FileStream Stream { get; }

    /// <summary>
    /// Creates the temporary file beside <paramref name="path"/>. With <paramref name="mode"/> the
    /// file is created with that mode, so content meant for few readers (a gossip key) is never
    /// readable by others, not even between create and chmod; the umask cannot narrow it either.
    /// </summary>
    public static AtomicFile Create(string path, UnixFileMode? mode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = System.IO.Path.GetFullPath(path);
        string temporary = TemporaryFiles.NameBeside(target);
        FileStream stream = TemporaryFiles.CreateNew(temporary, mode, FileOptions.None);
        return new AtomicFile(target, temporary, stream, mode);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically, replacing what is there.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null, Action<string>? beforeRename = null)
    {
        using AtomicFile file = Create(path, mode);
        file.Stream.Write(content);
        file.Commit(overwrite: true, beforeRename);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/> atomically, replacing what is there.</summary>
    /// <param name="mode">The copy's mode, as for <see cref="Create"/> (the repository keeps a 0600 package 0600).</param>
    public static void Copy(string source, string path, UnixFileMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        using AtomicFile file = Create(path, mode);
        using (FileStream input = File.OpenRead(source))
        {
            input.CopyTo(file.Stream);
        }

        file.Commit(overwrite: true);
    }

    /// <summary>
    /// Flushes the content to disk and renames the temporary file to <see cref="Path"/>.
    /// <paramref name="beforeRename"/> gets the temporary path, for what must be true before the
    /// file is visible (its group, say). Without <paramref name="overwrite"/> an existing file is
    /// an <see cref="IOException"/> and stays as it was.
    /// </summary>
    public void Commit(bool overwrite, Action<string>? beforeRename = null)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        if (_mode is { } mode)
        {
            File.SetUnixFileMode(TemporaryPath, mode); // the umask may have narrowed the creation mode
        }

        beforeRename?.Invoke(TemporaryPath);
        File.Move(TemporaryPath, Path, overwrite);
        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            TemporaryFiles.TryDelete(TemporaryPath);
        }
    }
}
