using System.Text.Json;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Versions;

/// <summary>
/// HashiCorp's release index, <c>&lt;base&gt;/consul/index.json</c>: an object whose
/// <c>versions</c> maps each version to its <c>builds</c> (<c>os</c>, <c>arch</c>, <c>filename</c>,
/// <c>url</c>). Only used to turn <c>latest</c> into a version number: the index is not signed, and
/// the version it names is then fetched and verified like any other.
/// </summary>
internal static class ReleaseIndex
{
    public const string FileName = "index.json";

    /// <summary>HashiCorp's index lists every release and build: a few MiB, growing.</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The index under a release base URL.</summary>
    public static Uri UrlOf(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        string text = baseUrl.ToString();
        return new Uri(new Uri(text.EndsWith('/') ? text : text + "/"), "consul/" + FileName);
    }

    /// <summary>
    /// The newest release <paramref name="request"/> matches that has a linux build for
    /// <paramref name="hashiCorpArchitecture"/>; pre-releases (<c>-rc1</c>, <c>-beta2</c>, <c>+ent</c>) never.
    /// </summary>
    /// <param name="source">Where the index came from, for messages.</param>
    public static ReleaseVersion Newest(ReadOnlyMemory<byte> index, VersionRequest request, string hashiCorpArchitecture, string source)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(index);
        }
        catch (JsonException e)
        {
            throw new PackageException($"release index {source} is not valid JSON (line {e.LineNumber + 1}): is the release URL a HashiCorp-style mirror?");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("versions", out JsonElement versions)
                || versions.ValueKind != JsonValueKind.Object)
            {
                throw new PackageException($"release index {source} has no 'versions' object: is the release URL a HashiCorp-style mirror?");
            }

            ReleaseVersion? newest = null;
            foreach (JsonProperty entry in versions.EnumerateObject())
            {
                ReleaseVersion? version = ReleaseVersion.TryParse(entry.Name);
                if (version is null || !request.Matches(version) || !HasLinuxBuild(entry.Value, hashiCorpArchitecture))
                {
                    continue;
                }

                if (newest is null || version > newest)
                {
                    newest = version;
                }
            }

            return newest ?? throw new PackageException(
                $"release index {source} lists no release matching '{request}' with a linux_{hashiCorpArchitecture} build: give the Consul version explicitly")
            {
                Setting = ConsulSettings.ConsulVersion,
            };
        }
    }

    /// <summary>An entry without a <c>builds</c> list is taken at its word; one with a list must name the build.</summary>
    private static bool HasLinuxBuild(JsonElement release, string hashiCorpArchitecture)
    {
        if (release.ValueKind != JsonValueKind.Object || !release.TryGetProperty("builds", out JsonElement builds) || builds.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        foreach (JsonElement build in builds.EnumerateArray())
        {
            if (build.ValueKind == JsonValueKind.Object
                && build.TryGetProperty("os", out JsonElement os) && os.ValueEquals("linux")
                && build.TryGetProperty("arch", out JsonElement arch) && arch.ValueEquals(hashiCorpArchitecture))
            {
                return true;
            }
        }

        return false;
    }
}
