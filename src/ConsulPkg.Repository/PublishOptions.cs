using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Repository;

/// <summary>
/// What every command that changes a repository needs: where it is, how to sign it, and when.
/// Every time comes from the caller: the library never reads the clock.
/// </summary>
public sealed record RepositoryWriteOptions
{
    /// <summary>The repository root.</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// Every key signs InRelease and Release.gpg, and the keyring holds them all: clients trusting
    /// any one keep updating while keys rotate. Empty only for a dry run, which signs nothing.
    /// </summary>
    public required IReadOnlyList<SigningKey> SigningKeys { get; init; }

    /// <summary>The Release's Date and the signatures' time.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>Valid-Until is <see cref="Date"/> plus this.</summary>
    public TimeSpan ValidFor { get; init; } = TimeSpan.FromDays(DefaultValidDays);

    /// <summary>How long to wait for another command on the same repository to finish.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Work out and report the change, write and sign nothing.</summary>
    public bool DryRun { get; init; }

    public const int DefaultValidDays = 28;
}

/// <summary>What <c>repo publish</c> is asked to do.</summary>
public sealed record PublishOptions
{
    public required RepositoryWriteOptions Repository { get; init; }

    public required string Suite { get; init; }

    public string Component { get; init; } = "main";

    /// <summary>Null keeps the repository's current value (none for a new repository).</summary>
    public string? Origin { get; init; }

    public string? Label { get; init; }

    /// <summary>Null keeps the current value; a new repository gets the suite name.</summary>
    public string? Codename { get; init; }

    public required IReadOnlyList<string> Packages { get; init; }

    /// <summary>After adding, each name and architecture of the component keeps only its newest this many versions; null keeps all.</summary>
    public int? KeepVersions { get; init; }

    /// <summary>
    /// Publish packages that carry a secret (<see cref="SecretScan"/>) instead of refusing them;
    /// their pool files are 0600, every other package's 0644.
    /// </summary>
    public bool AllowSecrets { get; init; }

    /// <summary>Hears how far the packages given are read and checked (most of a publish's work); by default nobody.</summary>
    public IByteProgress Progress { get; init; } = NoProgress.Instance;
}

/// <summary>What <c>repo remove</c> is asked to do.</summary>
public sealed record RemoveOptions
{
    public required RepositoryWriteOptions Repository { get; init; }

    public required string Suite { get; init; }

    /// <summary>Only this component; null for every one.</summary>
    public string? Component { get; init; }

    public required IReadOnlyList<PackageSelector> Packages { get; init; }
}

/// <summary>What <c>repo copy</c> is asked to do: list packages of one suite in another, same pool files.</summary>
public sealed record CopyOptions
{
    public required RepositoryWriteOptions Repository { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    /// <summary>Only this component; null for every one.</summary>
    public string? Component { get; init; }

    public required IReadOnlyList<PackageSelector> Packages { get; init; }

    /// <summary>Promote packages that carry a secret (<see cref="SecretScan"/>) instead of refusing them, as <see cref="PublishOptions.AllowSecrets"/>.</summary>
    public bool AllowSecrets { get; init; }
}

/// <summary>What a command did (or, with <see cref="DryRun"/>, would do), for the command to print.</summary>
/// <param name="Added">Pool paths of packages added.</param>
/// <param name="AlreadyPresent">Pool paths of packages given again with the same bytes (nothing to do).</param>
/// <param name="Removed">Packages the suite no longer lists ("NAME VERSION ARCH").</param>
/// <param name="Copied">Packages listed in the suite from another ("NAME VERSION ARCH").</param>
/// <param name="Deleted">Pool files deleted: no suite lists them, no kept generation names them.</param>
/// <param name="KeyringChanged">No key of the keyring the repository held signs any more: clients need the new keyring.</param>
/// <param name="Secrets">The secret each added package that carries one holds (published because secrets were allowed).</param>
public sealed record RepositoryChangeResult(
    string Suite,
    bool DryRun,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> AlreadyPresent,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Copied,
    IReadOnlyList<string> Deleted,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> Architectures,
    DateTimeOffset ValidUntil,
    string KeyringPath,
    bool KeyringChanged,
    IReadOnlyList<PackageSecret> Secrets);
