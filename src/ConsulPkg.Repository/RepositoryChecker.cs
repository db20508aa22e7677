using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Repository;

/// <summary>What <c>repo check</c> found: one line per problem (empty when consistent), and the pool files kept for older clients.</summary>
public sealed record CheckResult(IReadOnlyList<string> Suites, IReadOnlyList<string> Problems, IReadOnlyList<string> Pending);

/// <summary>
/// <c>repo check</c>: reads a repository and reports every way its files disagree with each
/// other, writing nothing: the signatures on InRelease and Release.gpg against the repository's
/// keyring, every index against the Release, every listed pool file against its index entry,
/// by-hash copies missing or extra, pool files no index lists. Paths in problems are relative to the root.
/// </summary>
public static class RepositoryChecker
{
    public static CheckResult Check(string root, string? suite, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            throw new PackageException($"repository '{root}' does not exist: give the directory repo publish wrote") { Setting = RepositorySettings.Repository };
        }

        if (suite is not null)
        {
            RepositoryPublisher.ValidateName(suite, RepositorySettings.Suite);
        }

        List<string> suites = suite is null ? [.. SuiteState.Names(root)] : [suite];
        var problems = new List<string>();
        var pending = new HashSet<string>(StringComparer.Ordinal);
        var listed = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        if (File.Exists(Path.Combine(root, StagedWrites.JournalName)))
        {
            problems.Add($"{StagedWrites.JournalName}: a command was interrupted here: the next publish, remove or copy finishes or undoes it");
        }

        if (suites.Count == 0)
        {
            problems.Add("dists/: no suite has a Release: nothing is published here");
        }

        SignatureVerifier? verifier = ReadKeyring(root, problems);

