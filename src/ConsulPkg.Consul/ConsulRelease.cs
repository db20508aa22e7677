using System.Text.RegularExpressions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// One Consul release for one architecture and where its files live under a release base URL,
/// in HashiCorp's layout: <c>&lt;base&gt;/consul/&lt;ver&gt;/consul_&lt;ver&gt;_linux_&lt;arch&gt;.zip</c>,
/// <c>consul_&lt;ver&gt;_SHA256SUMS</c> and its detached signatures.
/// </summary>
public sealed partial record ConsulRelease
{
    /// <summary>HashiCorp's release site; overridden by an option or <see cref="BaseUrlEnvironmentVariable"/>.</summary>
    public static Uri DefaultBaseUrl { get; } = new("https://releases.hashicorp.com/");

    public const string BaseUrlEnvironmentVariable = "CONSUL_PKG_RELEASE_URL";

    /// <summary>Suffix of the signature made with the current key (C874…72D7468F), preferred when present.</summary>
    public const string KeyIdSignatureSuffix = ".72D7468F.sig";

    public const string PlainSignatureSuffix = ".sig";

    /// <summary>Each of major, minor and patch fits an int with room to spare; HashiCorp's have one to three digits.</summary>
    private const int MaxComponentDigits = 6;

    public string Version { get; }

    /// <summary>Debian architecture name (amd64, i386, armhf, arm64).</summary>
    public string DebianArchitecture { get; }

    public string HashiCorpArchitecture { get; }

    public ConsulRelease(string version, string debianArchitecture)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!VersionPattern().IsMatch(version))
        {
            throw new PackageException(
                $"invalid Consul version '{version}': give a release number such as 0.7.2 or 1.17.0-rc1");
        }

        foreach (string component in version.Split('-', '+', '~')[0].Split('.'))
        {
            if (component.Length > MaxComponentDigits)
            {
                throw new PackageException(
                    $"invalid Consul version '{version}': '{component}' is out of range (a version number has at most {MaxComponentDigits} digits per part, e.g. 1.17.0)");
            }
        }

        Version = version;
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

    /// <summary>
    /// The base URL to use: the explicit option, else <see cref="BaseUrlEnvironmentVariable"/>, else
    /// HashiCorp's. Only http and https are accepted.
    /// </summary>
    public static Uri ResolveBaseUrl(string? option, string? environmentValue)
    {
        string? text = !string.IsNullOrWhiteSpace(option) ? option
            : !string.IsNullOrWhiteSpace(environmentValue) ? environmentValue
            : null;
        if (text is null)
        {
            return DefaultBaseUrl;
        }

        string source = !string.IsNullOrWhiteSpace(option) ? "--release-url" : BaseUrlEnvironmentVariable;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new PackageException($"invalid release URL '{text}' from {source}: give an absolute http:// or https:// URL such as https://releases.hashicorp.com");
        }

        return uri;
    }

    // Digits first, then what HashiCorp uses in version names (1.17.0, 1.9.0-rc1, 1.10.0+ent).
    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+([-+~][A-Za-z0-9.+~-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
