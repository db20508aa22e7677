using System.Formats.Tar;
using System.IO.Compression;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// A package as consul-pkg built it before it stopped listing /usr/local and /usr/local/bin (and
/// as dpkg-deb and fpm build one from a tree): the same members, with directory entries added to
/// data.tar just before the first path below them, so dpkg records the package as their owner.
/// </summary>
public static class ListedDirectories
{
    /// <summary>Writes <paramref name="output"/>: <paramref name="deb"/> with <paramref name="directories"/> ("./usr/local/") listed.</summary>
    public static string Add(string deb, string output, params string[] directories)
    {
        using var work = new TempDirectory("consul-pkg-listed-");
        ProcessRunner.Run("ar", ["x", Path.GetFullPath(deb)], work.Path).EnsureSuccess();
        string data = work.Combine("data.tar.gz");
        Assert.That(File.Exists(data), Is.True, "the package's data member is data.tar.gz");

        using (var input = new TarReader(new GZipStream(File.OpenRead(data), CompressionMode.Decompress)))
        using (var writer = new TarWriter(File.Create(work.Combine("data.tar")), TarEntryFormat.Gnu))
        {
            var pending = new Queue<string>(directories);
            while (input.GetNextEntry(copyData: true) is { } entry)
            {
                while (pending.Count > 0 && entry.Name.StartsWith(pending.Peek(), StringComparison.Ordinal))
                {
                    writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, pending.Dequeue())
                    {
                        Mode = (UnixFileMode)0b111_101_101,
                        UserName = "root",
                        GroupName = "root",
                        ModificationTime = entry.ModificationTime,
                    });
                }

                writer.WriteEntry(entry);
            }

            Assert.That(pending, Is.Empty, "every directory holds a path of the package");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.Delete(output);
        ProcessRunner.Run("ar", ["rc", Path.GetFullPath(output), "debian-binary", "control.tar.gz", "data.tar"], work.Path).EnsureSuccess();
        return output;
    }
}
