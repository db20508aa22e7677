using System.Security.Cryptography;
using ConsulPkg.Debian;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Consul;

/// <summary>One small release file as a source supplied it: its bytes and what to call it in messages (a URL, a path, a cache entry).</summary>
internal sealed record ReleaseFile(string Name, byte[] Bytes);

/// <summary>A release zip on disk as a source supplied it.</summary>
/// <param name="Name">What to call it in messages: its URL, the user's path or the cache entry.</param>
internal sealed record ReleaseZip(string Path, string Name, bool FromCache);

/// <summary>A SHA256SUMS whose signature checked out, and the hash it lists for the release's zip.</summary>
/// <param name="SignedBy">Fingerprint of the key that signed it; null when the check was skipped.</param>
internal sealed record SignedSums(string ExpectedSha256, string? SignedBy, string Name);

/// <summary>
/// The one place a release is verified, failing closed, always in this order: the OpenPGP
/// signature on SHA256SUMS, a strict parse of SHA256SUMS for exactly the release's zip, the zip's
/// SHA-256 against that line, and the pinned hash for releases the tool knows. The sources
/// (network, local files, cache) only supply bytes; whatever they supply goes through here.
/// </summary>
/// <remarks>
/// The check comes in two steps so that a download can stop before fetching the zip when the
/// signature is bad, and can look the zip up in the cache by its signed hash:
/// <see cref="CheckSums"/> gives the only <see cref="SignedSums"/> there is, and
/// <see cref="CheckZip"/> takes one. <see cref="Verify"/> is both in one call.
/// </remarks>
internal sealed class ReleaseVerifier
{
    private readonly ConsulRelease _release;
    private readonly SignatureVerifier _signatures;
    private readonly DateTimeOffset _now;
    private readonly bool _skipSignature;

    /// <param name="now">When the check is made: the signing key's state is judged at this time.</param>
    /// <param name="skipSignature">The user's explicit choice not to check the signature; the hashes still are.</param>
    public ReleaseVerifier(ConsulRelease release, OpenPgpKeyring keys, DateTimeOffset now, bool skipSignature)
    {
        _release = release;
        _signatures = new SignatureVerifier(keys);
        _now = now;
        _skipSignature = skipSignature;
    }

    /// <summary>Whether a signature is needed at all.</summary>
    public bool ChecksSignature => !_skipSignature;

    /// <summary>All four checks.</summary>
    /// <param name="signatureLookedFor">Where the source looked for a signature, for the message when <paramref name="signature"/> is null.</param>
    public VerifiedZip Verify(ReleaseFile sums, ReleaseFile? signature, string signatureLookedFor, ReleaseZip zip) =>
        CheckZip(CheckSums(sums, signature, signatureLookedFor), zip);

    /// <summary>Steps one and two: the signature on SHA256SUMS (unless skipped), then its line for the zip.</summary>
    public SignedSums CheckSums(ReleaseFile sums, ReleaseFile? signature, string signatureLookedFor)
    {
        ArgumentNullException.ThrowIfNull(sums);
        string? signedBy = null;
        if (!_skipSignature)
        {
            if (signature is null)
            {
                throw new PackageException(
                    $"no signature for {sums.Name} (looked for {signatureLookedFor}): the release cannot be verified; skip the signature check only if you trust where the files come from")
                {
                    Setting = ConsulSettings.SkipSignature,
                };
            }

            signedBy = _signatures.VerifyDetached(sums.Bytes, signature.Bytes, sums.Name, signature.Name, _now).SignerFingerprint;
        }

        return new SignedSums(Sha256Sums.FindHash(sums.Bytes, _release.ZipName, sums.Name), signedBy, sums.Name);
    }

    /// <summary>Steps three and four: the zip's SHA-256 against the signed line, then against the pin table.</summary>
    public VerifiedZip CheckZip(SignedSums sums, ReleaseZip zip)
    {
        ArgumentNullException.ThrowIfNull(sums);
        ArgumentNullException.ThrowIfNull(zip);
        string actual = HashFile(zip.Path);
        if (!string.Equals(sums.ExpectedSha256, actual, StringComparison.Ordinal))
        {
            throw new ChecksumException(zip.Name, sums.ExpectedSha256, actual, $"from {sums.Name}");
        }

        string? pin = PinnedHashes.For(_release.ZipName);
        if (pin is not null && !string.Equals(pin, actual, StringComparison.Ordinal))
        {
            throw new ChecksumException(zip.Name, pin, actual, $"pinned by consul-pkg for {_release.ZipName}; the source serves a different zip and SHA256SUMS");
        }

        return new VerifiedZip(zip.Path, actual, sums.SignedBy, Pinned: pin is not null, zip.FromCache);
    }

    private static string HashFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
