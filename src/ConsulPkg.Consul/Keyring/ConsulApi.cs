using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Keyring;

/// <summary>A keyring change, as the HTTP method Consul takes it with.</summary>
internal enum KeyringChange
{
    /// <summary>POST: every member adds the key (a no-op where it is installed).</summary>
    Install,

    /// <summary>PUT: every member encrypts with the key, which must be installed.</summary>
    Use,

    /// <summary>DELETE: every member drops the key; a member that encrypts with it refuses.</summary>
    Remove,
}

/// <summary>A member as <c>/v1/agent/members</c> lists it; <see cref="Status"/> is serf's (1 alive, 2 leaving, 3 left, 4 failed).</summary>
internal sealed record AgentMember(string Name, int Status)
{
    public bool IsAlive => Status == 1;

    public string StatusName => Status switch
    {
        0 => "unknown",
        1 => "alive",
        2 => "leaving",
        3 => "left",
        4 => "failed",
        _ => $"status {Status}",
    };
}

/// <summary>
/// Consul answered a keyring request with its own failure report (HTTP 500): some pool had
/// members that did not answer in time ("2/3 nodes reported success") or that answered with an
/// error, each named with its message ("node3: Requested key is not in the keyring"). The
/// message is Consul's, flattened to one line, with every known key replaced by its fingerprint.
/// </summary>
internal sealed class KeyringRefusal : PackageException
{
    public KeyringRefusal(string message, IReadOnlyList<string> poolErrors, IReadOnlyDictionary<string, string> memberErrors)
        : base(message)
    {
        PoolErrors = poolErrors;
        MemberErrors = memberErrors;
    }

    /// <summary>"dc1 (LAN) error: 2/3 nodes reported success".</summary>
    public IReadOnlyList<string> PoolErrors { get; }

    /// <summary>Member name and what it reported.</summary>
    public IReadOnlyDictionary<string, string> MemberErrors { get; }
}

/// <summary>
/// The few calls of a Consul agent's HTTP API that a key rotation needs, the same from 0.7.2 to
/// 2.x: the agent's version, the keyring (list, install, use, remove) and the members. The
/// token goes in the <c>X-Consul-Token</c> header (never the URL, which proxies and access logs
/// keep); keys go only in request bodies. Every text the agent sends back is searched for the
/// keys this client knows before it reaches a message.
/// </summary>
internal sealed class ConsulApi : IDisposable
{
    private const string KeyringPath = "v1/operator/keyring";

    /// <summary>An unreachable host is said so after this, where the request's own timeout is longer.</summary>
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly List<GossipKey> _secrets = [];

