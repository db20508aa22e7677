using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// Downloads release files over HTTP(S) with timeouts and retries. Transient failures (connection
/// refused or reset, 5xx, 408/429, a body shorter than its Content-Length) are retried with
/// exponential backoff; 404 and other 4xx, and a TLS failure (a certificate does not get better
/// by asking again), are reported at once. Each file has an overall deadline. Redirects are
/// followed here, not by the handler, so that only http and https targets are followed (and
/// never from https down to http). Proxies come from the standard
/// environment variables (http_proxy, https_proxy, all_proxy, no_proxy: .NET's default proxy
/// reads them on Linux). Large files are streamed to disk and hashed on the way, never held in memory.
/// </summary>
internal sealed class ReleaseDownloader : IDisposable
{
    private readonly HttpClient _client;
    private readonly DownloadOptions _options;

    public ReleaseDownloader(DownloadOptions? options = null)
    {
        _options = options ?? DownloadOptions.Default;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _options.ConnectTimeout,
            UseProxy = true, // HttpClient.DefaultProxy: the environment's proxy settings
            AutomaticDecompression = DecompressionMethods.None, // hashes are of the bytes served
            AllowAutoRedirect = false, // followed in TryOnceAsync, which checks each target
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(HttpUserAgent.Product);
    }

    /// <summary>A small file (SHA256SUMS, signature) in memory; null when the server says 404 and <paramref name="optional"/>.</summary>
    public Task<byte[]?> GetBytesAsync(Uri url, bool optional, CancellationToken cancellationToken = default) =>
        GetBytesAsync(url, optional, _options.MaxSmallFileBytes, cancellationToken);

    /// <summary>A file in memory, up to <paramref name="maxBytes"/> (the release index is larger than a SHA256SUMS).</summary>
    public async Task<byte[]?> GetBytesAsync(Uri url, bool optional, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var buffer = new MemoryStream();
        bool found = await DownloadAsync(url, buffer, maxBytes, optional, showProgress: false, cancellationToken).ConfigureAwait(false);
        return found ? buffer.ToArray() : null;
    }

