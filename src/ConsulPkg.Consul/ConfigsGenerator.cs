using System.Text;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Consul;

/// <summary>What <c>consul-pkg configs</c> wrote: the paths and the key's fingerprint (never the key; null when the configs carry none).</summary>
/// <param name="ReplacedKeyFingerprints">
/// Fingerprints of other keys the replaced configs held: agents already running with them keep
/// using them (their keyring wins over <c>encrypt</c>) until the key is rotated with <c>consul keyring</c>.
/// </param>
public sealed record GeneratedConfigs(
    IReadOnlyDictionary<AgentRole, string> Paths, string? KeyFingerprint, UnixFileMode Mode, IReadOnlyList<string> ReplacedKeyFingerprints);

/// <summary>
/// Writes the three agent configurations (DIR/&lt;role&gt;/consul.json, or consul.hcl from HCL templates; the layout of /etc/consul.d)
/// sharing one gossip key. All three are rendered and checked before the first is written; each is
/// written to a temporary file created with its final mode and renamed into place, so no reader ever
/// sees a partial or world-readable config.
/// </summary>
public static class ConfigsGenerator
{
    /// <param name="key">The key every config carries; null for configs without one (<paramref name="delivery"/> says why).</param>
    /// <param name="facts">The Consul version the configs are for (keys, key sizes).</param>
    /// <param name="asRoot">Whether the process is privileged: the files then go to the agent's group.</param>
    public static GeneratedConfigs Generate(
        string outputDirectory, GossipKey? key, AgentSettings settings, ConsulFacts facts, bool asRoot, string? templatesDirectory = null,
        GossipKeyDelivery delivery = GossipKeyDelivery.Embedded)
    {
        ArgumentNullException.ThrowIfNull(outputDirectory);
        ArgumentNullException.ThrowIfNull(facts);
        key?.AcceptedBy(facts, "the given key");
        ConsulTemplates templates = ConsulTemplates.Load(templatesDirectory);
        ConsulTemplateModel model = ConsulRenderer.Model(facts, facts.Version.Text, PackageLayout.Seed, settings, key, delivery);
        IReadOnlyDictionary<AgentRole, RenderedConfig> configs = ConsulRenderer.RenderConfigs(templates, model, facts);

        // 0640 lets the consul group (the agent) read it when root installs it; otherwise only the owner may.
        UnixFileMode mode = asRoot
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
            : UnixFileMode.UserRead | UnixFileMode.UserWrite;

        // As root, hand the files to the agent's group when it exists (root:consul 0640, as the package ships them).
        int? gid = asRoot ? UnixOwnership.GroupId(ConsulRenderer.ServiceUser) : null;
        var paths = new Dictionary<AgentRole, string>();
        var replaced = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((AgentRole role, RenderedConfig config) in configs)
        {
            string directory = Path.Combine(outputDirectory, role.ToName());
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, config.FileName);
            // The same config in the other format (consul.json after consul.hcl, or the reverse)
            // goes once the new one is in place: the agent would read both, old key included.
            string[] previous = [path, .. ConfigFileNames.Where(n => n != config.FileName).Select(n => Path.Combine(directory, n)).Where(File.Exists)];
            foreach (string file in previous)
            {
                if (KeyFingerprintIn(file) is { } old && old != key?.Fingerprint)
                {
                    replaced.Add(old);
                }
            }

            WriteAtomically(path, Encoding.UTF8.GetBytes(config.Text), mode, gid);
            foreach (string other in previous.Skip(1))
            {
                File.Delete(other);
            }

            paths.Add(role, Path.GetFullPath(path));
        }

        return new GeneratedConfigs(paths, key?.Fingerprint, mode, [.. replaced]);
    }

    /// <summary>The names a role's config may have (<see cref="RenderedConfig.FileName"/>).</summary>
    private static readonly string[] ConfigFileNames = ["consul.json", "consul.hcl"];

    /// <summary>The fingerprint of the key in an existing config; null when there is none or it cannot be read.</summary>
    private static string? KeyFingerprintIn(string path)
    {
        try
        {
            return ConfigValidator.EncryptValue(File.ReadAllText(path), path) is { } encrypt
                ? GossipKey.Parse(encrypt, path).Fingerprint
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PackageException)
        {
            return null; // a missing or foreign file is simply replaced
        }
    }

    private static void WriteAtomically(string path, byte[] content, UnixFileMode mode, int? gid)
    {
        try
        {
            // Created with its final mode and, before the rename, its group: never briefly
            // world-readable or visible with the wrong group.
            AtomicFile.WriteAllBytes(path, content, mode, gid is null ? null : temporary => UnixFiles.SetGroup(temporary, gid.Value));
        }
        catch (IOException e)
        {
            throw new PackageException($"could not write {path}: {MessageText.Flatten(e.Message)}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PackageException($"could not write {path}: permission denied; choose another output directory", e) { Setting = PackageSettings.Output };
        }
    }
}
