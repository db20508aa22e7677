using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>Where a release comes from and how it is checked.</summary>
public sealed record ReleaseSource
{
    public required ConsulRelease Release { get; init; }

    /// <summary>Release base URL (already resolved from option/environment).</summary>
    public Uri BaseUrl { get; init; } = ConsulRelease.DefaultBaseUrl;

    /// <summary>A local zip instead of downloading; needs <see cref="Sha256SumsFile"/>.</summary>
    public string? ZipFile { get; init; }

    /// <summary>A local SHA256SUMS; its signature is looked for beside it (<c>FILE.72D7468F.sig</c>, then <c>FILE.sig</c>).</summary>
    public string? Sha256SumsFile { get; init; }

    public IReadOnlyList<string> TrustedKeyFiles { get; init; } = [];

    /// <summary>Explicit opt-out of the signature check; a warning is printed.</summary>
    public bool SkipSignature { get; init; }
}

/// <summary>A zip that passed every check.</summary>
/// <param name="ZipPath">The verified zip (in the cache, the work directory or the user's file).</param>
/// <param name="Sha256">Its lowercase hex SHA-256.</param>
/// <param name="SignedBy">Fingerprint of the key that signed SHA256SUMS; null when skipped.</param>
/// <param name="Pinned">Whether the hash also matched the shipped pin table.</param>
/// <param name="FromCache">Whether no download was needed.</param>
public sealed record VerifiedZip(string ZipPath, string Sha256, string? SignedBy, bool Pinned, bool FromCache);

/// <summary>
/// Fetches a Consul release zip and verifies it, failing closed, in this order: the OpenPGP
/// signature on SHA256SUMS, a strict parse of SHA256SUMS for exactly this zip, the zip's SHA-256,
/// and the pinned hash for releases the tool knows. Only then is anything cached.
/// </summary>
public sealed class ReleaseFetcher
{
    private readonly ReleaseDownloader _downloader;
    private readonly DownloadCache? _cache;
    private readonly TextWriter _diagnostics;

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
        ConsulRelease release = source.Release;
        OpenPgpVerifier verifier = OpenPgpVerifier.Create(source.TrustedKeyFiles);
        if (source.SkipSignature)
        {
            _diagnostics.WriteLine($"warning: --skip-signature: the signature on {release.SumsName} is NOT checked; only its hashes protect this build");
        }

        if (source.ZipFile is not null || source.Sha256SumsFile is not null)
        {
            return FetchLocal(source, verifier);
        }

        VerifiedZip? cached = TryFromCache(source, verifier);
        if (cached is not null)
        {
            return cached;
        }

        Uri sumsUrl = release.UrlOf(source.BaseUrl, release.SumsName);
        byte[] sums = (await _downloader.GetBytesAsync(sumsUrl, optional: false, cancellationToken).ConfigureAwait(false))!;
        (string Name, byte[] Bytes)? signature = null;
        if (!source.SkipSignature)
        {
            foreach (string name in release.SignatureNames)
            {
                byte[]? bytes = await _downloader.GetBytesAsync(release.UrlOf(source.BaseUrl, name), optional: true, cancellationToken).ConfigureAwait(false);
                if (bytes is not null)
                {
                    signature = (name, bytes);
                    break;
                }
            }

            if (signature is null)
            {
                throw new PackageException(
                    $"no signature for {release.SumsName} at {release.UrlOf(source.BaseUrl, release.SignatureNames[^1])} (nor {release.SignatureNames[0]}): the release cannot be verified; use --skip-signature only if you trust the mirror");
            }
        }

        string? signedBy = signature is { } s ? verifier.Verify(sums, s.Bytes, release.SumsName, s.Name) : null;
        string expected = Sha256Sums.FindHash(sums, release.ZipName, release.SumsName);

        string? fromCache = _cache?.TryGetZip(expected);
        string zipPath;
        if (fromCache is not null)
        {
            zipPath = fromCache;
        }
        else
        {
            zipPath = Path.Combine(workDirectory, release.ZipName);
            string actual = await _downloader.DownloadFileAsync(release.UrlOf(source.BaseUrl, release.ZipName), zipPath, cancellationToken).ConfigureAwait(false);
            CheckOrDelete(zipPath, release.ZipName, expected, actual, release.SumsName);
        }

        bool pinned = CheckPinOrDelete(fromCache is null ? zipPath : null, release.ZipName, expected);
        if (_cache is not null)
        {
            _cache.PutMetadata(release.SumsName, sums);
            if (signature is { } sig)
            {
                _cache.PutMetadata(sig.Name, sig.Bytes);
            }

            if (fromCache is null)
            {
                _cache.PutZip(zipPath, expected);
            }
        }

