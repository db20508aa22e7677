using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian;

/// <summary>
/// Everything a .deb is made of. Immutable; derive variants with <c>with { ... }</c>. The writer
/// validates it whole before it writes a byte.
/// </summary>
public sealed record DebPackageSpec
{
    public required ControlFile Control { get; init; }

    /// <summary>
    /// Data entries in any order; parents of every path are implied as 0755 root:root directories,
    /// except the base system's unowned directories (<see cref="Building.SiteDirectories"/>),
    /// which the data never lists, given or implied.
    /// </summary>
    public required IReadOnlyList<PackageEntry> Entries { get; init; }

    /// <summary>Maintainer scripts' bytes; each must start with "#!".</summary>
    public IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> Scripts { get; init; } =
        new Dictionary<MaintainerScript, ReadOnlyMemory<byte>>();

    /// <summary>
    /// Further control.tar members (triggers, shlibs, debconf's config and templates...), in the
    /// order given; the archive lists every member by name, so the order changes no byte.
    /// </summary>
    public IReadOnlyList<ExtraControlMember> ExtraControlMembers { get; init; } = [];

    /// <summary>Conffiles named explicitly (absolute paths), added to the /etc default.</summary>
    public IReadOnlyList<string> ConfFiles { get; init; } = [];

    /// <summary>Mark every regular file under /etc as a conffile, as fpm and debhelper do.</summary>
    public bool EtcFilesAreConfFiles { get; init; } = true;

    /// <summary>How control.tar and data.tar are compressed; gzip 9 unless given.</summary>
    public CompressionSettings Compression { get; init; } = CompressionSettings.Default;

    /// <summary>
    /// The one timestamp of the build (SOURCE_DATE_EPOCH): the ar member times, and the mtime of
    /// every tar entry, clamped like dpkg-deb's <c>--clamp-mtime</c> so no entry is newer.
    /// </summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// Permission bits of the written .deb (and of its temporary files). Null: 0666 less the
    /// umask, like any new file. A package that carries a secret, such as a gossip key in its
    /// configs, should be 0600: the .deb is as sensitive as the files inside it.
    /// </summary>
    public UnixFileMode? OutputFileMode { get; init; }

    /// <summary>
    /// When set, the package is signed as debsigs signs it (<see cref="OpenPgp.DebSignature"/>),
    /// the signature dated <see cref="Timestamp"/>.
    /// </summary>
    public OpenPgp.SigningKey? SigningKey { get; init; }

    /// <summary>Whether and how to add usr/share/doc/&lt;package&gt;/copyright and changelog.</summary>
    public DocumentationOptions Documentation { get; init; } = DocumentationOptions.None;
}

/// <summary>
/// The documentation lintian expects of every package. When <see cref="Generate"/> is set the
/// writer adds <c>usr/share/doc/&lt;package&gt;/copyright</c> (machine-readable format, from the
/// control's License/Vendor/Maintainer unless <see cref="CopyrightText"/> is given) and a
/// <c>changelog.gz</c> (<c>changelog.Debian.gz</c> when the version has a revision or an upstream
/// changelog is given, which then is <c>changelog.gz</c>), unless the
/// data already holds them.
/// </summary>
public sealed record DocumentationOptions
{
    public static DocumentationOptions None { get; } = new() { Generate = false };

    public static DocumentationOptions Default { get; } = new() { Generate = true };

    public bool Generate { get; init; }

    /// <summary>Use this text as the copyright file instead of generating one.</summary>
    public string? CopyrightText { get; init; }

    /// <summary>Use this text as the changelog instead of generating one entry.</summary>
    public string? ChangelogText { get; init; }

    /// <summary>The upstream changelog's bytes, shipped gzipped as changelog.gz (the package's own is then changelog.Debian.gz).</summary>
    public ReadOnlyMemory<byte>? UpstreamChangelog { get; init; }

    /// <summary>The distribution of the generated changelog entry.</summary>
    public string Distribution { get; init; } = "unstable";
}
