namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// A Debian 12 root whose only apt source is our repository, trusted through a deb822
/// <c>Signed-By</c> keyring, as the stanza <c>repo publish</c> prints tells a user to set it up.
/// </summary>
public sealed class AptClient : IDisposable
{
    private const string Keyring = "/etc/apt/keyrings/consul-pkg-repository.gpg";

    /// <param name="architecture">The client's architecture when not the host's: apt fetches and offers only that one's indices (and all).</param>
    public AptClient(Uri repository, string keyringFile, string suite = "stable", string components = "main", string? architecture = null, RootVariant? variant = null)
    {
        Root = DebianRoot.Create(variant ?? RootVariant.Minbase);
        // Only our repository: no Debian mirror that could satisfy or mask anything.
        File.Delete(Root.HostPath("/etc/apt/sources.list"));
        foreach (string file in Directory.GetFiles(Root.HostPath("/etc/apt/sources.list.d")))
        {
            File.Delete(file);
        }

        Directory.CreateDirectory(Root.HostPath("/etc/apt/keyrings"));
        File.Copy(keyringFile, Root.HostPath(Keyring));
        File.WriteAllText(Root.HostPath("/etc/apt/sources.list.d/consul-pkg-repository.sources"),
            $"Types: deb\nURIs: {repository}\nSuites: {suite}\nComponents: {components}\nSigned-By: {Keyring}\n");
        if (architecture is not null)
        {
            File.WriteAllText(Root.HostPath("/etc/apt/apt.conf.d/90architecture"), $"APT::Architecture \"{architecture}\";\nAPT::Architectures {{ \"{architecture}\"; }};\n");
        }
    }

    public DebianRoot Root { get; }

    public ProcessResult Update(params string[] options) => Root.Run(["apt-get", .. options, "update"]);

    public ProcessResult Install(params string[] arguments) => Root.Run(["apt-get", "install", "-y", .. arguments]);

    /// <summary>Lines apt marks as warnings or errors (W:, E:, Err:) in both streams.</summary>
    public static IReadOnlyList<string> Complaints(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return (result.StdOut + "\n" + result.StdErr).Split('\n')
            .Where(l => l.StartsWith("W:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("Err:", StringComparison.Ordinal))
            .ToList();
    }

    public void Dispose() => Root.Dispose();
}
