using System.Text;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Consul;

/// <summary>Everything <c>consul-pkg build</c> takes.</summary>
public sealed record ConsulRecipeOptions
{
    /// <summary>A release (0.7.2), or latest, latest-1.x, latest-1.17.x (see <see cref="VersionRequest"/>).</summary>
    public required string ConsulVersion { get; init; }

    public string Iteration { get; init; } = "1";

    /// <summary>Debian architecture: amd64, i386, armhf or arm64.</summary>
    public string Architecture { get; init; } = "amd64";

    public string? Vendor { get; init; }

    /// <summary>"Name &lt;address&gt;"; null: <see cref="ConsulRecipe.DefaultMaintainer"/> (the caller says so).</summary>
    public string? Maintainer { get; init; }

    /// <summary>Directory for the .deb (named name_version_arch.deb); ignored when <see cref="OutputFile"/> is set.</summary>
    public string OutputDirectory { get; init; } = ".";

    public string? OutputFile { get; init; }

    public bool Overwrite { get; init; }

    public CompressionSettings Compression { get; init; } = CompressionSettings.Default;

    public AgentSettings Agent { get; init; } = new();

    /// <summary>Templates overriding the shipped ones, file by file.</summary>
    public string? TemplatesDirectory { get; init; }

    public PackageLayout Layout { get; init; } = PackageLayout.Seed;

    public GossipKeySource GossipKey { get; init; } = GossipKeySource.Default;

    /// <summary>Whether the key goes in the package (<see cref="GossipKey"/> says which), is given at install, or there is none.</summary>
    public GossipKeyDelivery KeyDelivery { get; init; } = GossipKeyDelivery.Embedded;

    /// <summary>The release mirror (see <see cref="ConsulRelease.ParseBaseUrl"/>).</summary>
    public Uri BaseUrl { get; init; } = ConsulRelease.DefaultBaseUrl;

    /// <summary>Local files instead of downloading.</summary>
    public LocalReleaseFiles? LocalFiles { get; init; }

    public IReadOnlyList<string> TrustedKeyFiles { get; init; } = [];

    public bool SkipSignature { get; init; }

    /// <summary>When set, the package is signed with it as debsigs signs a package (an _gpgorigin member).</summary>
    public Debian.OpenPgp.SigningKey? SigningKey { get; init; }

    /// <summary>The build's one timestamp (SOURCE_DATE_EPOCH, resolved by the caller).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Null: no cache. The caller locates it (<see cref="DownloadCache.Locate"/>); tests point it at a private directory.</summary>
    public DownloadCache? Cache { get; init; }

    public DownloadOptions Download { get; init; } = DownloadOptions.Default;
}

/// <summary>What a build produced; nothing secret in it.</summary>
/// <param name="ConsulVersion">The release packaged (what <c>latest</c> resolved to).</param>
/// <param name="KeyFingerprint">The embedded key's fingerprint; null when the package carries none.</param>
public sealed record ConsulBuildResult(
    string PackagePath, string ConsulVersion, string ZipSha256, string? SignedBy, bool Pinned, bool FromCache, string? KeyFingerprint,
    GossipKeyDelivery KeyDelivery = GossipKeyDelivery.Embedded);

/// <summary>
/// The Consul recipe: fetch and verify a release, extract the binary, render and check the
/// templates, describe the package and hand it to <see cref="DebPackageWriter"/>. Either a
/// complete .deb appears at the output path or nothing does.
/// </summary>
public static class ConsulRecipe
{
    /// <summary>
    /// The Maintainer when none is given: Debian requires the field and lintian a mail address
    /// with a domain. The reserved .invalid domain says plainly that nobody reads it.
    /// </summary>
    public const string DefaultMaintainer = MaintainerAddress.Placeholder;

    public static async Task<ConsulBuildResult> BuildAsync(ConsulRecipeOptions options, TextWriter diagnostics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diagnostics);

        // Everything the user typed is checked before any download.
        VersionRequest request = VersionRequest.Parse(options.ConsulVersion);
        string hashiCorpArchitecture = ConsulArchitecture.ToHashiCorp(options.Architecture);
        if (request.Exact is { } exact)
        {
            ConsulVersionFacts.EnsureBuilt(exact, options.Architecture, hashiCorpArchitecture);
        }

