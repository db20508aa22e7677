using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Repository;

/// <summary>
/// Adds packages to a signed apt repository kept as plain files: the pool, the Packages indices
/// (plain, gzip, xz, and by-hash copies), Release, InRelease and Release.gpg. The repository's
/// state is its files; nothing else is read or kept.
/// </summary>
/// <remarks>
/// Order matters for clients reading while a publish runs: new pool files and by-hash indices are
/// written first, then the plain indices, and InRelease/Release last, each by rename. A client
/// that fetched the previous InRelease finds the indices it names under by-hash (they are kept for
/// <see cref="ByHashGenerations.Kept"/> more publishes). Everything that can refuse a publish is
/// checked before the first write, so a refused publish leaves the repository as it was.
/// </remarks>
public static class RepositoryPublisher
{
    public const string KeyringFileName = "archive-keyring.gpg";

    private static readonly string[] IndexSuffixes = ["", ".gz", ".xz"];

    public static PublishResult Publish(PublishOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateName(options.Suite, RepositorySettings.Suite);
        ValidateName(options.Component, RepositorySettings.Component);
        ValidateValue(options.Origin, RepositorySettings.Origin);
        ValidateValue(options.Label, RepositorySettings.Label);
        if (options.Codename is not null)
        {
            ValidateName(options.Codename, RepositorySettings.Codename);
        }

        if (options.ValidFor <= TimeSpan.Zero)
        {
            throw new PackageException($"validity {options.ValidFor.TotalDays} days is not a number of days: give 1 or more") { Setting = RepositorySettings.ValidFor };
        }

        if (options.Packages.Count == 0)
        {
            throw new PackageException("no package given: name the .deb files to publish");
        }

        if (File.Exists(options.RepositoryDirectory))
        {
            throw new PackageException($"repository '{options.RepositoryDirectory}' is a file: give a directory (it is created when missing)") { Setting = RepositorySettings.Repository };
        }

        List<IncomingPackage> incoming = ReadIncoming(options.Packages, options.Component, options.Progress);
        Dictionary<string, PackageSecret> secrets = FindSecrets(incoming, options.AllowSecrets);

        string root = options.RepositoryDirectory;
        Directory.CreateDirectory(root);
        using RepositoryLock held = RepositoryLock.Acquire(root, options.LockTimeout);

        string suiteDirectory = Path.Combine(root, "dists", options.Suite);
        PublishedRelease? previous = PublishedRelease.Read(Path.Combine(suiteDirectory, "Release"));
        SortedDictionary<string, Dictionary<string, IndexEntry>> components = ReadIndices(suiteDirectory, previous);
        Dictionary<string, IndexEntry> target = components.TryGetValue(options.Component, out var existing)
            ? existing
            : components[options.Component] = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);

        // Decide everything before writing anything.
        var added = new List<IncomingPackage>();
        var alreadyPresent = new List<string>();
        foreach (IncomingPackage package in incoming)
        {
            IndexEntry entry = package.ToIndexEntry();
            IndexEntry? known = components.Values.Select(c => c.GetValueOrDefault(entry.Identity)).FirstOrDefault(e => e is not null);
            if (known is not null)
            {
                if (known.Sha256 != entry.Sha256)
                {
                    throw new PackageException(
                        $"{package.SourcePath}: {entry.Package} {entry.Version} {entry.Architecture} is already in the repository as {known.Filename} with different content (SHA256 {known.Sha256[..16]}..., this file {entry.Sha256[..16]}...): publish it with a new version");
                }

                alreadyPresent.Add(known.Filename);
                continue;
            }

            if (target.Values.FirstOrDefault(e => e.Filename == entry.Filename) is { } samePath)
            {
                throw new PackageException($"{package.SourcePath}: its pool file {entry.Filename} already holds {samePath.Package} {samePath.Version}: versions differing only in epoch cannot share a pool; raise the version");
            }

            target[entry.Identity] = entry;
            added.Add(package);
        }

        List<string> architectures = components.Values.SelectMany(c => c.Values).Select(e => e.Architecture)
            .Where(a => a != "all").Distinct().Order(StringComparer.Ordinal).ToList();
        if (architectures.Count == 0)
        {
            architectures.Add("all"); // only Architecture: all packages: one binary-all index
        }

        var release = new ReleaseFile
        {
            Origin = options.Origin ?? previous?.Origin,
            Label = options.Label ?? previous?.Label,
            Suite = options.Suite,
            Codename = options.Codename ?? previous?.Codename ?? options.Suite,
            Date = options.Date,
            ValidUntil = options.Date + options.ValidFor,
            Architectures = architectures,
            Components = [.. components.Keys],
            Items = [],
        };
        string keyringPath = Path.Combine(root, KeyringFileName);
        OpenPgpKeyring signers = options.SigningKeys.Select(k => k.PublicKey).Aggregate(OpenPgpKeyring.Empty, (all, key) => all.Add(key));
        byte[] keyring = signers.Export();
        // Not refused (replacing the keys is legitimate), but reported when no key of the keyring
        // clients hold signs any more: they all need the new keyring. Adding a key beside the old one breaks nobody.
        bool keyringChanged = File.Exists(keyringPath) && !HeldKeys(keyringPath).Intersect(signers.Fingerprints).Any();

