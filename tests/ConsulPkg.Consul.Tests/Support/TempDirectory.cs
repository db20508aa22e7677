namespace ConsulPkg.Consul.Tests.Support;

/// <summary>A fresh directory under the system temp dir, removed with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("consul-pkg-test-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating parent directories) and returns its full path.</summary>
    public string WriteFile(string relative, string content, UnixFileMode? mode = null)
    {
        string full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mode is not null)
        {
            File.SetUnixFileMode(full, mode.Value);
        }

        return full;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