        _ = new DebianVersion("0", options.Iteration); // the revision, before anything is fetched
        string maintainer = MaintainerAddress.Check(options.Maintainer ?? DefaultMaintainer, "the Maintainer setting");
        ConsulTemplates templates = ConsulTemplates.Load(options.TemplatesDirectory);
        DebPackageWriter.CheckOutputDirectory(options.OutputFile is null ? options.OutputDirectory : Path.GetDirectoryName(Path.GetFullPath(options.OutputFile))!);

        using var downloader = new ReleaseDownloader(options.Download);
        ReleaseVersion version = request.Exact
            ?? await ResolveLatestAsync(downloader, options.BaseUrl, request, options.Architecture, hashiCorpArchitecture, diagnostics, cancellationToken).ConfigureAwait(false);
        ConsulFacts facts = ConsulVersionFacts.For(version);
        if (facts.BeyondKnown)
        {
            diagnostics.WriteLine($"warning: consul-pkg knows Consul up to {ConsulVersionFacts.NewestKnownMajor}.x; {version} is packaged with the facts of {facts.Range}");
        }

        var release = new ConsulRelease(version.Text, options.Architecture);
        var debianVersion = new DebianVersion(version.Text, options.Iteration);
        GossipKey? key = options.KeyDelivery == GossipKeyDelivery.Embedded ? options.GossipKey.Resolve(facts) : null;
        RenderedPackage rendered = RenderWithoutRevealing(templates, options, facts, debianVersion, key);