    /// <param name="requestTimeout">How long one request (connecting, sending, reading the answer) may take, on <paramref name="time"/>.</param>
    public ConsulApi(Uri address, string? token, TimeSpan requestTimeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(time);
        Address = address;
        _requestTimeout = requestTimeout;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            // A shorter request timeout bounds the connect itself, on the same clock as the steps' waits.
            ConnectTimeout = requestTimeout > ConnectLimit ? ConnectLimit : Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false, // a redirect would carry the token to another host
            UseProxy = true,
        };
        _client = new HttpClient(handler)
        {
            BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/"),
            Timeout = Timeout.InfiniteTimeSpan, // the request timeout runs on the given clock (SendAsync)
        };
        _client.DefaultRequestHeaders.UserAgent.Add(HttpUserAgent.Product);
        if (!string.IsNullOrEmpty(token))
        {
            _client.DefaultRequestHeaders.TryAddWithoutValidation("X-Consul-Token", token);
        }
    }

    public Uri Address { get; }

    /// <summary>Keys that must never appear in a message: each is replaced by its fingerprint.</summary>
    public void Conceal(IEnumerable<GossipKey> keys) => _secrets.AddRange(keys);

    /// <summary>The agent's Consul version, from <c>/v1/agent/self</c> (<c>Config.Version</c> in every release).</summary>
    public async Task<ReleaseVersion> AgentVersionAsync(CancellationToken cancellationToken)
    {
        byte[] body = await SendAsync(HttpMethod.Get, "v1/agent/self", null, cancellationToken).ConfigureAwait(false);
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Config", out JsonElement config)
                && config.ValueKind == JsonValueKind.Object
                && config.TryGetProperty("Version", out JsonElement version)
                && version.ValueKind == JsonValueKind.String
                && ReleaseVersion.TryParse(version.GetString()!) is { } parsed)
            {
                return parsed;
            }
        }
        catch (JsonException)
        {
            // described below
        }

        throw new PackageException($"{Address} did not answer /v1/agent/self with a Consul agent's Config.Version: is it a Consul agent's HTTP API?")
        {
            Setting = KeyringSettings.HttpAddress,
        };
    }

    /// <summary>Every pool's keys. Throws <see cref="KeyringRefusal"/> when some member did not answer.</summary>
    public async Task<KeyringListing> ListAsync(CancellationToken cancellationToken)
    {
        byte[] body = await SendAsync(HttpMethod.Get, KeyringPath, null, cancellationToken).ConfigureAwait(false);
        KeyringListing listing = KeyringListing.Parse(body, new Uri(_client.BaseAddress!, KeyringPath).ToString());
        Conceal(listing.Keys);
        return listing;
    }

    /// <summary>Sends one change to every member of every pool. Throws <see cref="KeyringRefusal"/> when a member did not take it.</summary>
    public async Task ChangeAsync(KeyringChange change, GossipKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        HttpMethod method = change switch
        {
            KeyringChange.Install => HttpMethod.Post,
            KeyringChange.Use => HttpMethod.Put,
            KeyringChange.Remove => HttpMethod.Delete,
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, "unknown keyring change"),
        };
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("Key", key.ToBase64());
            writer.WriteEndObject();
        }

        byte[] bytes = body.ToArray();
        try
        {
            await SendAsync(method, KeyringPath, bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The LAN members (or with <paramref name="wan"/> the WAN members) this agent knows; empty when the agent will not say.</summary>
    public async Task<IReadOnlyList<AgentMember>> MembersAsync(bool wan, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await SendAsync(HttpMethod.Get, wan ? "v1/agent/members?wan=1" : "v1/agent/members", null, cancellationToken).ConfigureAwait(false);
        }
        catch (PackageException)
        {
            return []; // only ever used to say more about a failure; a client agent has no WAN members to list
        }

        var members = new List<AgentMember>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement member in document.RootElement.EnumerateArray())
                {
                    if (member.ValueKind == JsonValueKind.Object
                        && member.TryGetProperty("Name", out JsonElement name) && name.ValueKind == JsonValueKind.String
                        && member.TryGetProperty("Status", out JsonElement status) && status.TryGetInt32(out int code))
                    {
                        members.Add(new AgentMember(name.GetString()!, code));
                    }
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }

        return members;
    }

    private async Task<byte[]> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var url = new Uri(_client.BaseAddress!, path);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var timeout = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        byte[] content;
        try
        {
            response = await _client.SendAsync(request, linked.Token).ConfigureAwait(false);
            try
            {
                content = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        catch (HttpRequestException e)
        {
            throw new PackageException($"cannot reach Consul at {Address}: {Conceal(Describe(e))}") { Setting = KeyringSettings.HttpAddress };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PackageException($"Consul at {Address} did not answer {method} {url.AbsolutePath} within {_requestTimeout.TotalSeconds:0.#} s") { Setting = KeyringSettings.Timeout };
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return content;
            }

            string text = Conceal(MessageText.Flatten(Encoding.UTF8.GetString(content)));
            if (text.Length > 400)
            {
                text = text[..400] + "...";
            }

            int status = (int)response.StatusCode;
            throw response.StatusCode switch
            {
                HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => new PackageException(
                    $"Consul at {Address} refused {method} {url.AbsolutePath} (HTTP {status}: {text}): give a token with keyring:write") { Setting = KeyringSettings.Token },
                HttpStatusCode.NotFound when path == KeyringPath => new PackageException(
                    $"Consul at {Address} has no {url.AbsolutePath} (HTTP 404): the keyring HTTP API came in Consul 0.7.2") { Setting = KeyringSettings.HttpAddress },
                HttpStatusCode.InternalServerError when path == KeyringPath => Refusal(text, Encoding.UTF8.GetString(content)),
                _ => new PackageException($"Consul at {Address} answered {method} {url.AbsolutePath} with HTTP {status}: {text}") { Setting = KeyringSettings.HttpAddress },
            };
        }
    }

    /// <summary>
    /// Consul reports the pools' errors as a go-multierror list, one "* " line each (0.7's
    /// "N error(s) occurred:\n\n* a\n* b", 1.x's "N errors occurred:\n\t* a\n\t* b"): a pool's
    /// "dc1 (LAN) error: ..." or "WAN error: ...", then "node: message" for each member that failed.
    /// </summary>
    private KeyringRefusal Refusal(string flat, string raw)
    {
        var pools = new List<string>();
        var members = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in raw.Split('\n'))
        {
            string item = line.TrimStart('\t', ' ');
            if (!item.StartsWith("* ", StringComparison.Ordinal))
            {
                continue;
            }

            item = Conceal(item[2..].Trim());
            int errorAt = item.IndexOf(" error: ", StringComparison.Ordinal);
            if (errorAt > 0 && (item.StartsWith("WAN", StringComparison.Ordinal) || item[..errorAt].EndsWith("(LAN)", StringComparison.Ordinal)))
            {
                pools.Add(item);
                continue;
            }

            int colon = item.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                members[item[..colon]] = item[(colon + 2)..];
            }
        }

        string what = pools.Count + members.Count == 0 ? flat : string.Join("; ", pools.Concat(members.Select(m => $"{m.Key}: {m.Value}")));
        return new KeyringRefusal($"Consul at {Address} reported: {what}", pools, members);
    }

    private string Conceal(string text)
    {
        foreach (GossipKey key in _secrets)
        {
            text = key.Redact(text);
        }

        return text;
    }

    private static string Describe(HttpRequestException e)
    {
        string text = e.InnerException?.Message ?? e.Message;
        return MessageText.Flatten(text);
    }

    public void Dispose() => _client.Dispose();
}
