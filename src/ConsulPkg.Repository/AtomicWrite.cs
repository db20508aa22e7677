using ConsulPkg.Debian.IO;

namespace ConsulPkg.Repository;

/// <summary>
/// The repository's writes, each through <see cref="AtomicFile"/> so a reader (a web server, a
/// sync tool) sees the old file or the new one, never a partial one; the directories of a new
/// repository are created on the way.
/// </summary>
internal static class AtomicWrite
{
    public static void Bytes(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllBytes(path, content);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/>, keeping its mode (a 0600 package stays 0600).</summary>
    public static void Copy(string source, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using AtomicFile file = AtomicFile.Create(path, File.GetUnixFileMode(source));
        using (FileStream input = File.OpenRead(source))
        {
            input.CopyTo(file.Stream);
        }

        file.Commit(overwrite: true);
    }
}
