using ConsulPkg.Debian.IO;

namespace ConsulPkg.Consul.Tests.Support;

/// <summary>Keeps what a library reported: each piece of work's name, size and last count, and the notes.</summary>
internal sealed class RecordingProgress : IByteProgress
{
    private readonly Lock _lock = new();

    public List<(string Label, long? Total, long Done, bool Finished)> Work { get; } = [];

    public List<string> Notes { get; } = [];

    public void Begin(string label, long? totalBytes)
    {
        lock (_lock)
        {
            Work.Add((label, totalBytes, 0, false));
        }
    }

    public void Report(long doneBytes)
    {
        lock (_lock)
        {
            Work[^1] = Work[^1] with { Done = doneBytes };
        }
    }

    public void Note(string line)
    {
        lock (_lock)
        {
            Notes.Add(line);
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            Work[^1] = Work[^1] with { Finished = true };
        }
    }
}
