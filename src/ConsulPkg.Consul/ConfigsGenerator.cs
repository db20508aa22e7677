using System.Text;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>What <c>consul-pkg configs</c> wrote: the paths and the key's fingerprint (never the key).</summary>
public sealed record GeneratedConfigs(IReadOnlyDictionary<AgentRole, string> Paths, string KeyFingerprint, UnixFileMode Mode);

/// <summary>
/// Writes the three agent configurations (DIR/&lt;role&gt;/consul.json, the layout of /etc/consul.d)
/// sharing one gossip key. All three are rendered and checked before the first is written; each is
/// written to a temporary file created with its final mode and renamed into place, so no reader ever
/// sees a partial or world-readable config.
/// </summary>
public static class ConfigsGenerator
{
    public static GeneratedConfigs Generate(
        string outputDirectory, GossipKey key, AgentSettings settings, string? templatesDirectory = null, bool? asRoot = null)
    {
        ArgumentNullException.ThrowIfNull(outputDirectory);
        ArgumentNullException.ThrowIfNull(key);
        ConsulTemplates templates = ConsulTemplates.Load(templatesDirectory);
        ConsulTemplateModel model = ConsulRenderer.Model("0.7.2", "0.7.2", PackageLayout.Seed, settings, key);
        IReadOnlyDictionary<AgentRole, string> configs = ConsulRenderer.RenderConfigs(templates, model);

        // 0640 lets the consul group (the agent) read it when root installs it; otherwise only the owner may.
        bool root = asRoot ?? Environment.IsPrivilegedProcess;
        UnixFileMode mode = root
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
            : UnixFileMode.UserRead | UnixFileMode.UserWrite;

        var paths = new Dictionary<AgentRole, string>();
        foreach ((AgentRole role, string json) in configs)
        {
            string directory = Path.Combine(outputDirectory, role.ToName());
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, "consul.json");
            WriteAtomically(path, Encoding.UTF8.GetBytes(json), mode);
            paths.Add(role, Path.GetFullPath(path));
        }

        return new GeneratedConfigs(paths, key.Fingerprint, mode);
    }

    private static void WriteAtomically(string path, byte[] content, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("configs are written with Unix permissions; run on Linux");
        }

        string tmp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.tmp-{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode, // created with the final mode: never briefly world-readable
            };
            using (var stream = new FileStream(tmp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(tmp, mode); // the umask may have narrowed it; never widens beyond mode
            File.Move(tmp, path, overwrite: true);
        }
        catch (IOException e)
        {
            throw new PackageException($"could not write {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PackageException($"could not write {path}: permission denied; choose another --output", e);
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
