namespace ConsulPkg.Cli;

/// <summary>
/// What a command may know of the process it runs in. Tests pass their own, so commands never
/// read the process environment, working directory or clock directly.
/// </summary>
internal sealed record CliContext
{
    /// <summary>Relative paths on the command line are resolved against this directory.</summary>
    public required string WorkingDirectory { get; init; }

    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>
    /// The clock, read once per build and only when SOURCE_DATE_EPOCH is unset (see
    /// <see cref="BuildTimestamp"/>); the library never reads it.
    /// </summary>
    public required Func<DateTimeOffset> Now { get; init; }

    /// <summary>Debian name of this machine's architecture, or null when Debian has none.</summary>
    public string? HostArchitecture { get; init; }

    /// <summary>
    /// The byte stream behind standard output, for commands whose output must be byte-exact
    /// (listings of names in any encoding). Null: bytes are decoded as UTF-8 into the text writer.
    /// </summary>
    public Func<Stream>? OpenStandardOutput { get; init; }

    public static CliContext FromProcess() => new()
    {
        OpenStandardOutput = Console.OpenStandardOutput,
        HostArchitecture = Fpm.DebianArchitecture.FromRuntime(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture),
        WorkingDirectory = Environment.CurrentDirectory,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        Now = () => DateTimeOffset.UtcNow,
    };

    /// <summary>Resolves a command-line path against <see cref="WorkingDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
