using ConsulPkg.Debian.IO;

namespace ConsulPkg.Repository;

/// <summary>
/// The files one repository command writes, made complete beside their targets before any is
/// renamed into place. Staging is where a full file system or any other failure strikes: it
/// ends in removing what was staged, so the repository is byte-for-byte as it was. Commit then
/// only renames, in staging order, with the file system flushed once before and at each
/// <see cref="Barrier"/> (one syncfs where an fsync per file cost a journal commit each); a
/// rename that still fails puts every replaced file back from the hard link kept of it.
/// </summary>
internal sealed class StagedWrites : IDisposable
{
    private readonly string _root;
    private readonly List<Staged> _files = [];
    private readonly HashSet<int> _barriers = [];
    private readonly List<string> _createdDirectories = [];
    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);
    private bool _committed;

    public StagedWrites(string root) => _root = root;

    public int Count => _files.Count;

    /// <summary>Stages <paramref name="content"/> for <paramref name="target"/>, replacing what is there on commit.</summary>
    public void Write(string target, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        string temporary = Prepare(target);
        try
        {
            using FileStream stream = TemporaryFiles.CreateNew(temporary, mode, FileOptions.None);
            stream.Write(content);
        }
        catch
        {
            TemporaryFiles.TryDelete(temporary); // a full file system: nothing of it stays
            throw;
        }

        Finish(temporary, target, mode);
    }

    /// <summary>Stages a copy of <paramref name="source"/> for <paramref name="target"/> (copy_file_range where the file system has it).</summary>
    public void Copy(string source, string target, UnixFileMode mode)
    {
        string temporary = Prepare(target);
        try
        {
            File.Copy(source, temporary);
        }
        catch
        {
            TemporaryFiles.TryDelete(temporary);
            throw;
        }

        Finish(temporary, target, mode);
    }

    /// <summary>Everything staged so far is on disk and in place before anything staged later is renamed.</summary>
    public void Barrier() => _barriers.Add(_files.Count);

    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        UnixFiles.SyncFileSystem(_root);
        int renamed = 0;
        try
        {
            for (; renamed < _files.Count; renamed++)
            {
                if (renamed > 0 && _barriers.Contains(renamed))
                {
                    UnixFiles.SyncFileSystem(_root);
                }

                File.Move(_files[renamed].Temporary, _files[renamed].Target, overwrite: true);
            }

            UnixFiles.SyncFileSystem(_root);
        }
        catch (Exception) when (renamed < _files.Count)
        {
            for (int i = renamed - 1; i >= 0; i--)
            {
                Staged file = _files[i];
                if (file.Backup is not null)
                {
                    File.Move(file.Backup, file.Target, overwrite: true);
                }
                else
                {
                    File.Delete(file.Target);
                }
            }

            _files.RemoveRange(0, renamed); // restored: only the rest is left to clean up
            throw;
        }

        _committed = true;
        foreach (Staged file in _files)
        {
            if (file.Backup is not null)
            {
                TemporaryFiles.TryDelete(file.Backup);
            }
        }
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        foreach (Staged file in _files)
        {
            TemporaryFiles.TryDelete(file.Temporary);
            if (file.Backup is not null)
            {
                TemporaryFiles.TryDelete(file.Backup);
            }
        }

        _files.Clear();
        for (int i = _createdDirectories.Count - 1; i >= 0; i--)
        {
            try
            {
                Directory.Delete(_createdDirectories[i]);
            }
            catch (IOException)
            {
                // not empty or already gone: what it holds is not ours
            }
        }

        _committed = true;
    }

    private string Prepare(string target)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        EnsureDirectory(Path.GetDirectoryName(target)!);
        return TemporaryFiles.NameBeside(target, "staged");
    }

    private void Finish(string temporary, string target, UnixFileMode? mode)
    {
        string? backup = null;
        try
        {
            if (mode is { } exact)
            {
                File.SetUnixFileMode(temporary, exact); // the umask may have narrowed the creation mode
            }

            if (File.Exists(target))
            {
                backup = TemporaryFiles.NameBeside(target, "previous");
                UnixFiles.HardLink(target, backup);
            }
        }
        catch
        {
            TemporaryFiles.TryDelete(temporary);
            throw;
        }

        _files.Add(new Staged(temporary, target, backup));
    }

    private void EnsureDirectory(string directory)
    {
        if (_knownDirectories.Contains(directory))
        {
            return;
        }

        if (!Directory.Exists(directory))
        {
            EnsureDirectory(Path.GetDirectoryName(directory)!);
            Directory.CreateDirectory(directory);
            _createdDirectories.Add(directory);
        }

        _knownDirectories.Add(directory);
    }

    private sealed record Staged(string Temporary, string Target, string? Backup);
}
