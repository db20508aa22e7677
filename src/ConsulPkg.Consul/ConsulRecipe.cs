using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Consul;

/// <summary>Everything <c>consul-pkg build</c> takes.</summary>
public sealed record ConsulRecipeOptions
{
    public required string ConsulVersion { get; init; }

    public string Iteration { get; init; } = "1";

    /// <summary>Debian architecture: amd64, i386, armhf or arm64.</summary>
    public string Architecture { get; init; } = "amd64";

    public string? Vendor { get; init; }

    public string? Maintainer { get; init; }

    /// <summary>Directory for the .deb (named name_version_arch.deb); ignored when <see cref="OutputFile"/> is set.</summary>
    public string OutputDirectory { get; init; } = ".";

    public string? OutputFile { get; init; }

    public bool Overwrite { get; init; }

    public CompressionFormat Compression { get; init; } = CompressionFormat.Gzip;

    public int? CompressionLevel { get; init; }

    public AgentSettings Agent { get; init; } = new();

    /// <summary>Templates overriding the shipped ones, file by file.</summary>
    public string? TemplatesDirectory { get; init; }

    public PackageLayout Layout { get; init; } = PackageLayout.Seed;

    public GossipKeySource GossipKey { get; init; } = GossipKeySource.Default;

    /// <summary>Base URL from the option; null falls back to CONSUL_PKG_RELEASE_URL, then HashiCorp.</summary>
    public string? ReleaseUrl { get; init; }

    public string? ZipFile { get; init; }

    public string? Sha256SumsFile { get; init; }

    public IReadOnlyList<string> TrustedKeyFiles { get; init; } = [];

    public bool SkipSignature { get; init; }

    /// <summary>The build's one timestamp (SOURCE_DATE_EPOCH, resolved by the caller).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Null: the XDG default. Tests point it at a private directory.</summary>
    public DownloadCache? Cache { get; init; }

    public DownloadOptions Download { get; init; } = DownloadOptions.Default;

    /// <summary>
    /// Reads CONSUL_PKG_RELEASE_URL, CONSUL_PKG_GOSSIP_KEY and XDG_CACHE_HOME; null is the process
    /// environment. Commands pass their context's so tests control it.
    /// </summary>
    public Func<string, string?>? GetEnvironmentVariable { get; init; }
}

/// <summary>What a build produced; nothing secret in it.</summary>
public sealed record ConsulBuildResult(string PackagePath, string ZipSha256, string? SignedBy, bool Pinned, bool FromCache, string KeyFingerprint);

/// <summary>
/// The Consul recipe: fetch and verify a release, extract the binary, render and check the
/// templates, describe the package and hand it to <see cref="DebPackageWriter"/>. Either a
/// complete .deb appears at the output path or nothing does.
/// </summary>
public static class ConsulRecipe
{
    public static async Task<ConsulBuildResult> BuildAsync(ConsulRecipeOptions options, TextWriter diagnostics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diagnostics);

        // Everything the user typed is checked before any download.
        var release = new ConsulRelease(options.ConsulVersion, options.Architecture);
        var version = new DebianVersion(options.ConsulVersion, options.Iteration);
        Func<string, string?> environment = options.GetEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        Uri baseUrl = ConsulRelease.ResolveBaseUrl(options.ReleaseUrl, environment(ConsulRelease.BaseUrlEnvironmentVariable));
        GossipKey key = options.GossipKey.Resolve(environment);
        ConsulTemplates templates = ConsulTemplates.Load(options.TemplatesDirectory);
        RenderedPackage rendered = RenderWithoutRevealing(templates, options, version, key);
        string outputDirectory = options.OutputFile is null ? options.OutputDirectory : Path.GetDirectoryName(Path.GetFullPath(options.OutputFile))!;
        if (!Directory.Exists(outputDirectory))
        {
            throw new PackageException($"output directory '{outputDirectory}' does not exist: create it first");
        }

