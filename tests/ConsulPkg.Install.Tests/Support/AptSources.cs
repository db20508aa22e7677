using System.Text;
using ConsulPkg.Debian;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>A Debian archive as this machine's apt knows it: where it is and the keyring apt checks it with.</summary>
public sealed record DebianMirror(Uri Uri, string? SignedBy);

/// <summary>
/// Finds the mirror that serves a suite in the host's apt configuration, so the test root comes
/// from the same archive apt already uses (a corporate mirror, a snapshot, a proxy) instead of a
/// hard-coded host. Reads deb822 <c>*.sources</c> files and one-line <c>sources.list</c>/<c>*.list</c>.
/// </summary>
public static class AptSources
{
    public const string DefaultDirectory = "/etc/apt";

    /// <summary>
    /// Environment variable that overrides the discovery, for a machine whose apt has no
    /// Debian source (the value is the archive's base URL).
    /// </summary>
    public const string MirrorOverrideVariable = "CONSUL_PKG_DEBIAN_MIRROR";

    public static DebianMirror FindMirror(string suite, string aptDirectory = DefaultDirectory)
    {
        var overridden = Environment.GetEnvironmentVariable(MirrorOverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return new DebianMirror(new Uri(overridden.Trim()), null);
        }

        var files = new List<string>();
        var list = Path.Combine(aptDirectory, "sources.list");
        if (File.Exists(list))
        {
            files.Add(list);
        }

        var directory = Path.Combine(aptDirectory, "sources.list.d");
        if (Directory.Exists(directory))
        {
            files.AddRange(Directory.EnumerateFiles(directory)
                .Where(f => f.EndsWith(".sources", StringComparison.Ordinal) || f.EndsWith(".list", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        }

        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var found = file.EndsWith(".sources", StringComparison.Ordinal)
                ? FromDeb822(text, suite)
                : FromOneLine(text, suite);
            if (found is not null)
            {
                return found;
            }
        }

        throw new InvalidOperationException(
            $"no 'deb' source for suite '{suite}' in {list} or {directory}/*.sources|*.list: "
            + $"add one, or set {MirrorOverrideVariable} to a Debian mirror URL");
    }

    /// <summary>deb822 format (sources.list(5)): paragraphs of "Field: value", '#' comment lines.</summary>
    public static DebianMirror? FromDeb822(string text, string suite)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var stanza in Deb822Paragraph.ParseAll(Encoding.UTF8.GetBytes(text), "sources", comments: true))
        {
            if (stanza["Enabled"] is { } enabled && enabled.Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!Words(stanza, "Types").Contains("deb") || !Words(stanza, "Suites").Contains(suite))
            {
                continue;
            }

            var uri = Words(stanza, "URIs").Select(ParseUri).FirstOrDefault(u => u is not null);
            if (uri is not null)
            {
                var signedBy = stanza["Signed-By"];
                return new DebianMirror(uri, signedBy is not null && signedBy.StartsWith('/') ? signedBy : null);
            }
        }

        return null;
    }

    /// <summary>One-line format: <c>deb [options] URI suite component...</c>.</summary>
    public static DebianMirror? FromOneLine(string text, string suite)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = StripComment(rawLine).Trim();
            if (!line.StartsWith("deb ", StringComparison.Ordinal) && !line.StartsWith("deb\t", StringComparison.Ordinal))
            {
                continue;
            }

            line = line[3..].Trim();
            string? signedBy = null;
            if (line.StartsWith('['))
            {
                var end = line.IndexOf(']', StringComparison.Ordinal);
                if (end < 0)
                {
                    continue;
                }

                foreach (var option in line[1..end].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (option.StartsWith("signed-by=", StringComparison.Ordinal))
                    {
                        signedBy = option["signed-by=".Length..];
                    }
                }

                line = line[(end + 1)..].Trim();
            }

            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[1] == suite && ParseUri(words[0]) is { } uri)
            {
                return new DebianMirror(uri, signedBy is not null && signedBy.StartsWith('/') ? signedBy : null);
            }
        }

        return null;
    }

    private static string[] Words(Deb822Paragraph stanza, string field) =>
        stanza[field]?.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? line : line[..hash];
    }

    // debootstrap fetches over http(s) or reads a file: URI; cdrom:, tor+ and mirror+ schemes are
    // apt transports it does not have.
    private static Uri? ParseUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file" ? uri : null;
}
