using System.CommandLine;
using System.CommandLine.Parsing;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// Option values parsed with the command line, for every command: a value a library's rule
/// refuses is a usage error (exit 2), one line naming the option and the value, before any file
/// is read. The parsers options share between commands live here, so <c>build</c> and
/// <c>fpm</c> say the same about the same value.
/// </summary>
internal static class OptionParsing
{
    /// <summary>
    /// An option whose last value is parsed by <paramref name="parse"/>; a <see cref="PackageException"/>
    /// from it becomes the usage error (prefixed with the option when its message does not name it).
    /// </summary>
    public static Option<T?> Single<T>(string name, string? alias, string description, Func<string, T> parse) =>
        new(name, alias is null ? [] : [alias])
        {
            Description = description,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => result.Tokens.Count == 0 ? default : Parse(result, result.Tokens[^1].Value, parse),
        };

    /// <summary>A repeatable option (one value per occurrence), each value parsed by <paramref name="parse"/>.</summary>
    public static Option<T[]> Repeated<T>(string name, string? alias, string description, Func<string, T> parse) =>
        new(name, alias is null ? [] : [alias])
        {
            Description = description,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => [.. result.Tokens.Select(t => Parse(result, t.Value, parse)!)],
        };

    /// <summary>Runs <paramref name="parse"/>; on a refusal, records the usage error and returns the default.</summary>
    public static T? Parse<T>(ArgumentResult result, string text, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse(text);
        }
        catch (PackageException exception)
        {
            Option? option = (result.Parent as OptionResult)?.Option;
            result.AddError(NamingTheOption(MessageText.Flatten(exception.Message), option));
            return default;
        }
    }

    /// <summary>The message as is when it names the option (as "--epoch" or as "'-t rpm'"), else with the option in front.</summary>
    public static string NamingTheOption(string message, Option? option)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (option is null || message.Contains(option.Name, StringComparison.Ordinal)
            || option.Aliases.Any(a => message.Contains($"'{a} ", StringComparison.Ordinal)))
        {
            return message;
        }

        return $"{option.Name}: {message}";
    }

    /// <summary>A Debian revision (<c>--iteration</c> of build and fpm).</summary>
    public static string Revision(string text)
    {
        _ = new DebianVersion("0", text);
        return text;
    }

    /// <summary>A compression a package can be written with (<c>build --compression</c>, <c>fpm --deb-compression</c>).</summary>
    public static Func<string, CompressionFormat> Compression(string option) => text =>
        text == "bzip2"
            ? throw new PackageException($"invalid {option} 'bzip2': dpkg only reads bzip2 for old packages; use {CompressionSettings.WritableNames}")
            : CompressionSettings.ParseName(text)
              ?? throw new PackageException($"invalid {option} '{MessageText.OneLine(text)}': use {CompressionSettings.WritableNames}");

    /// <summary>A compression level in the range of <paramref name="format"/>.</summary>
    public static CompressionSettings CompressionLevel(CompressionFormat format, string formatName, string option, string text)
    {
        (int min, int max) = CompressionSettings.LevelRange(format);
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int level) && level >= min && level <= max
            ? CompressionSettings.Create(format, level)
            : throw new PackageException($"invalid {option} '{MessageText.OneLine(text)}': use {min} to {max} for {formatName}");
    }
}
