using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ConsulPkg.Testing;

/// <summary>
/// One agent's HTTP API on 127.0.0.1 (an ephemeral port) serving a <see cref="FakeConsulCluster"/>.
/// Several agents may serve one cluster in turn: a test stops one between steps (the agent
/// died) and starts another to see a rerun resume from the cluster's state.
/// </summary>
public sealed class FakeConsulAgent : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly FakeConsulCluster _cluster;
    private readonly Task _loop;
    private volatile bool _stopped;
    private volatile bool _dead;

    public FakeConsulAgent(FakeConsulCluster cluster)
    {
        _cluster = cluster;
        int port = FreePort();
        Address = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Address { get; }

    /// <summary>"METHOD /path?query" of every request served, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The X-Consul-Token header of every request (null when absent).</summary>
    public ConcurrentQueue<string?> Tokens { get; } = new();

    /// <summary>Runs as each request arrives, before it is answered (to look at the client while it waits).</summary>
    public Action<string>? OnRequest { get; set; }

    /// <summary>The agent stops (as if it died) right after answering the first request this matches.</summary>
    public Func<string, bool>? StopAfter { get; set; }

    private async Task ServeAsync()
    {
        while (!_stopped)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (_dead)
            {
                context.Response.Abort(); // came in while the agent was going down: the connection is reset
                continue;
            }

            string line = $"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}";
            Requests.Enqueue(line);
            string? token = context.Request.Headers["X-Consul-Token"];
            Tokens.Enqueue(token);
            OnRequest?.Invoke(line);
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            (int status, string text) = _cluster.Handle(context.Request.HttpMethod, context.Request.Url.PathAndQuery, token, body.ToArray());
            byte[] bytes = FakeConsulCluster.Utf8(text);
            bool dies = StopAfter?.Invoke(line) == true;
            _dead |= dies;
            context.Response.StatusCode = status;
            context.Response.KeepAlive = false; // a new connection per request: once stopped, the next one is refused
            context.Response.ContentType = status == 200 ? "application/json" : "text/plain";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
            if (dies)
            {
                Stop();
            }
        }
    }

    /// <summary>Stops listening: later connections are refused, as when the agent is gone.</summary>
    public void Stop()
    {
        _stopped = true;
        try
        {
            _listener.Stop();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        _listener.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
