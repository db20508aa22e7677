namespace ConsulPkg.Debian.IO;

/// <summary>
/// Where a long piece of work says how far it has come, in bytes: the front end decides whether
/// to show it (a bar on a terminal) or not. Libraries report through it and never write to the
/// console themselves. One piece of work at a time, from <see cref="Begin"/> to <see cref="Finish"/>;
/// <see cref="Report"/> may come from another thread than <see cref="Begin"/>.
/// </summary>
public interface IByteProgress
{
    /// <summary>Work named <paramref name="label"/> (a file name) starts; its size, or null when unknown.</summary>
    void Begin(string label, long? totalBytes);

    /// <summary>How many bytes of the work are done (a total so far, not an increment).</summary>
    void Report(long doneBytes);

    /// <summary>A line the person watching should read while the work goes on (a retried download).</summary>
    void Note(string line);

    /// <summary>The work is over: done, failed or cancelled.</summary>
    void Finish();
}

/// <summary>The progress nobody watches: what libraries report to unless a front end gives another.</summary>
public sealed class NoProgress : IByteProgress
{
    public static NoProgress Instance { get; } = new();

    private NoProgress()
    {
    }

    public void Begin(string label, long? totalBytes)
    {
    }

    public void Report(long doneBytes)
    {
    }

    public void Note(string line)
    {
    }

    public void Finish()
    {
    }
}

/// <summary>Helpers for reporting progress.</summary>
public static class ByteProgress
{
    /// <summary><see cref="IByteProgress.Begin"/> now, <see cref="IByteProgress.Finish"/> when the result is disposed: <c>using var _ = progress.Start(...)</c>.</summary>
    public static Scope Start(this IByteProgress progress, string label, long? totalBytes)
    {
        ArgumentNullException.ThrowIfNull(progress);
        progress.Begin(label, totalBytes);
        return new Scope(progress);
    }

    /// <summary>Ends the work it was started for.</summary>
    public readonly struct Scope(IByteProgress progress) : IDisposable
    {
        public void Dispose() => progress.Finish();
    }
}
