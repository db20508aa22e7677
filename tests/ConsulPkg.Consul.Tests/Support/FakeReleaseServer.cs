using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ConsulPkg.Consul.Tests.Support;

/// <summary>What the server does wrong on a request.</summary>
internal enum Fault
{
    /// <summary>Send the headers and half the body, then reset the connection.</summary>
    DropMidBody,

    /// <summary>Answer 503.</summary>
    ServiceUnavailable,

    /// <summary>Read the request and never answer (until the server stops).</summary>
    Stall,

    /// <summary>Send the headers and half the body, then nothing more (until the server stops).</summary>
    StallAfterHeaders,

    /// <summary>Send the headers, then the body one byte every 100 ms: never idle long enough for a read timeout.</summary>
    Trickle,
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) serving a fake release. Built on a raw
/// TcpListener so it can misbehave the way real networks do: reset a connection mid-body or
/// answer 5xx, a given number of times or always. One request per connection.
/// </summary>
internal sealed class FakeReleaseServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Fault> _permanentFaults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _stopped;

    public FakeReleaseServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUrl { get; }

    /// <summary>Hosts of requests that came in proxy form (<c>GET http://host/path</c>).</summary>
    public ConcurrentBag<string> ProxiedHosts { get; } = [];

    /// <summary>The User-Agent header of every request.</summary>
    public ConcurrentBag<string> UserAgents { get; } = [];

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> ("/consul/1.2.3/x.zip").</summary>
    public void Serve(string path, byte[] content) => _files[path] = content;

    public void Remove(string path) => _files.TryRemove(path, out _);

    /// <summary>The next <paramref name="times"/> requests for <paramref name="path"/> fail with <paramref name="fault"/>.</summary>
    public void FailNext(string path, Fault fault, int times = 1)
    {
        ConcurrentQueue<Fault> queue = _faults.GetOrAdd(path, _ => new ConcurrentQueue<Fault>());
        for (int i = 0; i < times; i++)
        {
            queue.Enqueue(fault);
        }
    }

    public void FailAlways(string path, Fault fault) => _permanentFaults[path] = fault;

    /// <summary>Answers every request for <paramref name="path"/> with a 302 to <paramref name="location"/>, taken verbatim.</summary>
    public void Redirect(string path, string location) => _redirects[path] = location;

    /// <summary>Completed when the <paramref name="nth"/> request for <paramref name="path"/> has been read: a test can act at that moment.</summary>
    public Task RequestArrived(string path, int nth = 1) => Signal(_arrivals, (path, nth)).Task;

    /// <summary>Completed when the headers (and any first bytes) of a faulty answer for <paramref name="path"/> have been sent.</summary>
    public Task ResponseStarted(string path) => Signal(_responses, (path, 1)).Task;

    private readonly ConcurrentDictionary<(string Path, int Nth), TaskCompletionSource> _arrivals = new();
    private readonly ConcurrentDictionary<(string Path, int Nth), TaskCompletionSource> _responses = new();

    private static TaskCompletionSource Signal(ConcurrentDictionary<(string Path, int Nth), TaskCompletionSource> signals, (string, int) key) =>
        signals.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public int RequestCount(string path) => _requests.TryGetValue(path, out int n) ? n : 0;

    /// <summary>Stops listening: later connections are refused, as with no network.</summary>
    public void Stop()
    {
        _stopped = true;
        _stopping.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
            // the accept loop ends with the listener
        }
    }

    public void Dispose()
    {
        if (!_stopped)
        {
            Stop();
        }

        _listener.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stopped)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(socket));
        }
    }

    private void Handle(Socket socket)
    {
        using (socket)
        {
            try
            {
                string? path = ReadRequestPath(socket);
                if (path is null)
                {
                    return;
                }

                int nth = _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
                Signal(_arrivals, (path, nth)).TrySetResult();
                if (_redirects.TryGetValue(path, out string? location))
                {
                    socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                Fault? fault = _permanentFaults.TryGetValue(path, out Fault f) ? f
                    : _faults.TryGetValue(path, out var queue) && queue.TryDequeue(out Fault q) ? q
                    : null;

                if (!_files.TryGetValue(path, out byte[]? body))
                {
                    Send(socket, 404, "Not Found", Encoding.ASCII.GetBytes("not found\n"));
                    return;
                }

                switch (fault)
                {
                    case Fault.Stall:
                        _stopping.Token.WaitHandle.WaitOne(); // hold the connection open, silent
                        return;
                    case Fault.StallAfterHeaders:
                        socket.Send(Header(200, "OK", body.Length));
                        socket.Send(body.AsSpan(0, body.Length / 2));
                        Signal(_responses, (path, 1)).TrySetResult();
                        _stopping.Token.WaitHandle.WaitOne();
                        return;
                    case Fault.Trickle:
                        socket.Send(Header(200, "OK", body.Length));
                        Signal(_responses, (path, 1)).TrySetResult();
                        for (int i = 0; i < body.Length && !_stopping.Token.WaitHandle.WaitOne(100); i++)
                        {
                            socket.Send(body.AsSpan(i, 1));
                        }

                        return;
                    case Fault.ServiceUnavailable:
                        Send(socket, 503, "Service Unavailable", Encoding.ASCII.GetBytes("try later\n"));
                        return;
                    case Fault.DropMidBody:
                        socket.Send(Header(200, "OK", body.Length));
                        socket.Send(body.AsSpan(0, body.Length / 2));
                        socket.LingerState = new LingerOption(true, 0); // close with RST: "connection reset"
                        socket.Close();
                        return;
                    default:
                        Send(socket, 200, "OK", body);
                        return;
                }
            }
            catch (SocketException)
            {
                // the client went away; nothing to do
            }
        }
    }

    private string? ReadRequestPath(Socket socket)
    {
        var received = new List<byte>();
        byte[] buffer = new byte[4096];
        while (true)
        {
            int n = socket.Receive(buffer);
            if (n == 0)
            {
                return null;
            }

            received.AddRange(buffer.AsSpan(0, n));
            string text = Encoding.ASCII.GetString(received.ToArray());
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                string[] headers = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
                foreach (string header in headers.Where(h => h.StartsWith("User-Agent:", StringComparison.OrdinalIgnoreCase)))
                {
                    UserAgents.Add(header["User-Agent:".Length..].Trim());
                }

                string[] requestLine = headers[0].Split(' ');
                string target = requestLine[1];
                if (Uri.TryCreate(target, UriKind.Absolute, out Uri? absolute) && absolute.Scheme == Uri.UriSchemeHttp)
                {
                    // absolute-form: the client is using this server as its HTTP proxy
                    ProxiedHosts.Add(absolute.Host);
                    target = absolute.AbsolutePath;
                }

                return Uri.UnescapeDataString(target);
            }
        }
    }

    private static byte[] Header(int status, string reason, long length) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Length: {length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");

    private static void Send(Socket socket, int status, string reason, byte[] body)
    {
        socket.Send(Header(status, reason, body.Length));
        socket.Send(body);
        socket.Shutdown(SocketShutdown.Send);
    }
}
