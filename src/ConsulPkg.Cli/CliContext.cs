using ConsulPkg.Consul;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.SharedLibraries;

namespace ConsulPkg.Cli;

/// <summary>
/// What a command may know of the process it runs in: the only reader of the environment, the
/// working directory, the clock, the time zone, the user's privileges and the terminal. Tests pass
/// their own. The libraries read none of these: commands pass them values.
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

    /// <summary>
    /// The clock progress bars measure time by (how long the work has taken, its rate); never
    /// an input of what is built.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Debian name of this machine's architecture, or null when Debian has none.</summary>
    public string? HostArchitecture { get; init; }

    /// <summary>
    /// The zone local times are shown in: the process's TZ unless given, read when first asked
    /// for (most commands never show a time, and reading the zone costs a file or two).
    /// </summary>
    public TimeZoneInfo LocalTimeZone
    {
        get => _localTimeZone ??= TimeZoneInfo.Local;
        init => _localTimeZone = value;
    }

    private TimeZoneInfo? _localTimeZone;

    /// <summary>Whether the process runs as root: files it writes may then be given to a service's group.</summary>
    public bool IsPrivileged { get; init; }

    /// <summary>Whether standard error is a terminal a person watches (a progress bar is then worth drawing).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The width, in columns, of the terminal on standard output, which help text is wrapped to; null: not a terminal, no wrapping.</summary>
    public Func<int?>? OutputColumns { get; init; }

    /// <summary>The user's home directory when $HOME is unset (from the password database).</summary>
    public string? UserProfile { get; init; }

    /// <summary>
    /// The byte stream behind standard output, for commands whose output must be byte-exact
    /// (listings of names in any encoding). Null: bytes are decoded as UTF-8 into the text writer.
    /// </summary>
    public Func<Stream>? OpenStandardOutput { get; init; }

    /// <summary>
    /// Standard input and the size fstat(2) gives it (0 for a pipe), for a package named "-".
    /// Null: there is none to read.
    /// </summary>
    public Func<(Stream Stream, long Size)>? OpenStandardInput { get; init; }

    /// <summary>The process's umask, which an unprivileged extraction without -p applies (GNU tar's default).</summary>
    public Func<int> Umask { get; init; } = () => 0x12;

    /// <summary>
    /// The name the program was started as (argv[0], without its directory): "dpkg-deb" when
    /// run through a link of that name, which then takes dpkg-deb's command line.
    /// </summary>
    public string? InvokedAs { get; init; }

    public static CliContext FromProcess() => new()
    {
        OpenStandardOutput = Debian.IO.HostFiles.OpenStandardOutput,
        OpenStandardInput = Debian.IO.HostFiles.OpenStandardInput,
        Umask = Debian.IO.HostFiles.CurrentUmask,
        InvokedAs = ProgramName(),
        HostArchitecture = Fpm.DebianArchitecture.FromRuntime(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture),
        WorkingDirectory = Environment.CurrentDirectory,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        Now = () => DateTimeOffset.UtcNow,
        IsPrivileged = Environment.IsPrivilegedProcess,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        OutputColumns = Debian.IO.HostFiles.StandardOutputColumns,
        UserProfile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
    };

    /// <summary>
    /// Where a command reports how far its work is: a bar on standard error when that is a
    /// terminal, unless <paramref name="quiet"/> (--quiet) or under a CI system ($CI set, other
    /// than "false" or "0"), whose logs would keep every redraw; else nowhere.
    /// </summary>
    public IByteProgress Progress(bool quiet, TextWriter error) =>
        ErrorIsTerminal && !quiet && Variable("CI") is null or "false" or "0"
            ? new TerminalProgress(error, Clock)
            : NoProgress.Instance;

    /// <summary>
    /// <c>$DEBFULLNAME &lt;$DEBEMAIL&gt;</c>, as Debian's tools take the maintainer from the
    /// environment; null unless both are set. Checked, naming the variables when invalid.
    /// </summary>
    public string? MaintainerFromEnvironment()
    {
        string? name = GetEnvironmentVariable("DEBFULLNAME");
        string? email = GetEnvironmentVariable("DEBEMAIL");
        return string.IsNullOrEmpty(name) || string.IsNullOrEmpty(email)
            ? null
            : Debian.MaintainerAddress.Check($"{name} <{email}>", "DEBFULLNAME and DEBEMAIL");
    }

    /// <summary>What <c>dpkg-deb -c</c> would print here: this context's time zone and locale variables.</summary>
    public ListingOptions Listing() => ListingOptions.For(LocalTimeZone, GetEnvironmentVariable);

    /// <summary>The download cache where the XDG base directory spec puts it; null when there is no home to put it in.</summary>
    public DownloadCache? Cache() =>
        DownloadCache.Locate(GetEnvironmentVariable("XDG_CACHE_HOME"), Variable("HOME") ?? UserProfile);

    /// <summary>
    /// Where this host's dpkg keeps what dpkg-shlibdeps reads; dpkg's database moves with
    /// $DPKG_ADMINDIR, as for dpkg-query.
    /// </summary>
    public SharedLibraryHost SharedLibraryHost() => new()
    {
        AdminDirectory = Variable("DPKG_ADMINDIR") ?? "/var/lib/dpkg",
        BuildArchitecture = HostArchitecture ?? throw new Debian.PackageException("cannot tell the Debian name of this host's architecture, which finding its libraries needs: list the dependencies yourself") { Setting = Debian.PackageSettings.AutoDepends },
    };

    /// <summary>The value of an environment variable, null when unset or blank.</summary>
    public string? Variable(string name) => GetEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>
    /// argv[0]'s last component. The native executable's argument list starts with it; the JIT
    /// build's starts with the entry assembly instead, so that one reads /proc/self/cmdline.
    /// </summary>
    private static string? ProgramName()
    {
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
        {
            return Path.GetFileName(Environment.GetCommandLineArgs()[0]);
        }
        try
        {
            byte[] cmdline = File.ReadAllBytes("/proc/self/cmdline");
            int end = Array.IndexOf(cmdline, (byte)0);
            string first = System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
            return Path.GetFileName(first);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Resolves a command-line path against <see cref="WorkingDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