    /// <summary>
    /// Streams <paramref name="url"/> to <paramref name="destinationPath"/> (replaced on each
    /// attempt). Nothing here vouches for the bytes: <see cref="ReleaseVerifier"/> does.
    /// </summary>
    public async Task DownloadFileAsync(Uri url, string destinationPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var file = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await DownloadAsync(url, file, _options.MaxZipBytes, optional: false, showProgress: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> DownloadAsync(Uri url, Stream sink, long maxBytes, bool optional, bool showProgress, CancellationToken cancellationToken)
    {
        Exception? last = null;
        TimeSpan delay = _options.InitialBackoff;
        using var deadline = new Countdown(_options.Time, _options.Deadline, cancellationToken);
        int attempt = 0;
        try
        {
            for (attempt = 1; attempt <= _options.MaxAttempts; attempt++)
            {
                if (attempt > 1)
                {
                    await Task.Delay(delay, _options.Time, deadline.Token).ConfigureAwait(false);
                    delay *= 2;
                }

                sink.SetLength(0);
                sink.Position = 0;
                try
                {
                    return await TryOnceAsync(url, sink, maxBytes, optional, showProgress, deadline.Token).ConfigureAwait(false);
                }
                catch (TransientDownloadException e)
                {
                    last = e; // its message already says what went wrong, in one line
                    _options.Progress?.WriteLine($"retrying {url} ({e.Message})");
                }
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DownloadException(
                $"gave up on {url} after {Seconds(_options.Deadline)} s, the download deadline ({Math.Min(attempt, _options.MaxAttempts)} attempts{(last is null ? "" : $", last: {last.Message.TrimEnd('.')}")}); check the network or the release URL, or raise the deadline",
                e)
            {
                Setting = ConsulSettings.DownloadDeadline,
            };
        }

        throw new DownloadException(
            $"could not download {url} after {_options.MaxAttempts} attempts: {last?.Message.TrimEnd('.')}; check the network, proxy settings or the release URL",
            last!)
        {
            Setting = ConsulSettings.ReleaseUrl,
        };
    }

    /// <summary>A failure the release URL (option or environment) is the likely fix for.</summary>
    private static DownloadException ReleaseUrlProblem(string message) => new(message) { Setting = ConsulSettings.ReleaseUrl };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends the request and follows redirects to http and https targets only.</summary>
    private async Task<HttpResponseMessage> GetFollowingRedirectsAsync(Uri url, CancellationToken cancellationToken)
    {
        Uri current = url;
        for (int redirects = 0; ; redirects++)
        {
            HttpResponseMessage response = await _client
                .GetAsync(current, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308))
            {
                return response;
            }

            response.Dispose();
            Uri? location = response.Headers.Location;
            if (location is null)
            {
                throw ReleaseUrlProblem($"{url} redirects (HTTP {status}) without a usable Location: check the release URL");
            }

            Uri next = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            {
                throw ReleaseUrlProblem($"{url} redirects to '{next.Scheme}:' URL {next}; only http and https redirects are followed: check the release URL");
            }

            if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
            {
                throw ReleaseUrlProblem($"{url} redirects from https down to {next}; refusing to leave TLS: check the release URL");
            }

            if (redirects >= _options.MaxRedirects)
            {
                throw ReleaseUrlProblem($"{url} redirects more than {_options.MaxRedirects} times: check the release URL");
            }

            current = next;
        }
    }

    private async Task<bool> TryOnceAsync(Uri url, Stream sink, long maxBytes, bool optional, bool showProgress, CancellationToken cancellationToken)
    {
        using var timeout = new Countdown(_options.Time, _options.ReadTimeout, cancellationToken);
        try
        {
            using HttpResponseMessage response = await GetFollowingRedirectsAsync(url, timeout.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return optional ? false : throw ReleaseUrlProblem($"{url} was not found (HTTP 404): check the version, the architecture and the release URL");
            }

            if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                throw new TransientDownloadException($"HTTP {status} {response.ReasonPhrase}");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DownloadException($"{url} answered HTTP {status} {response.ReasonPhrase}: check the URL and any proxy in between");
            }

            long? length = response.Content.Headers.ContentLength;
            if (length > maxBytes)
            {
                throw new DownloadException($"{url} is {length} bytes, more than the {maxBytes} accepted: is the release URL right?");
            }

            Stream body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                long total = 0;
                byte[] buffer = new byte[81920];
                ProgressBar? bar = showProgress && _options.Progress is not null ? new ProgressBar(_options.Progress, url, length) : null;
                while (true)
                {
                    timeout.Restart(); // an idle timeout, renewed per read
                    int read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                    if (total > maxBytes)
                    {
                        throw new DownloadException($"{url} is larger than the {maxBytes} bytes accepted: is the release URL right?");
                    }

                    await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    bar?.Report(total);
                }

                bar?.Done();
                if (length is not null && total != length)
                {
                    throw new TransientDownloadException($"body ended after {total} of {length} bytes");
                }
            }

            return true;
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            // An untrusted or mismatched certificate does not get better by asking again.
            throw new DownloadException($"TLS failure talking to {url}: {Describe(e)}; check the mirror's certificate and the system's CA certificates", e);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new TransientDownloadException(Describe(e), e); // refused, reset, DNS, truncated
        }
        catch (IOException e)
        {
            throw new TransientDownloadException(Describe(e), e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDownloadException($"no data for {Seconds(_options.ReadTimeout)} s", e);
        }
    }

    private static string Describe(Exception? e)
    {
        // Innermost message first: "Connection reset by peer" says more than "An error occurred while sending the request".
        string text = e?.InnerException?.Message ?? e?.Message ?? "unknown error";
        if (e?.InnerException is not null && !e.Message.Contains(text, StringComparison.Ordinal)
            && !text.Contains(e.Message, StringComparison.Ordinal))
        {
            text = $"{e.Message.TrimEnd('.')}: {text}";
        }
        else if (e is not null && e.Message.Length > text.Length)
        {
            text = e.Message;
        }

        return MessageText.Flatten(text);
    }

    public void Dispose() => _client.Dispose();

    private sealed class TransientDownloadException : Exception
    {
        public TransientDownloadException(string message) : base(message) { }

        public TransientDownloadException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>
    /// A cancellation after a delay on the download's clock (<see cref="DownloadOptions.Time"/>),
    /// linked to an outer token: tests move that clock, so no timeout depends on how fast the machine is.
    /// </summary>
    private sealed class Countdown : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly ITimer _timer;
        private readonly TimeSpan _delay;

        public Countdown(TimeProvider time, TimeSpan delay, CancellationToken outer)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
            _delay = delay;
            _timer = time.CreateTimer(static state => Cancel((CancellationTokenSource)state!), _source, delay, Timeout.InfiniteTimeSpan);
        }

        public CancellationToken Token => _source.Token;

        /// <summary>Starts the delay again from now.</summary>
        public void Restart() => _timer.Change(_delay, Timeout.InfiniteTimeSpan);

        public void Dispose()
        {
            _timer.Dispose();
            _source.Dispose();
        }

        private static void Cancel(CancellationTokenSource source)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the timer fired as the download ended: nothing left to cancel
            }
        }
    }

    /// <summary>A one-line progress bar redrawn with carriage returns (terminal only).</summary>
    private sealed class ProgressBar(TextWriter writer, Uri url, long? length)
    {
        private int _lastPercent = -1;
        private readonly string _name = url.Segments[^1];

        public void Report(long done)
        {
            int percent = length is > 0 ? (int)(done * 100 / length.Value) : -1;
            if (percent == _lastPercent && percent >= 0)
            {
                return;
            }

            _lastPercent = percent;
            string bar = percent >= 0 ? new string('#', percent / 5).PadRight(20) : "";
            writer.Write(FormattableString.Invariant($"\r{_name} [{bar}] {done / 1024} KiB{(percent >= 0 ? $" {percent}%" : "")}"));
        }

        public void Done() => writer.WriteLine();
    }
}