        using (RepositoryLock.Acquire(root, TimeSpan.FromMinutes(10), create: false))
        {
            foreach (string name in suites)
            {
                CheckSuite(root, name, verifier, now, problems, pending, listed);
            }

            foreach (IndexEntry entry in listed.Values.OrderBy(e => e.Filename, StringComparer.Ordinal))
            {
                string path = Path.Combine(root, entry.Filename);
                if (!File.Exists(path))
                {
                    problems.Add($"{entry.Filename}: missing, listed for {entry.Identity}");
                    continue;
                }

                (long size, string[] hex) = FileHashes.Of(path, HashAlgorithmName.SHA256);
                if (size != entry.Size || hex[0] != entry.Sha256)
                {
                    problems.Add($"{entry.Filename}: size {size} and SHA256 {hex[0][..16]}... differ from its index entry ({entry.Size}, {entry.Sha256[..16]}...)");
                }
            }

            // Pool files only make sense against every suite.
            if (suite is null && Directory.Exists(Path.Combine(root, "pool")))
            {
                foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "pool"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    string relative = Path.GetRelativePath(root, file);
                    if (!Path.GetFileName(file).StartsWith('.') && !listed.ContainsKey(relative) && !pending.Contains(relative))
                    {
                        problems.Add($"{relative}: in the pool but no index lists it and no kept generation names it");
                    }
                }
            }
        }

        return new CheckResult(suites, problems, [.. pending.Where(p => !listed.ContainsKey(p) && File.Exists(Path.Combine(root, p))).Order(StringComparer.Ordinal)]);
    }

    /// <summary>The repository's keyring as the verifier of its signatures; null (and a problem) when it is missing or unreadable.</summary>
    private static SignatureVerifier? ReadKeyring(string root, List<string> problems)
    {
        string keyringPath = Path.Combine(root, SuiteWriter.KeyringFileName);
        if (!File.Exists(keyringPath))
        {
            problems.Add($"{SuiteWriter.KeyringFileName}: missing: the signatures cannot be checked (publish again to write it)");
            return null;
        }

        try
        {
            return new SignatureVerifier(OpenPgpKeyring.Parse(File.ReadAllBytes(keyringPath), SuiteWriter.KeyringFileName));
        }
        catch (PackageException e)
        {
            problems.Add($"{SuiteWriter.KeyringFileName}: {MessageText.OneLine(e.Message)}");
            return null;
        }
    }

    private static void CheckSuite(string root, string suite, SignatureVerifier? verifier, DateTimeOffset now, List<string> problems, HashSet<string> pending, Dictionary<string, IndexEntry> listed)
    {
        string directory = SuiteState.SuiteDirectory(root, suite);
        string at = $"dists/{suite}";
        string releasePath = Path.Combine(directory, "Release");
        if (!File.Exists(releasePath))
        {
            problems.Add($"{at}/Release: missing: suite '{suite}' is not published");
            return;
        }

        byte[] releaseBytes = File.ReadAllBytes(releasePath);
        PublishedRelease release;
        try
        {
            release = PublishedRelease.Parse(releaseBytes, $"{at}/Release");
        }
        catch (PackageException e)
        {
            problems.Add(MessageText.OneLine(e.Message));
            return;
        }

        CheckSignatures(directory, at, releaseBytes, verifier, now, problems);
        if (release.ValidUntil is { } validUntil && DateTimeOffset.TryParseExact(validUntil, ReleaseFile.DateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out DateTimeOffset until) && until <= now)
        {
            problems.Add($"{at}/Release: Valid-Until {validUntil} has passed: apt refuses it until the suite is published again");
        }

        var sha512 = release.Sha512.ToDictionary(s => s.Path, StringComparer.Ordinal);
        foreach (ReleaseSum sum in release.Sha256)
        {
            string path = Path.Combine(directory, sum.Path);
            if (!File.Exists(path))
            {
                problems.Add($"{at}/{sum.Path}: missing, listed in the Release");
                continue;
            }

            byte[] content = File.ReadAllBytes(path);
            FileDigests digests = FileDigests.Of(content);
            ReleaseSum? strong = sha512.GetValueOrDefault(sum.Path);
            if (content.Length != sum.Size || digests.Sha256 != sum.Digest || (strong is not null && strong.Digest != digests.Sha512))
            {
                problems.Add($"{at}/{sum.Path}: size or hashes differ from the Release (a stale Release, or an index changed after it)");
            }

            string byHash = Path.GetDirectoryName(sum.Path)!;
            foreach ((string algorithm, string? digest) in new[] { ("SHA256", sum.Digest), ("SHA512", strong?.Digest) })
            {
                if (digest is not null && !File.Exists(Path.Combine(directory, byHash, "by-hash", algorithm, digest)))
                {
                    problems.Add($"{at}/{byHash}/by-hash/{algorithm}/{digest[..16]}...: missing, the by-hash copy of {sum.Path}");
                }
            }

            if (Path.GetFileName(sum.Path) == "Packages")
            {
                try
                {
                    foreach (IndexEntry entry in IndexEntry.ReadIndex(content, $"{at}/{sum.Path}"))
                    {
                        listed.TryAdd(entry.Filename, entry);
                    }
                }
                catch (PackageException e)
                {
                    problems.Add(MessageText.OneLine(e.Message));
                }
            }
        }

        ByHashGenerations generations = ByHashGenerations.Read(directory);
        pending.UnionWith(generations.PendingPool);
        IReadOnlySet<string> live = generations.LiveByHash;
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            if (!relative.Contains("/by-hash/", StringComparison.Ordinal) || Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            string algorithm = Path.GetFileName(Path.GetDirectoryName(file)!);
            byte[] content = File.ReadAllBytes(file);
            string actual = algorithm == "SHA512" ? Convert.ToHexStringLower(SHA512.HashData(content)) : Convert.ToHexStringLower(SHA256.HashData(content));
            if (actual != Path.GetFileName(file))
            {
                problems.Add($"{at}/{relative}: its content does not have the hash it is named after");
            }
            else if (generations.Known && !live.Contains(relative))
            {
                problems.Add($"{at}/{relative}: extra, no kept generation names it");
            }
        }
    }

    /// <summary>
    /// InRelease and Release.gpg judged by the one verification policy (<see cref="SignatureVerifier"/>,
    /// the rules apt's verifiers apply: a trusted key valid when the check is made, a strong digest,
    /// no signature from the future), and InRelease's signed text against Release.
    /// </summary>
    private static void CheckSignatures(string directory, string at, byte[] releaseBytes, SignatureVerifier? verifier, DateTimeOffset now, List<string> problems)
    {
        string inReleasePath = Path.Combine(directory, "InRelease");
        string detachedPath = Path.Combine(directory, "Release.gpg");
        if (!File.Exists(inReleasePath))
        {
            problems.Add($"{at}/InRelease: missing");
        }
        else if (verifier is not null)
        {
            try
            {
                SignedText signed = verifier.VerifyClearSigned(File.ReadAllText(inReleasePath), "InRelease", now);
                if (signed.Text != Encoding.UTF8.GetString(releaseBytes))
                {
                    problems.Add($"{at}/InRelease: signs another text than Release (one of them is stale)");
                }
            }
            catch (PackageException e)
            {
                problems.Add($"{at}/InRelease: {MessageText.OneLine(e.Message)}");
            }
        }

        if (!File.Exists(detachedPath))
        {
            problems.Add($"{at}/Release.gpg: missing");
        }
        else if (verifier is not null)
        {
            try
            {
                verifier.VerifyDetached(releaseBytes, File.ReadAllBytes(detachedPath), "Release", "Release.gpg", now);
            }
            catch (PackageException e)
            {
                problems.Add($"{at}/Release.gpg: {MessageText.OneLine(e.Message)}");
            }
        }
    }
}
