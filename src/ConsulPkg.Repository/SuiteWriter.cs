using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Repository;

/// <summary>
/// Turns a <see cref="SuitePlan"/> into files, in the order that keeps readers safe: new pool
/// files, by-hash indices and the plain indices first, then Release.gpg, Release and InRelease,
/// then the generation record; only after all of them are in place does anything go (by-hash
/// files and pool files that no kept generation names, indices the Release no longer lists).
/// A client that fetched the previous InRelease finds the indices it names under by-hash and
/// the pool files they list for <see cref="ByHashGenerations.Kept"/> more publishes.
/// </summary>
internal static class SuiteWriter
{
    public const string KeyringFileName = "archive-keyring.gpg";

    private const UnixFileMode PublicMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A package carrying a secret, published because secrets were allowed: only the repository's owner reads it.</summary>
    private const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] ReleaseFiles = ["Release.gpg", "Release", "InRelease"];

    public static RepositoryChangeResult Write(string root, SuitePlan plan, RepositoryWriteOptions options)
    {
        SuiteState before = plan.Before;
        List<string> components = [.. plan.After.Where(c => c.Value.Count > 0).Select(c => c.Key)];
        if (components.Count == 0)
        {
            components = [.. plan.After.Keys]; // an emptied suite keeps its components, with empty indices
        }

        List<IndexEntry> entries = [.. components.SelectMany(c => plan.After[c].Values)];
        List<string> binaryArchitectures = [.. entries.Select(e => e.Architecture).Where(a => a != "all").Distinct().Order(StringComparer.Ordinal)];
        bool hasAll = entries.Any(e => e.Architecture == "all") || binaryArchitectures.Count == 0;
        List<string> architectures = [.. binaryArchitectures.Concat(hasAll ? ["all"] : []).Order(StringComparer.Ordinal)];

        List<IndexFile> indices = IndexFile.Compress(PlainIndices(root, plan, components, binaryArchitectures, architectures, hasAll));
        var byHash = new List<(string Relative, IndexFile Index)>();
        foreach (IndexFile index in indices)
        {
            string directory = Path.GetDirectoryName(index.Path)!;
            byHash.Add(($"{directory}/by-hash/SHA256/{index.Digests.Sha256}", index));
            byHash.Add(($"{directory}/by-hash/SHA512/{index.Digests.Sha512}", index));
        }

        var listedAfter = entries.Select(e => e.Filename).ToHashSet(StringComparer.Ordinal);
        List<string> dropped = [.. before.Entries.Select(e => e.Filename).Where(f => !listedAfter.Contains(f)).Distinct()];
        ByHashGenerations generations = ByHashGenerations.Read(before.Directory).Next(byHash.Select(b => b.Relative), dropped);
        var pending = generations.PendingPool.Where(p => !listedAfter.Contains(p)).ToHashSet(StringComparer.Ordinal);
        List<string> deletable = DeletablePool(root, before.Name, generations.ReleasedPool.Where(p => !listedAfter.Contains(p) && !pending.Contains(p)));

        var release = new ReleaseFile
        {
            Origin = plan.Origin,
            Label = plan.Label,
            Suite = before.Name,
            Codename = plan.Codename ?? before.Name,
            Date = options.Date,
            ValidUntil = options.Date + options.ValidFor,
            Architectures = architectures,
            AllPackagesInEachArchitecture = hasAll && binaryArchitectures.Count > 0,
            Components = components,
            Items = [.. indices.Select(i => new ReleaseItem(i.Path, i.Digests)).OrderBy(i => i.Path, StringComparer.Ordinal)],
        };
        string keyringPath = Path.Combine(root, KeyringFileName);
        OpenPgpKeyring signers = options.SigningKeys.Select(k => k.PublicKey).Aggregate(OpenPgpKeyring.Empty, (all, key) => all.Add(key));
        // Not refused (replacing the keys is legitimate), but reported when no key of the keyring
        // clients hold signs any more: they all need the new keyring. Adding a key beside the old
        // one breaks nobody. A dry run has no keys to compare.
        bool keyringChanged = signers.Fingerprints.Count > 0 && File.Exists(keyringPath) && !HeldKeys(keyringPath).Intersect(signers.Fingerprints).Any();
        var result = new RepositoryChangeResult(before.Name, options.DryRun, plan.Added, plan.AlreadyPresent, plan.Removed, plan.Copied,
            deletable, components, architectures, release.ValidUntil, keyringPath, keyringChanged, plan.Secrets);
        if (options.DryRun)
        {
            return result;
        }

        string releaseText = release.Render();
        byte[] releaseBytes = Encoding.UTF8.GetBytes(releaseText);
        byte[] detached = Encoding.ASCII.GetBytes(OpenPgpSigner.DetachedSign(options.SigningKeys, releaseBytes, options.Date));
        byte[] clearSigned = Encoding.UTF8.GetBytes(OpenPgpSigner.ClearSign(options.SigningKeys, releaseText, options.Date));
        byte[] keyring = signers.Export();

        using (var staged = new StagedWrites(root))
        {
            var secret = plan.Secrets.Select(s => s.PackagePath).ToHashSet(StringComparer.Ordinal);
            foreach (IncomingPackage package in plan.NewPoolFiles)
            {
                staged.Copy(package.SourcePath, Path.Combine(root, package.PoolPath), secret.Contains(package.SourcePath) ? SecretMode : PublicMode);
            }

            foreach ((string relative, IndexFile index) in byHash)
            {
                string path = Path.Combine(before.Directory, relative);
                if (!File.Exists(path))
                {
                    staged.Write(path, index.Content);
                }
            }

            foreach (IndexFile index in indices)
            {
                staged.Write(Path.Combine(before.Directory, index.Path), index.Content);
            }

            staged.Write(keyringPath, keyring);
            staged.Barrier();
            staged.Write(Path.Combine(before.Directory, "Release.gpg"), detached);
            staged.Write(Path.Combine(before.Directory, "Release"), releaseBytes);
            staged.Write(Path.Combine(before.Directory, "InRelease"), clearSigned);
            staged.Write(Path.Combine(before.Directory, ByHashGenerations.FileName), generations.Render());
            staged.Commit();
        }

        RemoveUnlisted(before.Directory, generations, indices);
        foreach (string pool in deletable)
        {
            DeletePoolFile(root, pool);
        }

        return result;
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

    /// <summary>
    /// Pool files released by this suite's generations that no suite lists and no other suite's
    /// kept generations still name: the only ones that may go.
    /// </summary>
    private static List<string> DeletablePool(string root, string suite, IEnumerable<string> released)
    {
        var candidates = released.ToHashSet(StringComparer.Ordinal);
        if (candidates.Count == 0)
        {
            return [];
        }

        foreach (string other in SuiteState.Names(root).Where(s => s != suite))
        {
            SuiteState state = SuiteState.Read(root, other);
            candidates.ExceptWith(state.Entries.Select(e => e.Filename));
            candidates.ExceptWith(ByHashGenerations.Read(state.Directory).PendingPool);
        }

        return [.. candidates.Where(c => File.Exists(Path.Combine(root, c))).Order(StringComparer.Ordinal)];
    }

    private static void DeletePoolFile(string root, string relative)
    {
        string path = Path.Combine(root, relative);
        File.Delete(path);
        string pool = Path.Combine(root, "pool");
        for (string? directory = Path.GetDirectoryName(path); directory is not null && directory.Length > pool.Length && !Directory.EnumerateFileSystemEntries(directory).Any(); directory = Path.GetDirectoryName(directory))
        {
            Directory.Delete(directory);
        }
    }

    /// <summary>By-hash files no kept generation names, and indices of components or architectures the Release no longer lists.</summary>
    private static void RemoveUnlisted(string suiteDirectory, ByHashGenerations generations, List<IndexFile> indices)
    {
        IReadOnlySet<string> live = generations.LiveByHash;
        var listed = indices.Select(i => i.Path).ToHashSet(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(suiteDirectory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(suiteDirectory, file);
            string name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                continue;
            }

            bool stale = relative.Contains("/by-hash/", StringComparison.Ordinal)
                ? generations.Known && !live.Contains(relative)
                : relative.Contains('/', StringComparison.Ordinal) && (name.StartsWith("Packages", StringComparison.Ordinal) || name.StartsWith("Contents-", StringComparison.Ordinal)) && !listed.Contains(relative);
            if (stale)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Every index the Release will list, uncompressed: Packages per component and architecture, Contents per component and architecture.</summary>
    private static List<(string Path, byte[] Plain, string[] Suffixes)> PlainIndices(
        string root, SuitePlan plan, List<string> components, List<string> binaryArchitectures, List<string> architectures, bool hasAll)
    {
        var jobs = new List<(string, byte[], string[])>();
        foreach (string component in components)
        {
            Dictionary<string, IndexEntry> entries = plan.After[component];
            foreach (string architecture in binaryArchitectures)
            {
                jobs.Add(($"{component}/binary-{architecture}/Packages", RenderPackages(entries.Values.Where(e => e.Architecture == architecture || e.Architecture == "all")), IndexFile.PackagesSuffixes));
            }

            if (hasAll)
            {
                jobs.Add(($"{component}/binary-all/Packages", RenderPackages(entries.Values.Where(e => e.Architecture == "all")), IndexFile.PackagesSuffixes));
            }

            foreach (string architecture in architectures)
            {
                jobs.Add(($"{component}/Contents-{architecture}", ContentsIndex.Render(ContentsOf(root, plan, component, architecture)), IndexFile.ContentsSuffixes));
            }
        }

        return jobs;
    }

    private static byte[] RenderPackages(IEnumerable<IndexEntry> entries)
    {
        // dpkg-scanpackages' order: by name, then version as a string.
        List<IndexEntry> ordered = [.. entries
            .OrderBy(e => e.Package, StringComparer.Ordinal)
            .ThenBy(e => e.Version, StringComparer.Ordinal)
            .ThenBy(e => e.Architecture, StringComparer.Ordinal)];

        // One array of the exact size: a builder, its string and their bytes were three copies of a large index.
        byte[] text = new byte[ordered.Sum(e => e.Stanza.Length + 1)];
        int at = 0;
        foreach (IndexEntry entry in ordered)
        {
            entry.Stanza.Span.CopyTo(text.AsSpan(at));
            at += entry.Stanza.Length;
            text[at++] = (byte)'\n';
        }

        return text;
    }

    /// <summary>
    /// The newest version of each name of exactly <paramref name="architecture"/>, with its files:
    /// from the current Contents when that version is already the one listed, from the package
    /// itself when it came in with this command, from the suite it was copied from, and only
    /// otherwise from its pool file.
    /// </summary>
    private static IEnumerable<(IndexEntry, IReadOnlyList<string>)> ContentsOf(string root, SuitePlan plan, string component, string architecture)
    {
        Dictionary<string, IndexEntry> newest = SuiteState.Newest(plan.After[component].Values, architecture);
        Dictionary<string, IndexEntry> newestBefore = plan.Before.Components.TryGetValue(component, out var beforeEntries)
            ? SuiteState.Newest(beforeEntries.Values, architecture)
            : [];
        Dictionary<string, IndexEntry>? newestInSource = plan.ContentsSource?.Components.TryGetValue(component, out var sourceEntries) == true
            ? SuiteState.Newest(sourceEntries!.Values, architecture)
            : null;
        foreach (IndexEntry entry in newest.Values)
        {
            IReadOnlyList<string>? files = null;
            if (newestBefore.TryGetValue(entry.Package, out IndexEntry? was) && was.Identity == entry.Identity && was.Sha256 == entry.Sha256
                && plan.Before.Contents(component, architecture) is { } current)
            {
                files = current.GetValueOrDefault(entry.Package) ?? [];
            }
            else if (plan.FilesBySha256.TryGetValue(entry.Sha256, out IReadOnlyList<string>? incoming))
            {
                files = incoming;
            }
            else if (newestInSource?.GetValueOrDefault(entry.Package) is { } there && there.Sha256 == entry.Sha256
                && plan.ContentsSource!.Contents(component, architecture) is { } source)
            {
                files = source.GetValueOrDefault(entry.Package) ?? [];
            }

            yield return (entry, files ?? ContentsIndex.FilesOf(Path.Combine(root, entry.Filename)));
        }
    }

    /// <summary>One file of the index tree: path below dists/SUITE, bytes and digests.</summary>
    private sealed record IndexFile(string Path, byte[] Content, FileDigests Digests)
    {
        public static readonly string[] PackagesSuffixes = ["", ".gz", ".xz"];

        /// <summary>
        /// Contents plain and gzip: apt looks a Contents target up in the Release by its plain
        /// name before it tries compressed ones (Debian's Release lists both for that reason), and
        /// an index the Release lists is one the repository has.
        /// </summary>
        public static readonly string[] ContentsSuffixes = ["", ".gz"];

        /// <summary>Compresses each index in each of its forms; most of the work, each independent.</summary>
        public static List<IndexFile> Compress(List<(string Path, byte[] Plain, string[] Suffixes)> jobs)
        {
            List<(int Job, string Suffix)> forms = [.. jobs.SelectMany((j, i) => j.Suffixes.Select(s => (i, s)))];
            var files = new IndexFile[forms.Count];
            Parallel.For(0, forms.Count, i =>
            {
                (string path, byte[] plain, _) = jobs[forms[i].Job];
                string suffix = forms[i].Suffix;
                CompressionFormat format = CompressionSettings.FromSuffix(suffix) ?? throw new InvalidOperationException($"no compression has the suffix '{suffix}'");
                byte[] content = format == CompressionFormat.None ? plain : Compressed(plain, format);
                files[i] = new IndexFile(path + suffix, content, FileDigests.Of(content));
            });
            return [.. files];
        }

        private static byte[] Compressed(byte[] plain, CompressionFormat format)
        {
            using var output = new MemoryStream();
            // xz in fixed small blocks: a large index compresses on every core, the bytes never depend on how many.
            using (Stream compressor = format == CompressionFormat.Xz
                ? Compressors.OpenCompressor(output, CompressionSettings.Create(format), xzBlockSize: Compressors.SmallXzBlockSize)
                : Compressors.OpenCompressor(output, format, threads: 1))
            {
                compressor.Write(plain);
            }

            return output.ToArray();
        }
    }
}
