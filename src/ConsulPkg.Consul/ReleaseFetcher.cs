using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>A release zip and SHA256SUMS on local disk, used instead of downloading.</summary>
/// <param name="Sha256SumsFile">Its signature is looked for beside it (<c>FILE.72D7468F.sig</c>, then <c>FILE.sig</c>).</param>
public sealed record LocalReleaseFiles(string ZipFile, string Sha256SumsFile);

/// <summary>Where a release comes from and how it is checked.</summary>
internal sealed record ReleaseSource
{
    public required ConsulRelease Release { get; init; }

    /// <summary>Release base URL.</summary>
    public Uri BaseUrl { get; init; } = ConsulRelease.DefaultBaseUrl;

    /// <summary>Local files instead of downloading; null: the cache, then the network.</summary>
    public LocalReleaseFiles? LocalFiles { get; init; }

    public IReadOnlyList<string> TrustedKeyFiles { get; init; } = [];

    /// <summary>Explicit opt-out of the signature check; a warning is printed.</summary>
    public bool SkipSignature { get; init; }

    /// <summary>When the signature is checked: the signing key's expiry and revocation are judged at this time.</summary>
    public required DateTimeOffset VerificationTime { get; init; }
}

/// <summary>A zip that passed every check.</summary>
/// <param name="ZipPath">The verified zip (in the cache, the work directory or the user's file).</param>
/// <param name="Sha256">Its lowercase hex SHA-256.</param>
/// <param name="SignedBy">Fingerprint of the key that signed SHA256SUMS; null when skipped.</param>
/// <param name="Pinned">Whether the hash also matched the shipped pin table.</param>
/// <param name="FromCache">Whether no download was needed.</param>
internal sealed record VerifiedZip(string ZipPath, string Sha256, string? SignedBy, bool Pinned, bool FromCache);

/// <summary>
/// Supplies the files of a release from one of three sources (local files, the cache, the
/// network) and has <see cref="ReleaseVerifier"/> check whatever it supplies. Only verified files
/// enter the cache. A cache entry that fails verification is removed with a warning and fetched
/// again, so the network's verified answer decides: it is never used, and its failure never stops
/// the build by itself.
/// </summary>
internal sealed class ReleaseFetcher
{
    private readonly ReleaseDownloader _downloader;
    private readonly DownloadCache? _cache;
    private readonly TextWriter _diagnostics;
    private bool _cacheWarned;

    /// <param name="cache">Null: no cache.</param>
    /// <param name="diagnostics">Warnings for the user (stderr).</param>
    public ReleaseFetcher(ReleaseDownloader downloader, DownloadCache? cache, TextWriter diagnostics)
    {
        _downloader = downloader;
        _cache = cache;
        _diagnostics = diagnostics;
    }

    /// <param name="workDirectory">A private directory for downloads; the caller deletes it.</param>
    public async Task<VerifiedZip> FetchAsync(ReleaseSource source, string workDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var verifier = new ReleaseVerifier(source.Release, ReleaseKeys.Load(source.TrustedKeyFiles), source.VerificationTime, source.SkipSignature);
        if (source.SkipSignature)
        {
            _diagnostics.WriteLine($"warning: the signature on {source.Release.SumsName} is NOT checked, as asked; only its hashes protect this build");
        }

        if (source.LocalFiles is { } local)
        {
            return FromLocalFiles(local, verifier);
        }

        return CacheMay(() => FromCache(source.Release, verifier), null)
            ?? await FromNetworkAsync(source, verifier, workDirectory, cancellationToken).ConfigureAwait(false);
    }

    private static VerifiedZip FromLocalFiles(LocalReleaseFiles local, ReleaseVerifier verifier)
    {
        foreach (string file in new[] { local.ZipFile, local.Sha256SumsFile })
        {
            if (!File.Exists(file))
            {
                throw new PackageException($"'{file}' does not exist: give the path of the downloaded release file");
            }
        }

        string[] signatureFiles = [local.Sha256SumsFile + ConsulRelease.KeyIdSignatureSuffix, local.Sha256SumsFile + ConsulRelease.PlainSignatureSuffix];
        string? signatureFile = verifier.ChecksSignature ? signatureFiles.FirstOrDefault(File.Exists) : null;
        return verifier.Verify(
            new ReleaseFile(local.Sha256SumsFile, File.ReadAllBytes(local.Sha256SumsFile)),
            signatureFile is null ? null : new ReleaseFile(signatureFile, File.ReadAllBytes(signatureFile)),
            string.Join(" and ", signatureFiles.Select(f => $"'{f}'")),
            new ReleaseZip(local.ZipFile, local.ZipFile, FromCache: false));
    }

