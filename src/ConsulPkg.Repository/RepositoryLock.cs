using System.Diagnostics;
using ConsulPkg.Debian;

namespace ConsulPkg.Repository;

/// <summary>
/// Keeps two publishes into one repository from interleaving: an exclusive advisory lock
/// (<c>flock</c>, which .NET takes for <see cref="FileShare.None"/>) on DIR/.consul-pkg.lock,
/// released by the kernel when the holder exits, however it exits. The file itself stays: deleting
/// a lock file lets a third process lock a new file while a second still waits on the old one.
/// </summary>
internal sealed class RepositoryLock : IDisposable
{
    public const string FileName = ".consul-pkg.lock";

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _stream;

    private RepositoryLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the lock, then refuses. Without
    /// <paramref name="create"/> (a command that writes nothing, or one that needs an existing
    /// repository) a missing lock file is not made: then no command of ours is running there and
    /// null is returned.
    /// </summary>
    public static RepositoryLock? Acquire(string repository, TimeSpan timeout, bool create = true)
    {
        string path = Path.Combine(repository, FileName);
        if (!create && !File.Exists(path))
        {
            return null;
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new RepositoryLock(new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path) && waited.Elapsed < timeout)
            {
                // Held by another publish: polling is fine here, it ends when that one does.
                Thread.Sleep(RetryInterval);
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new PackageException($"another command has held {path} for more than {timeout.TotalSeconds:F0} s: wait for it to finish, or check that no process is stuck", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
