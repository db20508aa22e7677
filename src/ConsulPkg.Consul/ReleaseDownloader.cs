using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// Downloads release files over HTTP(S) with timeouts and retries. Transient failures (connection
/// refused or reset, 5xx, 408/429, a body shorter than its Content-Length) are retried with
/// exponential backoff; 404 and other 4xx are reported at once. Proxies come from the standard
/// environment variables (http_proxy, https_proxy, all_proxy, no_proxy: .NET's default proxy
/// reads them on Linux). Large files are streamed to disk and hashed on the way, never held in memory.
/// </summary>
public sealed class ReleaseDownloader : IDisposable
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
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("consul-pkg", "1.0"));
    }

    /// <summary>A small file (SHA256SUMS, signature) in memory; null when the server says 404 and <paramref name="optional"/>.</summary>
    public async Task<byte[]?> GetBytesAsync(Uri url, bool optional, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var buffer = new MemoryStream();
        bool found = await DownloadAsync(url, buffer, _options.MaxSmallFileBytes, optional, showProgress: false, cancellationToken).ConfigureAwait(false);
        return found ? buffer.ToArray() : null;
    }

    /// <summary>
    /// Streams <paramref name="url"/> to <paramref name="destinationPath"/> (replaced on each
    /// attempt) and returns the lowercase hex SHA-256 of what was written.
    /// </summary>
    public async Task<string> DownloadFileAsync(Uri url, string destinationPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var hasher = new HashingFileSink(destinationPath);
        await DownloadAsync(url, hasher, _options.MaxZipBytes, optional: false, showProgress: true, cancellationToken).ConfigureAwait(false);
        return hasher.Finish();
    }

    private async Task<bool> DownloadAsync(Uri url, Stream sink, long maxBytes, bool optional, bool showProgress, CancellationToken cancellationToken)
    {
        Exception? last = null;
        TimeSpan delay = _options.InitialBackoff;
        for (int attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }

            sink.SetLength(0);
            sink.Position = 0;
            try
            {
                return await TryOnceAsync(url, sink, maxBytes, optional, showProgress, cancellationToken).ConfigureAwait(false);
            }
            catch (TransientDownloadException e)
            {
                last = e; // its message already says what went wrong, in one line
                _options.Progress?.WriteLine($"retrying {url} ({e.Message})");
            }
        }

        throw new DownloadException(
            url,
            $"could not download {url} after {_options.MaxAttempts} attempts: {last?.Message.TrimEnd('.')}; check the network, proxy settings or --release-url",
            last!);
    }

    private async Task<bool> TryOnceAsync(Uri url, Stream sink, long maxBytes, bool optional, bool showProgress, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadTimeout);
        try
        {
            using HttpResponseMessage response = await _client
                .GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return optional ? false : throw new DownloadException(url, $"{url} was not found (HTTP 404): check the version, the architecture and --release-url");
            }

            if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                throw new TransientDownloadException($"HTTP {status} {response.ReasonPhrase}");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DownloadException(url, $"{url} answered HTTP {status} {response.ReasonPhrase}: check the URL and any proxy in between");
            }

            long? length = response.Content.Headers.ContentLength;
            if (length > maxBytes)
            {
                throw new DownloadException(url, $"{url} is {length} bytes, more than the {maxBytes} accepted: is the release URL right?");
            }

            Stream body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                long total = 0;
                byte[] buffer = new byte[81920];
                ProgressBar? bar = showProgress && _options.Progress is not null ? new ProgressBar(_options.Progress, url, length) : null;
                while (true)
                {
                    timeout.CancelAfter(_options.ReadTimeout); // an idle timeout, renewed per read
                    int read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                    if (total > maxBytes)
                    {
                        throw new DownloadException(url, $"{url} is larger than the {maxBytes} bytes accepted: is the release URL right?");
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
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new TransientDownloadException(OneLine(e), e); // refused, reset, DNS, truncated
        }
        catch (IOException e)
        {
            throw new TransientDownloadException(OneLine(e), e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDownloadException($"no data for {_options.ReadTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", e);
        }
    }

    private static string OneLine(Exception? e)
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

        return text.Replace('\n', ' ').Replace('\r', ' ').Trim();
    }

    public void Dispose() => _client.Dispose();

    private sealed class TransientDownloadException : Exception
    {
        public TransientDownloadException(string message) : base(message) { }

        public TransientDownloadException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>A file sink that hashes what is written; restarted by SetLength(0) on retry.</summary>
    private sealed class HashingFileSink : Stream
    {
        private readonly FileStream _file;
        private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public HashingFileSink(string path) =>
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);

        public string Finish()
        {
            _file.Flush(true);
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        public override bool CanRead => false;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => _file.Length;

        public override long Position { get => _file.Position; set => _file.Position = value; }

        public override void SetLength(long value)
        {
            if (value != 0)
            {
                throw new NotSupportedException("only truncation to zero (a restart) is supported");
            }

            _file.SetLength(0);
            _hash.Dispose();
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            _file.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _hash.AppendData(buffer.Span);
            await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override void Flush() => _file.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
                _hash.Dispose();
            }

            base.Dispose(disposing);
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
