using ConsulPkg.Debian;

namespace ConsulPkg.Fpm;

/// <summary>What an fpm command line amounts to: the package and where it goes.</summary>
public sealed record FpmBuild
{
    public required DebPackageSpec Spec { get; init; }

    /// <summary>Absolute path of the .deb to write.</summary>
    public required string OutputPath { get; init; }

    /// <summary>fpm's <c>--force</c>: replace an existing file.</summary>
    public required bool Overwrite { get; init; }

    /// <summary>fpm's <c>--deb-generate-changes</c>: where to write the .changes after the package (<see cref="FpmChangesFile"/>); null: none.</summary>
    public string? ChangesPath { get; init; }

    /// <summary>The distribution the .changes names (fpm's <c>--deb-dist</c>, default unstable).</summary>
    public string Distribution { get; init; } = "unstable";

    /// <summary>Where a value was rewritten or a flag had no effect, one line each (fpm logs these as warnings).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
