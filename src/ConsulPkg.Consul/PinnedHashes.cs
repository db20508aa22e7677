using System.Reflection;
using System.Text;

namespace ConsulPkg.Consul;

/// <summary>
/// SHA-256 hashes of known HashiCorp release zips, shipped as data (Data/pinned-hashes.txt). A
/// release listed here must match it even when its signed SHA256SUMS says otherwise.
/// </summary>
internal static class PinnedHashes
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Table = new(Load);

    /// <summary>The pinned hash of a zip file name such as consul_0.7.2_linux_amd64.zip, or null.</summary>
    public static string? For(string zipName)
    {
        ArgumentNullException.ThrowIfNull(zipName);
        return Table.Value.TryGetValue(zipName, out string? hash) ? hash : null;
    }

    public static IReadOnlyDictionary<string, string> All => Table.Value;

    private static Dictionary<string, string> Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("data/pinned-hashes.txt")
            ?? throw new InvalidOperationException("embedded resource data/pinned-hashes.txt is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] parts = line.Split("  ");
            if (parts.Length != 2 || !Sha256Sums.IsSha256Hex(parts[0]))
            {
                throw new InvalidOperationException($"malformed line in pinned-hashes.txt: {line}");
            }

            table.Add(parts[1], parts[0]);
        }

        return table;
    }
}