        DirectoryInfo work = Directory.CreateTempSubdirectory("consul-pkg-");
        try
        {
            using var downloader = new ReleaseDownloader(options.Download);
            var fetcher = new ReleaseFetcher(downloader, options.Cache ?? DownloadCache.Default(environment), diagnostics);
            VerifiedZip zip = await fetcher.FetchAsync(
                new ReleaseSource
                {
                    Release = release,
                    BaseUrl = baseUrl,
                    ZipFile = options.ZipFile,
                    Sha256SumsFile = options.Sha256SumsFile,
                    TrustedKeyFiles = options.TrustedKeyFiles,
                    SkipSignature = options.SkipSignature,
                },
                work.FullName,
                cancellationToken).ConfigureAwait(false);

            string binary = Path.Combine(work.FullName, "consul.bin");
            ConsulBinaryExtractor.Extract(zip.ZipPath, binary, cancellationToken: cancellationToken);

            DebPackageSpec spec = DescribePackage(options, version, rendered, binary);
            string output = options.OutputFile ?? Path.Combine(options.OutputDirectory, DebPackageWriter.DefaultFileName(spec.Control));
            DebPackageWriter.WriteFile(spec, output, options.Overwrite, cancellationToken);
            return new ConsulBuildResult(Path.GetFullPath(output), zip.Sha256, zip.SignedBy, zip.Pinned, zip.FromCache, key.Fingerprint);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Renders and checks the templates. A template may put the gossip key anywhere, so whatever
    /// a render or check error says is searched for the key before it is shown, and the original
    /// exception (whose message or inner exceptions --verbose would print) is not passed on.
    /// </summary>
    private static RenderedPackage RenderWithoutRevealing(ConsulTemplates templates, ConsulRecipeOptions options, DebianVersion version, GossipKey key)
    {
        try
        {
            ConsulTemplateModel model = ConsulRenderer.Model(options.ConsulVersion, version.ToString(), options.Layout, options.Agent, key);
            return ConsulRenderer.RenderAll(templates, model);
        }
        catch (PackageException e)
        {
            throw new PackageException(key.Redact(e.Message));
        }
    }

    /// <summary>
    /// The lintian tags this package earns on purpose (lintian 2.116, Debian 12): one override
    /// per tag, each after a comment saying why (lintian shows the comment with the tag). An
    /// override for a tag lintian does not emit is itself reported (unused-override), so each
    /// layout gets only the tags it earns.
    /// </summary>
    internal static string LintianOverrides(PackageLayout layout, LayoutPaths paths)
    {
        string binary = paths.BinaryPath.TrimStart('/');
        var text = new StringBuilder()
            .Append("# The configs hold the gossip key: root:consul 0640, so only root and the agent can read it.\n")
            .Append($"consul: non-standard-file-perm 0640 != 0644 [{LayoutPaths.ConfigRoot.TrimStart('/')}/*/consul.json]\n")
            .Append("# The agent's data (raft state, keyring) is for the consul user only: consul:consul 0750.\n")
            .Append($"consul: non-standard-dir-perm 0750 != 0755 [{LayoutPaths.DataDir.TrimStart('/')}/]\n")
            .Append("# Built for a private repository, not uploaded to the archive: there is no ITP bug to close.\n")
            .Append("consul: initial-upload-closes-no-bugs\n");
        if (layout == PackageLayout.Debian)
        {
            // lintian looks for manual pages of /usr/bin programs only, not of /usr/local ones.
            text.Append("# Upstream ships no manual page; 'consul --help' documents the command.\n")
                .Append($"consul: no-manual-page [{binary}]\n");
        }
        else
        {
            text.Append("# The seed layout keeps the tutorial's /usr/local/bin/consul on purpose; --layout debian uses /usr/bin.\n")
                .Append($"consul: file-in-usr-local [{binary}]\n")
                .Append("# The directory of that binary, for the same reason.\n")
                .Append($"consul: dir-in-usr-local [{Path.GetDirectoryName(binary)}/]\n")
                .Append("# Again the tutorial's /usr/local/bin/consul, which lintian also reports as an unusual directory.\n")
                .Append($"consul: file-in-unusual-dir [{binary}]\n");
        }

        return text.ToString();
    }

    /// <summary>Consul's licence: MPL-2.0 up to 1.16, BUSL-1.1 from 1.17 (HashiCorp's 2023 change).</summary>
    internal static string CopyrightText(string consulVersion)
    {
        string[] parts = consulVersion.Split('.', '-', '+', '~');
        bool busl = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) > 1
            || (parts[0] == "1" && int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) >= 17);
        string license = busl
            ? "License: BUSL-1.1\n The Business Source License 1.1; the full text is in LICENSE at\n https://github.com/hashicorp/consul for this release.\n"
            : "License: MPL-2.0\n On Debian systems the full text of the Mozilla Public License 2.0 is in\n /usr/share/common-licenses/MPL-2.0.\n";
        return "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            + "Upstream-Name: consul\n"
            + "Source: https://releases.hashicorp.com/consul/\n"
            + "\n"
            + "Files: *\n"
            + "Copyright: 2013 and later, HashiCorp, Inc.\n" // Consul began in 2013; upstream's notice names no year
            + license;
    }

    /// <summary>The package's contents, control file and scripts from rendered templates and an extracted binary.</summary>
    public static DebPackageSpec DescribePackage(ConsulRecipeOptions options, DebianVersion version, RenderedPackage rendered, string binaryPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rendered);
        LayoutPaths paths = LayoutPaths.For(options.Layout);
        var entries = new List<PackageEntry>
        {
            PackageEntry.FromFile(paths.BinaryPath, binaryPath, 0b111_101_101),
            PackageEntry.FromBytes(paths.UnitPath, Encoding.UTF8.GetBytes(rendered.Unit)),
            PackageEntry.Directory(LayoutPaths.ConfigRoot),
            PackageEntry.Directory(LayoutPaths.DataDir, 0b111_101_000) with { Owner = ConsulRenderer.ServiceUser, Group = ConsulRenderer.ServiceUser },
        };
        foreach ((AgentRole role, string json) in rendered.Configs)
        {
            entries.Add(PackageEntry.Directory($"{LayoutPaths.ConfigRoot}/{role.ToName()}"));
            // Holds the gossip key: root:consul 0640, so only root and the agent can read it.
            entries.Add(PackageEntry.FromBytes(LayoutPaths.ConfigPath(role), Encoding.UTF8.GetBytes(json), 0b110_100_000)
                with { Group = ConsulRenderer.ServiceUser });
        }

        entries.Add(PackageEntry.FromBytes(
            "/usr/share/lintian/overrides/" + ConsulRenderer.PackageName, Encoding.UTF8.GetBytes(LintianOverrides(options.Layout, paths))));

        var control = new ControlFile
        {
            Package = ConsulRenderer.PackageName,
            Version = version,
            Architecture = options.Architecture,
            Vendor = options.Vendor,
            Maintainer = options.Maintainer,
            PreDepends = ["adduser"],
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
            ConfFiles = rendered.Configs.Keys.Select(LayoutPaths.ConfigPath).ToList(),
            Compression = options.Compression,
            CompressionLevel = options.CompressionLevel,
            Timestamp = options.Timestamp,
            Documentation = DocumentationOptions.Default with { CopyrightText = CopyrightText(options.ConsulVersion) },

            // The configs inside hold the gossip key, so the .deb itself is a secret.
            OutputFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
    }
}