        return new VerifiedZip(zipPath, expected, signedBy, pinned, FromCache: fromCache is not null);
    }

    private static VerifiedZip FetchLocal(ReleaseSource source, OpenPgpVerifier verifier)
    {
        ConsulRelease release = source.Release;
        if (source.ZipFile is null || source.Sha256SumsFile is null)
        {
            throw new PackageException("--zip and --sha256sums go together: give the release zip and the SHA256SUMS file it is listed in");
        }

        foreach (string file in new[] { source.ZipFile, source.Sha256SumsFile })
        {
            if (!File.Exists(file))
            {
                throw new PackageException($"'{file}' does not exist: give the path of the downloaded release file");
            }
        }

        byte[] sums = File.ReadAllBytes(source.Sha256SumsFile);
        string? signedBy = null;
        if (!source.SkipSignature)
        {
            string? sigFile = new[] { ConsulRelease.KeyIdSignatureSuffix, ConsulRelease.PlainSignatureSuffix }
                .Select(suffix => source.Sha256SumsFile + suffix)
                .FirstOrDefault(File.Exists);
            if (sigFile is null)
            {
                throw new PackageException(
                    $"no signature beside '{source.Sha256SumsFile}': put {Path.GetFileName(source.Sha256SumsFile)}{ConsulRelease.KeyIdSignatureSuffix} (or .sig) next to it, or use --skip-signature if you trust the file");
            }

            signedBy = verifier.Verify(sums, File.ReadAllBytes(sigFile), source.Sha256SumsFile, sigFile);
        }

        string expected = Sha256Sums.FindHash(sums, release.ZipName, source.Sha256SumsFile);
        string actual = DownloadCache.HashFile(source.ZipFile);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new ChecksumException(source.ZipFile, expected, actual, $"from {source.Sha256SumsFile}");
        }

        bool pinned = CheckPinOrDelete(null, release.ZipName, expected);
        return new VerifiedZip(source.ZipFile, expected, signedBy, pinned, FromCache: false);
    }

    private VerifiedZip? TryFromCache(ReleaseSource source, OpenPgpVerifier verifier)
    {
        if (_cache is null)
        {
            return null;
        }

        ConsulRelease release = source.Release;
        byte[]? sums = _cache.TryGetMetadata(release.SumsName);
        if (sums is null)
        {
            return null;
        }

        string? signedBy = null;
        try
        {
            if (!source.SkipSignature)
            {
                string? signatureName = release.SignatureNames.FirstOrDefault(n => _cache.TryGetMetadata(n) is not null);
                if (signatureName is null)
                {
                    return null;
                }

                signedBy = verifier.Verify(sums, _cache.TryGetMetadata(signatureName), release.SumsName, signatureName);
            }

            string expected = Sha256Sums.FindHash(sums, release.ZipName, release.SumsName);
            string? zip = _cache.TryGetZip(expected);
            if (zip is null)
            {
                return null;
            }

            bool pinned = CheckPinOrDelete(null, release.ZipName, expected);
            return new VerifiedZip(zip, expected, signedBy, pinned, FromCache: true);
        }
        catch (ChecksumException)
        {
            throw; // a pin violation is never a cache problem
        }
        catch (PackageException)
        {
            // A cached SHA256SUMS that no longer verifies (e.g. other trusted keys): forget it, fetch afresh.
            _cache.RemoveMetadata(release.SumsName);
            return null;
        }
    }

    private static void CheckOrDelete(string path, string name, string expected, string actual, string expectedFrom)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            File.Delete(path);
            throw new ChecksumException(name, expected, actual, $"from {expectedFrom}");
        }
    }

    /// <summary>Checks the pin table; deletes <paramref name="pathToDelete"/> on a mismatch. True when pinned.</summary>
    private static bool CheckPinOrDelete(string? pathToDelete, string zipName, string actual)
    {
        string? pin = PinnedHashes.For(zipName);
        if (pin is null)
        {
            return false;
        }

        if (!string.Equals(pin, actual, StringComparison.Ordinal))
        {
            if (pathToDelete is not null)
            {
                File.Delete(pathToDelete);
            }

            throw new ChecksumException(zipName, pin, actual, "pinned by consul-pkg for this release; the mirror serves a different zip and SHA256SUMS");
        }

        return true;
    }
}
