namespace ConsulPkg.Repository;

/// <summary>
/// Writes a file so that a reader (a web server, a sync tool) sees either the old content or the
/// new one, never a partial file: the bytes go to a temporary name in the same directory, are
/// flushed to disk, and are renamed over the target.
/// </summary>
internal static class AtomicWrite
{
    public static void Bytes(string path, ReadOnlySpan<byte> content)
    {
        string temporary = TemporaryName(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/>, keeping its mode.</summary>
    public static void Copy(string source, string path)
    {
        string temporary = TemporaryName(path);
        try
        {
            File.Copy(source, temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A hidden name beside <paramref name="path"/>, unique to this process and call.</summary>
    private static string TemporaryName(string path)
    {
        string directory = Path.GetDirectoryName(path) ?? ".";
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }
}
