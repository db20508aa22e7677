using System.Security.Cryptography;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Repository;

/// <summary>
/// The commands that change a signed apt repository kept as plain files (publish, remove, copy),
/// as one model: read the suite's state from its files (<see cref="SuiteState"/>), compute the
/// suite it should become (<see cref="SuitePlan"/>), and write that in the order that keeps
/// every reader safe (<see cref="SuiteWriter"/>). The repository's state is its files; nothing
/// else is read or kept.
/// </summary>
/// <remarks>
/// Everything that can refuse a command is decided before the first write, and the writes are
/// staged before any is renamed into place, so a refused or failed command (a full file system
/// included) leaves the repository byte-for-byte as it was.
/// </remarks>
public static class RepositoryPublisher
{
    public const string KeyringFileName = SuiteWriter.KeyringFileName;

    /// <summary>Adds .deb files to a suite's component, then keeps the newest <see cref="PublishOptions.KeepVersions"/> of each name and architecture.</summary>
    public static RepositoryChangeResult Publish(PublishOptions options)
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

        if (options.KeepVersions is < 1)
        {
            throw new PackageException($"--keep-versions {options.KeepVersions}: give 1 or more (a name's newest versions to keep)") { Setting = RepositorySettings.KeepVersions };
        }

        ValidateCommon(options.Repository);
        if (options.Packages.Count == 0)
        {
            throw new PackageException("no package given: name the .deb files to publish");
        }

        if (File.Exists(options.Repository.Directory))
        {
            throw new PackageException($"repository '{options.Repository.Directory}' is a file: give a directory (it is created when missing)") { Setting = RepositorySettings.Repository };
        }

        List<IncomingPackage> incoming = ReadIncoming(options.Packages, options.Component, options.Progress);
        Dictionary<string, PackageSecret> secrets = FindSecrets(incoming.Select(p => (p.SourcePath, p.Entry)), options.AllowSecrets, "publish");
        string root = options.Repository.Directory;
        if (!options.Repository.DryRun)
        {
            Directory.CreateDirectory(root);
        }

        using RepositoryLock? held = Lock(options.Repository);
        SuiteState before = SuiteState.Read(root, options.Suite);
        SuitePlan plan = SuitePlan.From(before);
        plan.Origin = options.Origin ?? plan.Origin;
        plan.Label = options.Label ?? plan.Label;
        plan.Codename = options.Codename ?? plan.Codename;
        Dictionary<string, IndexEntry> target = plan.Component(options.Component);
        // Looked up by dictionary: a linear search per incoming file made a large first publish quadratic.
        var byPoolPath = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        var listedIdentities = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        foreach (IndexEntry entry in plan.After.Values.SelectMany(c => c.Values))
        {
            byPoolPath.TryAdd(entry.Filename, entry);
            listedIdentities.TryAdd(entry.Identity, entry);
        }

        foreach (IncomingPackage package in incoming)
        {
            IndexEntry entry = package.Entry;
            if (listedIdentities.TryGetValue(entry.Identity, out IndexEntry? known))
            {
                if (known.Sha256 != entry.Sha256)
                {
                    throw new PackageException(
                        $"{package.SourcePath}: {entry.Package} {entry.Version} {entry.Architecture} is already in the repository as {known.Filename} with different content (SHA256 {known.Sha256[..16]}..., this file {entry.Sha256[..16]}...): publish it with a new version");
                }

                plan.AlreadyPresent.Add(known.Filename);
                continue;
            }

            if (byPoolPath.TryGetValue(entry.Filename, out IndexEntry? samePath))
            {
                throw new PackageException($"{package.SourcePath}: its pool file {entry.Filename} already holds {samePath.Package} {samePath.Version}: versions differing only in epoch cannot share a pool; raise the version");
            }

            string destination = Path.Combine(root, package.PoolPath);
            if (File.Exists(destination))
            {
                // Listed by another suite, or pending for older clients: the same bytes are shared, other bytes are refused.
                if (FileHashes.Of(destination, HashAlgorithmName.SHA256).Hex[0] != entry.Sha256)
                {
                    throw new PackageException($"{package.SourcePath}: the pool already has {package.PoolPath} with other content (another suite lists it, or clients of an older Release may still fetch it): publish it with a new version");
                }
            }
            else
            {
                plan.NewPoolFiles.Add(package);
            }

            target[entry.Identity] = entry;
            byPoolPath[entry.Filename] = entry;
            plan.FilesBySha256[entry.Sha256] = package.Files;
            plan.Added.Add(package.PoolPath);
        }

        if (options.KeepVersions is { } keep)
        {
            var byVersion = Comparer<DebianVersion>.Create(DebianVersion.Compare);
            foreach (IndexEntry old in target.Values
                .GroupBy(e => (e.Package, e.Architecture))
                .SelectMany(g => g.OrderByDescending(e => e.ParsedVersion, byVersion).Skip(keep))
                .OrderBy(e => e.Package, StringComparer.Ordinal).ThenBy(e => e.Architecture, StringComparer.Ordinal).ThenBy(e => e.ParsedVersion, byVersion)
                .ToList())
            {
                target.Remove(old.Identity);
                plan.Removed.Add(old.Identity);
                plan.NewPoolFiles.RemoveAll(p => p.PoolPath == old.Filename);
                plan.Added.Remove(old.Filename);
            }
        }

