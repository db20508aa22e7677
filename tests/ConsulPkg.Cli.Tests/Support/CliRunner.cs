namespace ConsulPkg.Cli.Tests.Support;

/// <summary>Runs <c>consul-pkg</c> in-process with captured writers (as a process: <see cref="ConsulPkgProcess"/>).</summary>
internal static class CliRunner
{
    /// <summary>2016-12-05 16:53 UTC, the seed's build date.</summary>
    public const long Epoch = ConsulPkgProcess.SeedEpoch;

    public static CliContext Context(string workingDirectory, IDictionary<string, string>? environment = null, Func<DateTimeOffset>? now = null) => new()
    {
        WorkingDirectory = workingDirectory,
        HostArchitecture = "amd64",
        LocalTimeZone = TimeZoneInfo.Utc,
        GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out string? v) ? v : null,
        Now = now ?? (() => throw new AssertionException("the clock was read although SOURCE_DATE_EPOCH was set")),
    };

    /// <summary>
    /// The environment of a Consul build against a fake release: its mirror, a private cache, the
    /// test gossip key and a maintainer, so a good build prints nothing on stderr.
    /// </summary>
    public static Dictionary<string, string> ConsulEnvironment(Uri releaseUrl, string cacheHome, string gossipKey) => new()
    {
        ["SOURCE_DATE_EPOCH"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CONSUL_PKG_RELEASE_URL"] = releaseUrl.ToString(),
        ["XDG_CACHE_HOME"] = cacheHome,
        ["CONSUL_PKG_GOSSIP_KEY"] = gossipKey,
        ["DEBFULLNAME"] = "Ops Team",
        ["DEBEMAIL"] = "ops@example.org",
    };

    /// <summary>In-process, with SOURCE_DATE_EPOCH set, so the clock must not be read.</summary>
    public static ProcessResult Run(string workingDirectory, params string[] args) =>
        Run(Context(workingDirectory, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) }), args);

    public static ProcessResult Run(CliContext context, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = CliApplication.RunAsync(args, context, output, error).GetAwaiter().GetResult();
        return ProcessResult.FromText(exitCode, output.ToString(), error.ToString());
    }
}
