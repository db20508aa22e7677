using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Repository;

/// <summary>What <c>repo publish</c> is asked to do. Every time comes from the caller: the library never reads the clock.</summary>
public sealed record PublishOptions
{
    /// <summary>The repository root (created when missing).</summary>
    public required string RepositoryDirectory { get; init; }

    public required string Suite { get; init; }

    public string Component { get; init; } = "main";

    /// <summary>Every key signs InRelease and Release.gpg, and the keyring holds them all: clients trusting any one keep updating while keys rotate.</summary>
    public required IReadOnlyList<SigningKey> SigningKeys { get; init; }

    /// <summary>Null keeps the repository's current value (none for a new repository).</summary>
    public string? Origin { get; init; }

    public string? Label { get; init; }

    /// <summary>Null keeps the current value; a new repository gets the suite name.</summary>
    public string? Codename { get; init; }

    /// <summary>The Release's Date and the signatures' time.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>Valid-Until is <see cref="Date"/> plus this.</summary>
    public TimeSpan ValidFor { get; init; } = TimeSpan.FromDays(DefaultValidDays);

    public required IReadOnlyList<string> Packages { get; init; }

    /// <summary>
    /// Publish packages that carry a secret (<see cref="SecretScan"/>) instead of refusing them;
    /// their pool files are 0600, every other package's 0644.
    /// </summary>
    public bool AllowSecrets { get; init; }

    /// <summary>Hears how far the packages given are read and checked (most of a publish's work); by default nobody.</summary>
    public IByteProgress Progress { get; init; } = NoProgress.Instance;

    /// <summary>How long to wait for another publish into the same repository to finish.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public const int DefaultValidDays = 28;
}

/// <summary>What a publish did, for the command to print.</summary>
/// <param name="Added">Pool paths of packages added.</param>
/// <param name="KeyringChanged">No key of the keyring the repository held signs any more: clients need the new keyring.</param>
/// <param name="AlreadyPresent">Pool paths of packages given again with the same bytes (nothing to do).</param>
/// <param name="Secrets">The secret each added package that carries one holds (published because secrets were allowed).</param>
public sealed record PublishResult(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> AlreadyPresent,
    string Suite,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> Architectures,
    DateTimeOffset ValidUntil,
    string KeyringPath,
    bool KeyringChanged,
    IReadOnlyList<PackageSecret> Secrets);
