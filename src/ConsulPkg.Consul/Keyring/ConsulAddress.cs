using System.Text;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Keyring;

/// <summary>
/// Where an agent's HTTP API is and how to prove the right to use it, read the way the consul
/// command reads them: <c>CONSUL_HTTP_ADDR</c>-style addresses and a token file.
/// </summary>
public static class ConsulAddress
{
    /// <summary>The consul command's default: the local agent.</summary>
    public static Uri Default { get; } = new("http://127.0.0.1:8500/");

    public const string AddressVariable = "CONSUL_HTTP_ADDR";

    public const string TokenVariable = "CONSUL_HTTP_TOKEN";

    /// <summary>A token file holds one line; anything larger is not a token file.</summary>
    public const int MaxTokenFileBytes = 4096;

    /// <summary>
    /// <c>http://host:port</c>, <c>https://host:port</c>, or <c>host:port</c> (http, as the consul
    /// command takes it). Null with the reason when it is none of these.
    /// </summary>
    public static Uri? TryParse(string text, out string? why)
    {
        ArgumentNullException.ThrowIfNull(text);
        string candidate = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(candidate, UriKind.Absolute, out Uri? uri) && uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            why = $"the '{uri.Scheme}' scheme is not supported; give an http or https address of the agent";
            return null;
        }

        if (uri is null || uri.Host.Length == 0)
        {
            why = "give http://HOST:PORT, https://HOST:PORT or HOST:PORT";
            return null;
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            why = "give the agent's address only, without user, query or fragment (the token comes from a file or the environment)";
            return null;
        }

        why = null;
        return uri;
    }

    /// <summary>The first line of a token file, surrounding whitespace removed (as Consul reads its token files).</summary>
    public static string TokenFromFile(string path) =>
        SecretFile.Read(path, MaxTokenFileBytes, "token file", "write the ACL token (its SecretID) into it, one line", content =>
        {
            string text = Encoding.UTF8.GetString(content);
            int newline = text.IndexOf('\n', StringComparison.Ordinal);
            string token = (newline < 0 ? text : text[..newline]).Trim();
            return token.Length == 0 || token.Any(char.IsControl)
                ? throw new PackageException($"token file '{path}' holds no token on its first line: write the ACL token (its SecretID) into it") { Setting = KeyringSettings.Token }
                : token;
        });
}
