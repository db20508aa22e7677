using System.CommandLine;
using System.Globalization;
using ConsulPkg.Debian;

namespace ConsulPkg.Cli;

/// <summary>
/// The one timestamp of a build, as reproducible-builds.org defines it: <c>--source-date-epoch</c>,
/// else the SOURCE_DATE_EPOCH environment variable, else the current time read once, here in the
/// command layer, so the library never touches the clock.
/// </summary>
internal static class BuildTimestamp
{
    public const string EnvironmentVariable = "SOURCE_DATE_EPOCH";

    /// <summary>Add this option to every command that writes a package.</summary>
    public static Option<string?> CreateOption() => new("--source-date-epoch")
    {
        Description = $"Seconds since 1970-01-01 UTC for every timestamp in the output (default: ${EnvironmentVariable}, else now)",
        HelpName = "SECONDS",
    };

    public static DateTimeOffset Resolve(ParseResult parseResult, Option<string?> option, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(context);
        string? fromOption = parseResult.GetValue(option);
        if (fromOption is not null)
        {
            return Parse(fromOption, "--source-date-epoch");
        }

        string? fromEnvironment = context.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Parse(fromEnvironment, EnvironmentVariable);
        }

        DateTimeOffset now = context.Now();
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
    }

    /// <summary>Parses whole non-negative seconds; anything else is a <see cref="PackageException"/>.</summary>
    public static DateTimeOffset Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Tar and ar headers hold at most 11 and 12 octal/decimal digits; dpkg-deb refuses more too.
        const long Max = 8_589_934_591; // 077777777777 octal, the largest ustar mtime
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > Max)
        {
            throw new PackageException(
                $"invalid {source} '{text}': give whole seconds since 1970-01-01 UTC (0 to {Max}), e.g. $(git log -1 --format=%ct)");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
