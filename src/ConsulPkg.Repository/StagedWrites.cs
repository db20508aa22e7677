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
/// <remarks>
/// A process killed on the way (SIGKILL, a power cut) cannot clean up, so every name it creates
/// is written to <see cref="JournalName"/> first, and the next command that writes recovers under
/// the lock (<see cref="Recover"/>): killed while staging, its staged files, hard links and new
/// directories are removed and the repository is as it was; killed while renaming (the journal
/// says it had begun), the rest is renamed in the same order, as the command would have, since
/// everything it renames was complete on disk before the first rename.
/// </remarks>
internal sealed class StagedWrites : IDisposable
{
    public const string JournalName = ".consul-pkg.journal";

    private const string FileEntry = "file";
    private const string BackupEntry = "backup";
    private const string DirectoryEntry = "directory";
    private const string CommitEntry = "commit";

    private readonly string _root;
    private StreamWriter? _journal;
    private readonly List<Staged> _files = [];
    private readonly HashSet<int> _barriers = [];
    private readonly List<string> _createdDirectories = [];
    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);
    private bool _committed;

    public StagedWrites(string root) => _root = root;

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
        BeginCommit();
        RenameAll();
    }

    /// <summary>From here on, an interrupted run is completed, not undone: the journal says so, and it and every staged file are on disk.</summary>
    internal void BeginCommit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        Journal(CommitEntry);
        UnixFiles.SyncFileSystem(_root);
    }

    /// <summary>The staged files and their targets, in rename order.</summary>
    internal IEnumerable<(string Temporary, string Target)> Pending => _files.Select(f => (f.Temporary, f.Target));

    private void RenameAll()
    {
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

        CloseJournal(); // last: until it is gone, a recovery would only finish what is finished
    }

    /// <summary>
    /// Finishes or undoes what a killed command left, as its journal says; nothing when there is
    /// none. The caller holds the repository's lock, so no command of ours is writing there.
    /// </summary>
    /// <returns>Whether there was something to recover.</returns>
    public static bool Recover(string root)
    {
        string journal = Path.Combine(root, JournalName);
        if (!File.Exists(journal))
        {
            return false;
        }

        List<string[]> entries = [.. File.ReadAllLines(journal).Where(l => l.Length > 0).Select(l => l.Split('\t'))];
        string Full(string relative) => Path.Combine(root, relative);
        bool committing = entries.Any(e => e[0] == CommitEntry);
        foreach (string[] entry in entries.Where(e => e[0] == FileEntry && e.Length == 3))
        {
            if (!File.Exists(Full(entry[1])))
            {
                continue; // renamed already, or never written
            }

            if (committing)
            {
                File.Move(Full(entry[1]), Full(entry[2]), overwrite: true);
            }
            else
            {
                File.Delete(Full(entry[1]));
            }
        }

        foreach (string[] entry in entries.Where(e => e[0] == BackupEntry && e.Length == 2))
        {
            TemporaryFiles.TryDelete(Full(entry[1])); // a hard link: the target keeps its content
        }

        if (!committing)
        {
            foreach (string[] entry in entries.Where(e => e[0] == DirectoryEntry && e.Length == 2).Reverse())
            {
                TryDeleteEmpty(Full(entry[1]));
            }
        }

        UnixFiles.SyncFileSystem(root);
        File.Delete(journal);
        return true;
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
            TryDeleteEmpty(_createdDirectories[i]);
        }

        CloseJournal();
        _committed = true;
    }

    private static void TryDeleteEmpty(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
            // not empty or already gone: what it holds is not ours
        }
    }

    /// <summary>
    /// Records a name before it is created (or the start of the renames), written through to the
    /// kernel at once: a killed process loses nothing it wrote, and the commit's syncfs makes it
    /// durable with the staged files.
    /// </summary>
    private void Journal(string kind, params string[] paths)
    {
        _journal ??= new StreamWriter(new FileStream(Path.Combine(_root, JournalName), FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 12)) { AutoFlush = true, NewLine = "\n" };
        _journal.WriteLine(string.Join('\t', paths.Select(p => Path.GetRelativePath(_root, p)).Prepend(kind)));
    }

    private void CloseJournal()
    {
        if (_journal is null)
        {
            return;
        }

        try
        {
            _journal.Dispose();
        }
        catch (IOException)
        {
            // a full file system refused the last line too: the file goes all the same
        }

        _journal = null;
        TemporaryFiles.TryDelete(Path.Combine(_root, JournalName));
    }

    private string Prepare(string target)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        EnsureDirectory(Path.GetDirectoryName(target)!);
        string temporary = TemporaryFiles.NameBeside(target, "staged");
        Journal(FileEntry, temporary, target);
        return temporary;
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
                Journal(BackupEntry, backup);
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
            Journal(DirectoryEntry, directory);
            Directory.CreateDirectory(directory);
            _createdDirectories.Add(directory);
        }

        _knownDirectories.Add(directory);
    }

    private sealed record Staged(string Temporary, string Target, string? Backup);
}
