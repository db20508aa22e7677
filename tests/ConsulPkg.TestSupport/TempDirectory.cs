namespace ConsulPkg.Testing;

/// <summary>
/// A fresh directory under the system temp dir, removed with everything in it on dispose, even
/// where a test (or an extracted package) left directories without write permission.
/// Shared by the test projects (ConsulPkg.TestSupport).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    private const UnixFileMode UserAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public TempDirectory(string prefix = "consul-pkg-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
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

    /// <summary>Writes a binary file (creating parent directories) and returns its full path.</summary>
    public string WriteFile(string relative, byte[] content)
    {
        string full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    /// <summary>Every file and directory below the root, relative and sorted: to prove nothing was left behind.</summary>
    public string[] Snapshot() =>
        Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(Path, p))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        // Directories extracted with mode 0555 must be made writable before they can be emptied.
        MakeTraversable(Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void MakeTraversable(string directory)
    {
        File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UserAll);
        foreach (string child in Directory.EnumerateDirectories(directory))
        {
            if (new DirectoryInfo(child).LinkTarget is null)
            {
                MakeTraversable(child);
            }
        }
    }
}