        if (secrets.Count > 0)
        {
            var added = plan.Added.ToHashSet(StringComparer.Ordinal);
            plan.Secrets.AddRange(incoming.Where(p => added.Contains(p.PoolPath) && secrets.ContainsKey(p.SourcePath)).Select(p => secrets[p.SourcePath]));
        }

        return SuiteWriter.Write(root, plan, options.Repository);
    }

    /// <summary>Drops the selected packages from a suite's indices; a selector that matches nothing is refused.</summary>
    public static RepositoryChangeResult Remove(RemoveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateName(options.Suite, RepositorySettings.Suite);
        string root = options.Repository.Directory;
        using RepositoryLock? held = LockForSelectors(options.Repository, options.Component, options.Packages, "remove");
        SuiteState before = ReadExisting(root, options.Suite, RepositorySettings.Suite);
        SuitePlan plan = SuitePlan.From(before);
        foreach (PackageSelector selector in options.Packages)
        {
            List<(string Component, IndexEntry Entry)> matches = Select(plan.After, options.Component, selector);
            if (matches.Count == 0)
            {
                throw NothingMatches(selector, options.Suite, options.Component);
            }

            foreach ((string component, IndexEntry entry) in matches)
            {
                plan.After[component].Remove(entry.Identity);
                plan.Removed.Add(entry.Identity);
            }
        }

        return SuiteWriter.Write(root, plan, options.Repository);
    }

    /// <summary>Lists the selected packages of one suite in another: the same pool files, nothing uploaded or copied.</summary>
    public static RepositoryChangeResult Copy(CopyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateName(options.From, RepositorySettings.From);
        ValidateName(options.To, RepositorySettings.To);
        if (options.From == options.To)
        {
            throw new PackageException($"--from and --to are both '{options.To}': name two suites") { Setting = RepositorySettings.To };
        }

        string root = options.Repository.Directory;
        using RepositoryLock? held = LockForSelectors(options.Repository, options.Component, options.Packages, "copy");
        SuiteState source = ReadExisting(root, options.From, RepositorySettings.From);
        SuiteState before = SuiteState.Read(root, options.To);
        SuitePlan plan = SuitePlan.From(before);
        plan.ContentsSource = source;
        if (before.Release is null)
        {
            plan.Origin = source.Release!.Origin;
            plan.Label = source.Release.Label;
        }

        var listed = plan.After.Values.SelectMany(c => c.Values).ToDictionary(e => e.Identity, StringComparer.Ordinal);
        var promoted = new List<IndexEntry>();
        foreach (PackageSelector selector in options.Packages)
        {
            List<(string Component, IndexEntry Entry)> matches = Select(source.Components, options.Component, selector);
            if (matches.Count == 0)
            {
                throw NothingMatches(selector, options.From, options.Component);
            }

            foreach ((string component, IndexEntry entry) in matches)
            {
                if (listed.TryGetValue(entry.Identity, out IndexEntry? there))
                {
                    if (there.Sha256 != entry.Sha256)
                    {
                        throw new PackageException($"{entry.Package} {entry.Version} {entry.Architecture} is already in {options.To} as {there.Filename} with other content (SHA256 {there.Sha256[..16]}..., in {options.From} {entry.Sha256[..16]}...): remove it from {options.To} first, or copy another version");
                    }

                    plan.AlreadyPresent.Add(entry.Filename);
                    continue;
                }

                plan.Component(component)[entry.Identity] = entry;
                listed[entry.Identity] = entry;
                plan.Copied.Add(entry.Identity);
                promoted.Add(entry);
            }
        }

        // No new bytes, but a suite more that serves them: a package refused by publish is refused here too.
        plan.Secrets.AddRange(FindSecrets(promoted.Select(e => (PoolFile(root, e), e)), options.AllowSecrets, $"copy to {options.To}").Values);
        return SuiteWriter.Write(root, plan, options.Repository);
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

    private static void ValidateCommon(RepositoryWriteOptions options)
    {
        if (options.ValidFor <= TimeSpan.Zero)
        {
            throw new PackageException($"validity {options.ValidFor.TotalDays} days is not a number of days: give 1 or more") { Setting = RepositorySettings.ValidFor };
        }

        if (options.SigningKeys.Count == 0 && !options.DryRun)
        {
            throw new ArgumentException("a command that writes signs with at least one key", nameof(options));
        }
    }

    private static void ValidateValue(string? value, string setting)
    {
        if (value is not null && (value.Length == 0 || value.Any(char.IsControl)))
        {
            throw new PackageException($"{setting} '{MessageText.OneLine(value)}' must be one non-empty line") { Setting = setting };
        }
    }

    /// <summary>What remove and copy check before reading anything, then the lock: an existing repository, packages named, a valid component.</summary>
    private static RepositoryLock? LockForSelectors(RepositoryWriteOptions options, string? component, IReadOnlyList<PackageSelector> selectors, string command)
    {
        if (component is not null)
        {
            ValidateName(component, RepositorySettings.Component);
        }

        ValidateCommon(options);
        if (selectors.Count == 0)
        {
            throw new PackageException($"no package given: name the packages to {command} (NAME[=VERSION][:ARCH])");
        }

        if (!Directory.Exists(options.Directory))
        {
            throw new PackageException($"repository '{options.Directory}' does not exist: give the directory repo publish wrote") { Setting = RepositorySettings.Repository };
        }

        return Lock(options);
    }

    /// <summary>The repository's lock; then, for a command that writes, what a killed one left is finished or undone before anything is read.</summary>
    private static RepositoryLock? Lock(RepositoryWriteOptions options)
    {
        RepositoryLock? held = RepositoryLock.Acquire(options.Directory, options.LockTimeout, create: !options.DryRun);
        try
        {
            if (!options.DryRun)
            {
                StagedWrites.Recover(options.Directory);
            }
        }
        catch
        {
            held?.Dispose();
            throw;
        }

        return held;
    }

    /// <summary>The suite, which must exist: remove and copy never create the one they read.</summary>
    private static SuiteState ReadExisting(string root, string suite, string setting)
    {
        SuiteState state = SuiteState.Read(root, suite);
        if (state.Release is null)
        {
            string known = string.Join(", ", SuiteState.Names(root));
            throw new PackageException($"{setting} '{suite}' is not published in {root}" + (known.Length > 0 ? $" (it has: {known})" : " (it has no suite)")) { Setting = setting };
        }

        return state;
    }

    private static List<(string Component, IndexEntry Entry)> Select(
        SortedDictionary<string, Dictionary<string, IndexEntry>> components, string? component, PackageSelector selector) =>
        components
            .Where(c => component is null || c.Key == component)
            .SelectMany(c => c.Value.Values.Where(selector.Matches).Select(e => (c.Key, e)))
            .OrderBy(m => m.e.Identity, StringComparer.Ordinal)
            .ToList();

    private static PackageException NothingMatches(PackageSelector selector, string suite, string? component) =>
        new($"package '{selector}' matches nothing in {suite}{(component is null ? "" : "/" + component)}: check its name, version and architecture (apt-cache madison {selector.Name})")
        {
            Setting = PackageSelector.Setting,
        };

    /// <summary>
    /// Every secret the packages carry, by path, found before anything is written: a package with
    /// one is refused, naming it and the file (never the secret), unless secrets are allowed.
    /// </summary>
    private static Dictionary<string, PackageSecret> FindSecrets(IEnumerable<(string Path, IndexEntry Entry)> packages, bool allow, string command)
    {
        var secrets = new Dictionary<string, PackageSecret>(StringComparer.Ordinal);
        foreach ((string path, IndexEntry entry) in packages)
        {
            if (SecretScan.Find(path) is not { } secret)
            {
                continue;
            }

            if (!allow)
            {
                throw new PackageException(
                    $"{path}: refusing to {command} {entry.Package} {entry.Version}: {secret.File} holds {secret.What}, and whoever can fetch from the repository would have it; publish a package that carries no secret (the Consul recipe's key-free build), or allow secrets")
                {
                    Setting = RepositorySettings.AllowSecrets,
                };
            }

            secrets[path] = secret;
        }

        return secrets;
    }

    /// <summary>The pool file an index lists, which must be there to be read.</summary>
    private static string PoolFile(string root, IndexEntry entry)
    {
        string path = Path.Combine(root, entry.Filename);
        return File.Exists(path)
            ? path
            : throw new PackageException($"{entry.Filename}, listed for {entry.Package} {entry.Version} {entry.Architecture}, is missing from the pool: run repo check --repo {root}");
    }

    private static List<IncomingPackage> ReadIncoming(IReadOnlyList<string> paths, string component, IByteProgress progress)
    {
        var packages = new List<IncomingPackage>();
        var byPoolPath = new Dictionary<string, IncomingPackage>(StringComparer.Ordinal);
        long[] sizes = [.. paths.Select(p => new FileInfo(p) is { Exists: true } file ? file.Length : 0)]; // one stat each; a missing file is refused when read
        using ByteProgress.Scope reporting = progress.Start(paths.Count == 1 ? Path.GetFileName(paths[0]) : $"{paths.Count} packages", sizes.Sum());
        long before = 0;
        for (int i = 0; i < paths.Count; i++)
        {
            string path = paths[i];
            IncomingPackage package = IncomingPackage.Read(path, component, progress, before);
            before += sizes[i];
            progress.Report(before); // the reader leaves a package's closing padding unread: read, it is all done
            if (byPoolPath.TryGetValue(package.PoolPath, out IncomingPackage? twin))
            {
                if (twin.Entry.Sha256 != package.Entry.Sha256)
                {
                    throw new PackageException($"{path} and {twin.SourcePath} are both {package.PoolPath} with different content: publish one of them");
                }

                continue;
            }

            byPoolPath[package.PoolPath] = package;
            packages.Add(package);
        }

        return packages;
    }
}