        // 1. Pool files.
        foreach (IncomingPackage package in added)
        {
            string destination = Path.Combine(root, package.PoolPath);
            if (!File.Exists(destination) || FileDigests.OfFile(destination).Sha256 != package.Digests.Sha256)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                AtomicFile.Copy(package.SourcePath, destination, secrets.ContainsKey(package.SourcePath) ? SecretMode : PublicMode);
            }
        }

        // 2. Indices: by-hash copies first, then the plain names.
        List<IndexFile> indices = BuildIndices(components, architectures);
        var byHash = new List<string>();
        foreach (IndexFile index in indices)
        {
            foreach ((string algorithm, string digest) in new[] { ("SHA256", index.Digests.Sha256), ("SHA512", index.Digests.Sha512) })
            {
                string relative = $"{Path.GetDirectoryName(index.Path)}/by-hash/{algorithm}/{digest}";
                byHash.Add(relative);
                string path = Path.Combine(suiteDirectory, relative);
                if (!File.Exists(path))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    AtomicFile.WriteAllBytes(path, index.Content);
                }
            }
        }

        foreach (IndexFile index in indices)
        {
            AtomicFile.WriteAllBytes(Path.Combine(suiteDirectory, index.Path), index.Content); // its directory holds its by-hash copies
        }

        // 3. The keyring, then Release.gpg, Release and InRelease, each replaced by rename.
        AtomicFile.WriteAllBytes(keyringPath, keyring);
        byte[] releaseBytes = Encoding.UTF8.GetBytes((release with { Items = [.. indices.Select(i => new ReleaseItem(i.Path, i.Digests))] }).Render());
        string releaseText = Encoding.UTF8.GetString(releaseBytes);
        AtomicFile.WriteAllBytes(Path.Combine(suiteDirectory, "Release.gpg"), Encoding.ASCII.GetBytes(OpenPgpSigner.DetachedSign(options.SigningKeys, releaseBytes, options.Date)));
        AtomicFile.WriteAllBytes(Path.Combine(suiteDirectory, "Release"), releaseBytes);
        AtomicFile.WriteAllBytes(Path.Combine(suiteDirectory, "InRelease"), Encoding.UTF8.GetBytes(OpenPgpSigner.ClearSign(options.SigningKeys, releaseText, options.Date)));

        // 4. Only now may by-hash files of old generations go.
        ByHashGenerations.Read(suiteDirectory).Commit(byHash);

        return new PublishResult(
            [.. added.Select(p => p.PoolPath)], alreadyPresent, options.Suite, [.. components.Keys], architectures, release.ValidUntil, keyringPath, keyringChanged,
            [.. added.Select(p => secrets.GetValueOrDefault(p.SourcePath)).OfType<PackageSecret>()]);
    }

    private const UnixFileMode PublicMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A package carrying a secret, published because secrets were allowed: only the repository's owner reads it.</summary>
    private const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Every secret the incoming packages carry, by source path, before anything is written: a
    /// package with one is refused, naming it and the file, unless secrets are allowed.
    /// </summary>
    private static Dictionary<string, PackageSecret> FindSecrets(List<IncomingPackage> incoming, bool allow)
    {
        var secrets = new Dictionary<string, PackageSecret>(StringComparer.Ordinal);
        foreach (IncomingPackage package in incoming)
        {
            if (SecretScan.Find(package.SourcePath) is not { } secret)
            {
                continue;
            }

            if (!allow)
            {
                throw new PackageException(
                    $"{package.SourcePath}: refusing to publish {package.Control["Package"]} {package.Control["Version"]}: {secret.File} holds {secret.What}, and whoever can fetch from the repository would have it; publish a package that carries no secret (the Consul recipe's key-free build), or allow secrets")
                {
                    Setting = RepositorySettings.AllowSecrets,
                };
            }

            secrets[package.SourcePath] = secret;
        }

        return secrets;
    }

    /// <summary>The primary fingerprints in the repository's current keyring; none when it cannot be read.</summary>
    private static IReadOnlyList<string> HeldKeys(string keyringPath)
    {
        try
        {
            return OpenPgpKeyring.Parse(File.ReadAllBytes(keyringPath), keyringPath).Fingerprints;
        }
        catch (PackageException)
        {
            return [];
        }
    }

    /// <summary>A suite, component or codename (<paramref name="setting"/>): one path segment apt can put in a URL.</summary>
    public static void ValidateName(string value, string setting)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || value is "." or ".." || value.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new PackageException($"{setting} '{MessageText.OneLine(value)}' is not a valid {setting} name: use letters, digits, '-' or '.', without '/' or spaces (e.g. stable)")
            {
                Setting = setting,
            };
        }
    }

    private static void ValidateValue(string? value, string setting)
    {
        if (value is not null && (value.Length == 0 || value.Any(char.IsControl)))
        {
            throw new PackageException($"{setting} '{MessageText.OneLine(value)}' must be one non-empty line") { Setting = setting };
        }
    }

    private static List<IncomingPackage> ReadIncoming(IReadOnlyList<string> paths, string component, IByteProgress progress)
    {
        var packages = new List<IncomingPackage>();
        long[] sizes = [.. paths.Select(p => File.Exists(p) ? new FileInfo(p).Length : 0)];
        using ByteProgress.Scope reporting = progress.Start(paths.Count == 1 ? Path.GetFileName(paths[0]) : $"{paths.Count} packages", sizes.Sum());
        long before = 0;
        for (int i = 0; i < paths.Count; i++)
        {
            string path = paths[i];
            IncomingPackage package = IncomingPackage.Read(path, component, progress, before);
            before += sizes[i];
            progress.Report(before); // the reader leaves a package's closing padding unread: read, it is all done
            if (packages.Find(p => p.PoolPath == package.PoolPath) is { } twin)
            {
                if (twin.Digests.Sha256 != package.Digests.Sha256)
                {
                    throw new PackageException($"{path} and {twin.SourcePath} are both {package.PoolPath} with different content: publish one of them");
                }

                continue;
            }

            packages.Add(package);
        }

        return packages;
    }

    /// <summary>
    /// Every package the current Release lists, by component and identity. Each Packages file is
    /// checked against the Release's SHA256 first: a repository whose files disagree is refused
    /// rather than silently rebuilt from the wrong one.
    /// </summary>
    private static SortedDictionary<string, Dictionary<string, IndexEntry>> ReadIndices(string suiteDirectory, PublishedRelease? release)
    {
        var components = new SortedDictionary<string, Dictionary<string, IndexEntry>>(StringComparer.Ordinal);
        if (release is null)
        {
            return components;
        }

        foreach (string component in release.Components)
        {
            components[component] = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        }

        foreach ((string relative, string sha256, _) in release.Sha256)
        {
            string[] parts = relative.Split('/');
            if (parts.Length != 3 || parts[2] != "Packages" || !components.TryGetValue(parts[0], out var entries))
            {
                continue;
            }

            string path = Path.Combine(suiteDirectory, relative);
            if (!File.Exists(path))
            {
                throw new PackageException($"{path} is listed in the Release but missing: restore the repository from its last complete copy");
            }

            byte[] content = File.ReadAllBytes(path);
            if (FileDigests.Of(content).Sha256 != sha256)
            {
                throw new PackageException($"{path} does not match the SHA256 in its Release: the repository was changed by hand or copied partially; restore it from its last complete copy");
            }

            foreach (Deb822Paragraph paragraph in Deb822Paragraph.ParseAll(content, path))
            {
                IndexEntry entry = IndexEntry.FromParagraph(paragraph, path);
                entries.TryAdd(entry.Identity, entry);
            }
        }

        return components;
    }

    /// <summary>One file of the index tree: path below dists/SUITE, bytes and digests.</summary>
    private sealed record IndexFile(string Path, byte[] Content, FileDigests Digests);

    private static List<IndexFile> BuildIndices(SortedDictionary<string, Dictionary<string, IndexEntry>> components, List<string> architectures)
    {
        var jobs = new List<(string Path, byte[] Plain)>();
        foreach ((string component, Dictionary<string, IndexEntry> entries) in components)
        {
            foreach (string architecture in architectures)
            {
                var text = new StringBuilder();
                // dpkg-scanpackages' order: by name, then version as a string.
                foreach (IndexEntry entry in entries.Values
                    .Where(e => e.Architecture == architecture || e.Architecture == "all")
                    .OrderBy(e => e.Package, StringComparer.Ordinal)
                    .ThenBy(e => e.Version, StringComparer.Ordinal)
                    .ThenBy(e => e.Architecture, StringComparer.Ordinal))
                {
                    text.Append(entry.Text).Append('\n');
                }

                jobs.Add(($"{component}/binary-{architecture}/Packages", Encoding.UTF8.GetBytes(text.ToString())));
            }
        }

        // Compressing is most of the work; each file is independent.
        var files = new IndexFile[jobs.Count * IndexSuffixes.Length];
        Parallel.For(0, files.Length, i =>
        {
            (string path, byte[] plain) = jobs[i / IndexSuffixes.Length];
            string suffix = IndexSuffixes[i % IndexSuffixes.Length];
            CompressionFormat format = CompressionSettings.FromSuffix(suffix) ?? throw new InvalidOperationException($"no compression has the suffix '{suffix}'");
            byte[] content = format == CompressionFormat.None ? plain : Compress(plain, format);
            files[i] = new IndexFile(path + suffix, content, FileDigests.Of(content));
        });
        return [.. files];
    }

    private static byte[] Compress(byte[] plain, CompressionFormat format)
    {
        using var output = new MemoryStream();
        using (Stream compressor = Compressors.OpenCompressor(output, format, threads: 1))
        {
            compressor.Write(plain);
        }

        return output.ToArray();
    }
}