    /// <summary>A release entirely from the cache, verified as if it had just been downloaded; null when not all of it is there.</summary>
    private VerifiedZip? FromCache(ConsulRelease release, ReleaseVerifier verifier)
    {
        if (_cache is null || _cache.TryGetMetadata(release.SumsName) is not { } sums)
        {
            return null;
        }

        ReleaseFile? signature = release.SignatureNames.Select(_cache.TryGetMetadata).FirstOrDefault(s => s is not null);
        if (signature is null && verifier.ChecksSignature)
        {
            return null; // cached by a build that skipped the check: nothing to verify it with
        }

        SignedSums? signed = Distrusting(
            sums.Name, () => verifier.CheckSums(sums, signature, "the cache"), () => _cache.RemoveMetadata(release.SignatureNames.Prepend(release.SumsName)));
        return signed is null ? null : FromCachedZip(signed, verifier);
    }

    /// <summary>The zip with the signed hash from the cache, verified; null when it is not there or fails.</summary>
    private VerifiedZip? FromCachedZip(SignedSums sums, ReleaseVerifier verifier)
    {
        string? path = _cache?.FindZip(sums.ExpectedSha256);
        return path is null
            ? null
            : Distrusting(path, () => verifier.CheckZip(sums, new ReleaseZip(path, path, FromCache: true)), () => File.Delete(path));
    }

    /// <summary>
    /// Runs a verification of cached files. A failure is not the build's: the entry is removed
    /// with a warning and null returned, so the files are fetched afresh and verified again.
    /// </summary>
    private T? Distrusting<T>(string entry, Func<T> verify, Action remove)
        where T : class
    {
        try
        {
            return verify();
        }
        catch (PackageException e)
        {
            _diagnostics.WriteLine($"warning: the cached {entry} does not verify ({e.Message}); removed it, fetching afresh");
            remove();
            return null;
        }
    }

    private async Task<VerifiedZip> FromNetworkAsync(ReleaseSource source, ReleaseVerifier verifier, string workDirectory, CancellationToken cancellationToken)
    {
        ConsulRelease release = source.Release;
        Uri sumsUrl = release.UrlOf(source.BaseUrl, release.SumsName);
        var sums = new ReleaseFile(release.SumsName, (await _downloader.GetBytesAsync(sumsUrl, optional: false, cancellationToken).ConfigureAwait(false))!);
        ReleaseFile? signature = null;
        if (verifier.ChecksSignature)
        {
            foreach (string name in release.SignatureNames)
            {
                byte[]? bytes = await _downloader.GetBytesAsync(release.UrlOf(source.BaseUrl, name), optional: true, cancellationToken).ConfigureAwait(false);
                if (bytes is not null)
                {
                    signature = new ReleaseFile(name, bytes);
                    break;
                }
            }
        }

        // The signature is checked before the zip is fetched: a bad one costs no download.
        SignedSums signed = verifier.CheckSums(sums, signature, string.Join(" and ", release.SignatureNames.Select(n => release.UrlOf(source.BaseUrl, n))));
        VerifiedZip? zip = CacheMay(() => FromCachedZip(signed, verifier), null);
        if (zip is null)
        {
            string path = Path.Combine(workDirectory, release.ZipName);
            await _downloader.DownloadFileAsync(release.UrlOf(source.BaseUrl, release.ZipName), path, cancellationToken).ConfigureAwait(false);
            zip = verifier.CheckZip(signed, new ReleaseZip(path, release.ZipName, FromCache: false));
        }

        Remember(sums, signature, zip);
        return zip;
    }

    /// <summary>Keeps verified files for the next build.</summary>
    private void Remember(ReleaseFile sums, ReleaseFile? signature, VerifiedZip zip)
    {
        if (_cache is not { } cache)
        {
            return;
        }

        CacheMay(() =>
        {
            cache.PutMetadata(sums.Name, sums.Bytes);
            if (signature is not null)
            {
                cache.PutMetadata(signature.Name, signature.Bytes);
            }

            if (!zip.FromCache)
            {
                cache.PutZip(zip.ZipPath, zip.Sha256);
            }

            return true;
        }, false);
    }

    /// <summary>
    /// Runs a cache operation; if the cache cannot be read or written (no permission, a full
    /// disk, a file where its directory should be) warns once and returns <paramref name="fallback"/>:
    /// the cache only saves downloads, it is never a reason for a build to fail.
    /// </summary>
    private T CacheMay<T>(Func<T> operation, T fallback)
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!_cacheWarned)
            {
                _cacheWarned = true;
                _diagnostics.WriteLine($"warning: the download cache {_cache?.Directory} cannot be used ({MessageText.Flatten(e.Message)}); going on without it");
            }

            return fallback;
        }
    }
}