        DirectoryInfo work = Directory.CreateTempSubdirectory("consul-pkg-");
        try
        {
            var fetcher = new ReleaseFetcher(downloader, options.Cache, diagnostics);
            VerifiedZip zip = await fetcher.FetchAsync(
                new ReleaseSource
                {
                    Release = release,
                    BaseUrl = options.BaseUrl,
                    LocalFiles = options.LocalFiles,
                    TrustedKeyFiles = options.TrustedKeyFiles,
                    SkipSignature = options.SkipSignature,
                    VerificationTime = options.Download.Time.GetUtcNow(),
                },
                work.FullName,
                cancellationToken).ConfigureAwait(false);

            string binary = Path.Combine(work.FullName, "consul.bin");
            ConsulBinaryExtractor.Extract(zip.ZipPath, binary, cancellationToken: cancellationToken);
            ElfBinary? elf = ElfBinary.Read(binary);
            elf?.EnsureRunsOn(options.Architecture, release.ZipName);

            DebPackageSpec spec = DescribePackage(options with { Maintainer = maintainer }, facts, debianVersion, rendered, binary, elf);
            string path = options.OutputFile ?? Path.Combine(options.OutputDirectory, DebPackageWriter.DefaultFileName(spec.Control));
            DebPackageWriter.WriteFile(spec, path, options.Overwrite, cancellationToken);
            return new ConsulBuildResult(Path.GetFullPath(path), version.Text, zip.Sha256, zip.SignedBy, zip.Pinned, zip.FromCache, key?.Fingerprint, options.KeyDelivery);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Resolves latest (or latest-1.x...) through the release index and says what it chose.</summary>
    private static async Task<ReleaseVersion> ResolveLatestAsync(
        ReleaseDownloader downloader, Uri baseUrl, VersionRequest request, string debianArchitecture, string hashiCorpArchitecture,
        TextWriter diagnostics, CancellationToken cancellationToken)
    {
        Uri url = ReleaseIndex.UrlOf(baseUrl);
        byte[] index = (await downloader.GetBytesAsync(url, optional: false, ReleaseIndex.MaxBytes, cancellationToken).ConfigureAwait(false))!;
        ReleaseVersion version = ReleaseIndex.Newest(index, request, hashiCorpArchitecture, url.ToString());
        ConsulVersionFacts.EnsureBuilt(version, debianArchitecture, hashiCorpArchitecture);
        diagnostics.WriteLine($"{request} is Consul {version} (from {url})");
        return version;
    }

    /// <summary>
    /// Renders and checks the templates. A template may put the gossip key anywhere, so whatever
    /// a render or check error says is searched for the key before it is shown, and the original
    /// exception (whose message or inner exceptions --verbose would print) is not passed on.
    /// </summary>
    private static RenderedPackage RenderWithoutRevealing(ConsulTemplates templates, ConsulRecipeOptions options, ConsulFacts facts, DebianVersion version, GossipKey? key)
    {
        try
        {
            ConsulTemplateModel model = ConsulRenderer.Model(facts, version.ToString(), options.Layout, options.Agent, key, options.KeyDelivery);
            return ConsulRenderer.RenderAll(templates, model, facts);
        }
        catch (PackageException e) when (key is not null)
        {
            throw new PackageException(key.Redact(e.Message)) { Setting = e.Setting };
        }
    }

    /// <summary>
    /// The lintian tags this package earns on purpose (lintian 2.116, Debian 12): one override
    /// per tag, each after a comment saying why (lintian shows the comment with the tag). An
    /// override for a tag lintian does not emit is itself reported (unused-override), so each
    /// layout gets only the tags it earns.
    /// </summary>
    internal static string LintianOverrides(PackageLayout layout, LayoutPaths paths, ElfBinary? binary, GossipKeyDelivery delivery = GossipKeyDelivery.Embedded)
    {
        string binaryPath = paths.BinaryPath.TrimStart('/');
        string binaryDirectory = Path.GetDirectoryName(binaryPath)!;
        var text = new StringBuilder()
            .Append(delivery == GossipKeyDelivery.Embedded
                ? "# The configs hold the gossip key: root:consul 0640, so only root and the agent can read it.\n"
                : "# The configs are root:consul 0640, as the gossip key file beside them: only root and the agent read the agent's settings.\n")
            .Append($"consul: non-standard-file-perm 0640 != 0644 [{LayoutPaths.ConfigRoot.TrimStart('/')}/*/consul.*]\n")
            .Append("# The agent's data (raft state, keyring) is for the consul user only: consul:consul 0750.\n")
            .Append($"consul: non-standard-dir-perm 0750 != 0755 [{LayoutPaths.DataDir.TrimStart('/')}/]\n")
            .Append("# Built for a private repository, not uploaded to the archive: there is no ITP bug to close.\n")
            .Append("consul: initial-upload-closes-no-bugs\n");
        if (binary is { IsStatic: true, IsPie: false })
        {
            text.Append("# HashiCorp builds consul as a static Go program: it loads no shared library by design.\n")
                .Append($"consul: statically-linked-binary [{binaryPath}]\n");
        }

        if (binary is { HasSymbolTable: true })
        {
            text.Append("# The binary is HashiCorp's, byte for byte as verified against its signed SHA256SUMS; stripping would change it.\n")
                .Append($"consul: unstripped-binary-or-object [{binaryPath}]\n");
        }

        if (layout == PackageLayout.Debian)
        {
            // lintian looks for manual pages of /usr/bin programs only, not of /usr/local ones.
            text.Append("# Upstream ships no manual page; 'consul --help' documents the command.\n")
                .Append($"consul: no-manual-page [{binaryPath}]\n");
        }
        else
        {
            text.Append("# The seed layout keeps the tutorial's /usr/local/bin/consul on purpose; --layout debian uses /usr/bin.\n")
                .Append($"consul: file-in-usr-local [{binaryPath}]\n")
                .Append("# lintian infers the binary's directory from its path; the package does not list it (see below).\n")
                .Append($"consul: dir-in-usr-local [{binaryDirectory}/]\n")
                .Append("# /usr/local belongs to base-files and no package: listing it would make purging consul remove it.\n")
                .Append($"consul: missing-intermediate-directory [{Path.GetDirectoryName(binaryDirectory)}/]\n")
                .Append("# The same for /usr/local/bin, which base-files creates and no package owns.\n")
                .Append($"consul: missing-intermediate-directory [{binaryDirectory}/]\n")
                .Append("# Again the tutorial's /usr/local/bin/consul, which lintian also reports as an unusual directory.\n")
                .Append($"consul: file-in-unusual-dir [{binaryPath}]\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The copyright file: the licence of exactly this release (MPL-2.0 up to 1.16.x, BUSL-1.1
    /// from 1.17.0, HashiCorp's 2023 change), where its source and licence text are.
    /// </summary>
    internal static string CopyrightText(ConsulFacts facts)
    {
        string license = facts.License == "MPL-2.0"
            ? "License: MPL-2.0\n On Debian systems the full text of the Mozilla Public License 2.0 is in\n /usr/share/common-licenses/MPL-2.0.\n"
            : $"License: {facts.License}\n The Business Source License 1.1 with HashiCorp's Additional Use Grant; the\n full text is LICENSE in this release's source, {facts.LicenseUrl}\n";
        return "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            + "Upstream-Name: consul\n"
            + $"Source: {facts.SourceUrl}\n"
            + "\n"
            + "Files: *\n"
            + "Copyright: 2013 and later, HashiCorp, Inc.\n" // Consul began in 2013; upstream's notice names no year
            + license;
    }

    /// <summary>The package's contents, control file and scripts from rendered templates and an extracted binary.</summary>
    /// <param name="elf">The binary's ELF facts (null for a stand-in that is not ELF): they decide lintian overrides.</param>
    internal static DebPackageSpec DescribePackage(
        ConsulRecipeOptions options, ConsulFacts facts, DebianVersion version, RenderedPackage rendered, string binaryPath, ElfBinary? elf)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(rendered);
        LayoutPaths paths = LayoutPaths.For(options.Layout);
        var entries = new List<PackageEntry>
        {
            PackageEntry.FromFile(paths.BinaryPath, binaryPath, 0b111_101_101),
            PackageEntry.FromBytes(paths.UnitPath, Encoding.UTF8.GetBytes(rendered.Unit)),
            PackageEntry.Directory(LayoutPaths.ConfigRoot),
            PackageEntry.Directory(LayoutPaths.NodeConfigDir),
            PackageEntry.Directory(LayoutPaths.DataDir, 0b111_101_000) with { Owner = ConsulRenderer.ServiceUser, Group = ConsulRenderer.ServiceUser },
        };
        foreach ((AgentRole role, RenderedConfig config) in rendered.Configs)
        {
            entries.Add(PackageEntry.Directory($"{LayoutPaths.ConfigRoot}/{role.ToName()}"));
            // Holds the gossip key: root:consul 0640, so only root and the agent can read it.
            entries.Add(PackageEntry.FromBytes(LayoutPaths.ConfigPath(role, config.FileName), Encoding.UTF8.GetBytes(config.Text), 0b110_100_000)
                with { Group = ConsulRenderer.ServiceUser });
        }

        entries.Add(PackageEntry.FromBytes(
            "/usr/share/lintian/overrides/" + ConsulRenderer.PackageName, Encoding.UTF8.GetBytes(LintianOverrides(options.Layout, paths, elf, options.KeyDelivery))));

        var control = new ControlFile
        {
            Package = ConsulRenderer.PackageName,
            Version = version,
            Architecture = options.Architecture,
            Vendor = options.Vendor,
            Maintainer = options.Maintainer,
            PreDepends = ["adduser"],
            Depends = [Debconf.Dependency],
            Section = "net",
            Priority = "optional",
            Homepage = "https://www.consul.io/",
            Description = rendered.Description,
        };

        return new DebPackageSpec
        {
            Control = control,
            Entries = entries,
            Scripts = rendered.Scripts.ToDictionary(p => p.Key, p => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(p.Value)),
            ConfFiles = rendered.Configs.Select(p => LayoutPaths.ConfigPath(p.Key, p.Value.FileName)).ToList(),
            ExtraControlMembers =
            [
                new ExtraControlMember(Debconf.ConfigMember, Encoding.UTF8.GetBytes(rendered.DebconfConfig), Executable: true),
                new ExtraControlMember(Debconf.TemplatesMember, Encoding.UTF8.GetBytes(rendered.DebconfTemplates)),
            ],
            Compression = options.Compression,
            Timestamp = options.Timestamp,
            Documentation = DocumentationOptions.Default with { CopyrightText = CopyrightText(facts) },
            SigningKey = options.SigningKey,

            // Configs holding the gossip key make the .deb itself a secret; a key-free one is not.
            OutputFileMode = options.KeyDelivery == GossipKeyDelivery.Embedded ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null,
        };
    }
}
