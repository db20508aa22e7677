using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// One Consul release for one architecture and where its files live under a release base URL,
/// in HashiCorp's layout: <c>&lt;base&gt;/consul/&lt;ver&gt;/consul_&lt;ver&gt;_linux_&lt;arch&gt;.zip</c>,
/// <c>consul_&lt;ver&gt;_SHA256SUMS</c> and its detached signatures.
/// </summary>
public sealed record ConsulRelease
{
    /// <summary>HashiCorp's release site; a front end may take another from an option or <see cref="BaseUrlEnvironmentVariable"/>.</summary>
    public static Uri DefaultBaseUrl { get; } = new("https://releases.hashicorp.com/");

    public const string BaseUrlEnvironmentVariable = "CONSUL_PKG_RELEASE_URL";

    /// <summary>Suffix of the signature made with the current key (C874…72D7468F), preferred when present.</summary>
    public const string KeyIdSignatureSuffix = ".72D7468F.sig";

    public const string PlainSignatureSuffix = ".sig";

    public string Version { get; }

    /// <summary>Debian architecture name (amd64, i386, armhf, arm64).</summary>
    public string DebianArchitecture { get; }

    public string HashiCorpArchitecture { get; }

    public ConsulRelease(string version, string debianArchitecture)
    {
        ArgumentNullException.ThrowIfNull(version);
        Version = Versions.ReleaseVersion.Parse(version).Text;
        DebianArchitecture = debianArchitecture;
        HashiCorpArchitecture = ConsulArchitecture.ToHashiCorp(debianArchitecture);
    }

    public string ZipName => $"consul_{Version}_linux_{HashiCorpArchitecture}.zip";

    public string SumsName => $"consul_{Version}_SHA256SUMS";

    /// <summary>Signature file names, most preferred first.</summary>
    public IReadOnlyList<string> SignatureNames => [SumsName + KeyIdSignatureSuffix, SumsName + PlainSignatureSuffix];

    /// <summary>The URL of <paramref name="fileName"/> in this release's directory under <paramref name="baseUrl"/>.</summary>
    public Uri UrlOf(Uri baseUrl, string fileName)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        string text = baseUrl.ToString();
        Uri directory = new(text.EndsWith('/') ? text : text + "/");
        return new Uri(directory, $"consul/{Uri.EscapeDataString(Version)}/{Uri.EscapeDataString(fileName)}");
    }

    /// <summary>A release base URL; only http and https are accepted.</summary>
    /// <param name="source">Where the text came from (an option, a variable), for the message.</param>
    public static Uri ParseBaseUrl(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new PackageException($"invalid release URL '{MessageText.OneLine(text)}' from {source}: give an absolute http:// or https:// URL such as https://releases.hashicorp.com");
        }

        return uri;
    }
}
