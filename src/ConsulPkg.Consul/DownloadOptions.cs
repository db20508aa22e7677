using ConsulPkg.Debian.IO;

namespace ConsulPkg.Consul;

/// <summary>How hard the downloader tries. Tests shorten the delays or move <see cref="Time"/>; nothing here reads a clock for output.</summary>
public sealed record DownloadOptions
{
    public static DownloadOptions Default { get; } = new();

    /// <summary>Attempts per file, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the second attempt; doubled for each further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the next bytes of a response (headers or body).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most one file may take, all attempts and backoff included: a server that trickles a
    /// byte now and then never trips <see cref="ReadTimeout"/>, this ends it.
    /// </summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Redirects followed per request (http and https only).</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>Largest small file (SHA256SUMS, signature) accepted.</summary>
    public long MaxSmallFileBytes { get; init; } = 1 << 20;

    /// <summary>Largest zip accepted (Consul's are tens of MiB).</summary>
    public long MaxZipBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The clock every timeout, deadline and backoff runs on. Tests give one they move by hand, so
    /// what they prove does not depend on how fast the machine is.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Hears how far the release zip's download is, and each retry; by default nobody.</summary>
    public IByteProgress Progress { get; init; } = NoProgress.Instance;
}
