using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// Serves a repository directory over HTTP on 127.0.0.1 (an ephemeral port), reading each file
/// when it is requested, as a static web server does: a publish running meanwhile is seen file by
/// file. A path can be pinned to fixed bytes, to play a client that fetched an older file.
/// </summary>
public sealed class RepositoryServer : IDisposable
{
    private readonly string _root;
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, byte[]> _pinned = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public RepositoryServer(string root)
    {
        _root = root;
        (_listener, BaseUrl) = Listen();
        _loop = Task.Run(Serve);
    }

    public Uri BaseUrl { get; }

    /// <summary>Serves <paramref name="content"/> for <paramref name="path"/> ("/dists/stable/InRelease") from now on.</summary>
    public void Pin(string path, byte[] content) => _pinned[path] = content;

    public void Dispose()
    {
        _listener.Stop();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
            // the loop ends with the listener
        }

        _listener.Close();
    }

    private static (HttpListener, Uri) Listen()
    {
        // HttpListener cannot pick a port itself: take a free one from the kernel, then bind it.
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(url.ToString());
            try
            {
                listener.Start();
                return (listener, url);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // someone took the port in between
            }
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
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

            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using HttpListenerResponse response = context.Response;
        try
        {
            string path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath);
            byte[]? body = _pinned.TryGetValue(path, out byte[]? pinned) ? pinned : Read(path);
            if (body is null)
            {
                response.StatusCode = 404;
                return;
            }

            response.ContentLength64 = body.Length;
            if (context.Request.HttpMethod != "HEAD")
            {
                response.OutputStream.Write(body);
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException)
        {
            // the client went away
        }
    }

    private byte[]? Read(string path)
    {
        string full = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
        if (!full.StartsWith(_root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
