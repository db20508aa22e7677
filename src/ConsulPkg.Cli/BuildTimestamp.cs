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

    /// <summary>Add this option to every command that writes a package; a bad value is a usage error.</summary>
    public static Option<DateTimeOffset?> CreateOption(
        string name = "--source-date-epoch",
        string description = $"Seconds since 1970-01-01 UTC for every timestamp in the output (default: ${EnvironmentVariable}, else now)") =>
        new(name)
        {
            Description = description,
            HelpName = "SECONDS",
            CustomParser = result => result.Tokens.Count == 0 ? null : Commands.OptionParsing.Parse<DateTimeOffset?>(result, result.Tokens[^1].Value, t => Parse(t, name)),
        };

    /// <summary>
    /// The option's value, else the environment, else <paramref name="fallback"/> (fpm's
    /// <c>--source-date-epoch-default</c>), else the clock, read once.
    /// </summary>
    public static DateTimeOffset Resolve(DateTimeOffset? given, CliContext context, DateTimeOffset? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (given is { } fromOption)
        {
            return fromOption;
        }

        string? fromEnvironment = context.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Parse(fromEnvironment, EnvironmentVariable);
        }

        if (fallback is { } fromDefault)
        {
            return fromDefault;
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
