using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Cli.DpkgDeb;

/// <summary>The operations of dpkg-deb 1.21, each one of its actions.</summary>
internal enum DpkgDebAction
{
    Build,
    Contents,
    Control,
    Info,
    Field,
    Extract,
    VerboseExtract,
    RawExtract,
    ControlTarfile,
    FilesystemTarfile,
    Show,
    Help,
    Version,
}

/// <summary>A command line dpkg-deb would refuse: exit status 2, like dpkg-deb's badusage.</summary>
internal sealed class DpkgDebUsageException(string message) : Exception(message);

/// <summary>
/// dpkg-deb's command line, read as dpkg-deb reads it (lib/dpkg/options.c
/// <c>dpkg_options_parse</c> over src/deb/main.c's option table): options until the first word
/// that is not one (or "--"), short options bundled ("-Zxz", "-z9", "-Ixv"), long ones with
/// "=value" or the next word, one action, and the DPKG_DEB_* environment variables read first.
/// Every option of dpkg-deb 1.21 is known; each value is checked here, as dpkg-deb checks it
/// before doing anything.
/// </summary>
internal sealed class DpkgDebCommandLine
{
    /// <summary>dpkg-deb's build default: xz.</summary>
    private const CompressionFormat DefaultCompression = CompressionFormat.Xz;

    private static readonly Option[] Options =
    [
        new("build", 'b', false, DpkgDebAction.Build),
        new("contents", 'c', false, DpkgDebAction.Contents),
        new("control", 'e', false, DpkgDebAction.Control),
        new("info", 'I', false, DpkgDebAction.Info),
        new("field", 'f', false, DpkgDebAction.Field),
        new("extract", 'x', false, DpkgDebAction.Extract),
        new("vextract", 'X', false, DpkgDebAction.VerboseExtract),
        new("raw-extract", 'R', false, DpkgDebAction.RawExtract),
        new("ctrl-tarfile", null, false, DpkgDebAction.ControlTarfile),
        new("fsys-tarfile", null, false, DpkgDebAction.FilesystemTarfile),
        new("show", 'W', false, DpkgDebAction.Show),
        new("help", '?', false, DpkgDebAction.Help),
        new("version", null, false, DpkgDebAction.Version),
        new("deb-format", null, true),
        new("debug", 'D', false),
        new("verbose", 'v', false),
        new("nocheck", null, false),
        new("root-owner-group", null, false),
        new("threads-max", null, true),
        new("uniform-compression", null, false),
        new("no-uniform-compression", null, false),
        new(null, 'z', true),
        new(null, 'Z', true),
        new(null, 'S', true),
        new("showformat", null, true),
    ];

    private sealed record Option(string? Long, char? Short, bool TakesValue, DpkgDebAction? Action = null);

    private Option? _action;
    private int _level = -1;

    public DpkgDebAction Action => _action!.Action!.Value;

    /// <summary>The action's long name, as dpkg-deb's messages name it ("--contents").</summary>
    public string ActionName => "--" + _action!.Long;

    /// <summary>The words after the options: the action's arguments.</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public bool Verbose { get; private set; }

    public bool NoCheck { get; private set; }

    public bool RootOwnerGroup { get; private set; }

    public bool UniformCompression { get; private set; } = true;

    /// <summary>--deb-format=0.939000.</summary>
    public bool OldFormat { get; private set; }

    public string ShowFormat { get; private set; } = Debian.Reading.DpkgShowFormat.Default;

    /// <summary>--threads-max (or DPKG_DEB_THREADS_MAX); null for every core.</summary>
    public int? ThreadsMax { get; private set; }

    /// <summary>The compression -Z, -z and -S ask for, checked as dpkg's compressor_check_params does.</summary>
    public CompressionSettings Compression { get; private set; } = null!;

    /// <summary>Reads <paramref name="args"/> (without the program name); <paramref name="environment"/> gives DPKG_DEB_* variables.</summary>
    public static DpkgDebCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var line = new DpkgDebCommandLine();
        var type = DefaultCompression;
        var strategy = CompressionStrategy.Default;
        if (Set(environment("DPKG_DEB_THREADS_MAX")) is { } threads)
        {
            line.ThreadsMax = Positive(LooseInteger(threads));
        }
        if (Set(environment("DPKG_DEB_COMPRESSOR_TYPE")) is { } envType)
        {
            type = ParseType(envType);
        }
        if (Set(environment("DPKG_DEB_COMPRESSOR_LEVEL")) is { } envLevel)
        {
            line._level = (int)Math.Clamp(LooseInteger(envLevel), int.MinValue, int.MaxValue);
        }

        int i = 0;
        while (i < args.Count && args[i].Length > 1 && args[i][0] == '-')
        {
            string word = args[i++];
            if (word == "--")
            {
                break;
            }
            if (word[1] == '-')
            {
                string text = word[2..];
                Option? option = Array.Find(Options, o => o.Long is not null && (text == o.Long || text.StartsWith(o.Long + "=", StringComparison.Ordinal)))
                    ?? throw Usage($"unknown option --{text}");
                string? value = text.Length > option.Long!.Length ? text[(option.Long.Length + 1)..] : null;
                if (option.TakesValue)
                {
                    value ??= i < args.Count ? args[i++] : throw Usage($"--{option.Long} option takes a value");
                }
                else if (value is not null)
                {
                    throw Usage($"--{option.Long} option does not take a value");
                }
                line.Apply(option, value, ref type, ref strategy);
                continue;
            }
            for (int p = 1; p < word.Length;)
            {
                char c = word[p++];
                Option option = Array.Find(Options, o => o.Short == c) ?? throw Usage($"unknown option -{c}");
                string? value = null;
                if (option.TakesValue)
                {
                    if (p == word.Length)
                    {
                        value = i < args.Count ? args[i++] : throw Usage($"-{c} option takes a value");
                    }
                    else
                    {
                        value = word[p] == '=' ? word[(p + 1)..] : word[p..];
                        p = word.Length;
                    }
                }
                else if (p < word.Length && word[p] == '=')
                {
                    throw Usage($"-{c} option does not take a value");
                }
                line.Apply(option, value, ref type, ref strategy);
            }
        }
        line.Arguments = [.. args.Skip(i)];
        if (line._action is null)
        {
            throw Usage("need an action option");
        }
        line.Compression = CheckCompression(type, line._level, strategy);
        return line;
    }

    private void Apply(Option option, string? value, ref CompressionFormat type, ref CompressionStrategy strategy)
    {
        if (option.Action is not null)
        {
            if (_action is not null)
            {
                throw Usage($"conflicting actions {Describe(option)} and {Describe(_action)}");
            }
            _action = option;
            return;
        }
        switch (option.Long ?? option.Short.ToString())
        {
            case "deb-format":
                OldFormat = value switch
                {
                    "2.0" => false,
                    "0.939000" => true,
                    _ => throw Usage($"unknown deb format version: {value} (use 2.0 or 0.939000)"),
                };
                break;
            case "debug":
                // dpkg-deb 1.21 sets a flag no operation reads.
                break;
            case "verbose":
                Verbose = true;
                break;
            case "nocheck":
                NoCheck = true;
                break;
            case "root-owner-group":
                RootOwnerGroup = true;
                break;
            case "threads-max":
                ThreadsMax = Positive(OptionInteger(option, value!));
                break;
            case "uniform-compression":
                UniformCompression = true;
                break;
            case "no-uniform-compression":
                UniformCompression = false;
                break;
            case "z":
                _level = OptionInteger(option, value!);
                break;
            case "Z":
                type = ParseType(value!);
                break;
            case "S":
                strategy = value switch
                {
                    "none" => CompressionStrategy.Default,
                    "filtered" => CompressionStrategy.Filtered,
                    "huffman" => CompressionStrategy.HuffmanOnly,
                    "rle" => CompressionStrategy.RunLength,
                    "fixed" => CompressionStrategy.Fixed,
                    "extreme" => CompressionStrategy.Extreme,
                    _ => throw Usage($"unknown compression strategy '{value}'!"),
                };
                break;
            case "showformat":
                ShowFormat = value!;
                break;
            default:
                throw new InvalidOperationException($"option {Describe(option)} has no handler");
        }
    }

    /// <summary>compressor_find_by_name, refusing the obsolete writers as dpkg-deb does.</summary>
    private static CompressionFormat ParseType(string value) => value switch
    {
        "none" => CompressionFormat.None,
        "gzip" => CompressionFormat.Gzip,
        "xz" => CompressionFormat.Xz,
        "zstd" => CompressionFormat.Zstd,
        "lzma" => throw Usage($"obsolete compression type '{value}'; use xz instead"),
        "bzip2" => throw Usage($"obsolete compression type '{value}'; use xz or gzip instead"),
        _ => throw Usage($"unknown compression type '{value}'!"),
    };

    /// <summary>
    /// compressor_check_params: gzip at level 0 is no compression; a negative level is the
    /// format's default; above 9 (22 for zstd) is refused; a strategy must be the format's.
    /// zstd's level 0 means its default, as libzstd reads it.
    /// </summary>
    private static CompressionSettings CheckCompression(CompressionFormat type, int level, CompressionStrategy strategy)
    {
        if (type == CompressionFormat.Gzip && level == 0)
        {
            type = CompressionFormat.None;
        }
        if ((type == CompressionFormat.Zstd && level > 22) || (type != CompressionFormat.Zstd && level > 9))
        {
            throw Usage($"invalid compressor parameters: invalid compression level {level}");
        }
        if (strategy != CompressionStrategy.Default
            && !(type == CompressionFormat.Gzip && strategy is not CompressionStrategy.Extreme)
            && !(type == CompressionFormat.Xz && strategy == CompressionStrategy.Extreme))
        {
            throw Usage("invalid compressor parameters: unknown compression strategy");
        }
        int? chosen = type switch
        {
            CompressionFormat.None => 0,
            CompressionFormat.Zstd when level == 0 => null,
            _ => level < 0 ? null : level,
        };
        return CompressionSettings.Create(type, chosen, strategy);
    }

    /// <summary>dpkg_options_parse_arg_int: strtol(…, 0) of the whole word, 0 to INT_MAX.</summary>
    private static int OptionInteger(Option option, string text)
    {
        if (DpkgText.Strtol(text, 0, out long value, out bool overflow) != text.Length || text.Length == 0 || overflow || value is < 0 or > int.MaxValue)
        {
            string name = option.Long is null ? $"-{option.Short}" : $"--{option.Long}";
            throw Usage($"invalid integer for {name}: '{(text.Length > 250 ? text[..250] : text)}'");
        }
        return (int)value;
    }

    /// <summary>How dpkg-deb reads DPKG_DEB_COMPRESSOR_LEVEL and DPKG_DEB_THREADS_MAX: strtol(…, 10), 0 for anything that is not wholly a number.</summary>
    private static long LooseInteger(string text) =>
        DpkgText.Strtol(text, 10, out long value, out bool overflow) == text.Length && !overflow ? value : 0;

    /// <summary>A thread limit: dpkg-deb leaves the choice to the compressor for 0 or less.</summary>
    private static int? Positive(long value) => value > 0 ? (int)Math.Min(value, int.MaxValue) : null;

    private static string? Set(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Describe(Option option) =>
        option.Short is { } s && option.Long is { } l ? $"-{s} (--{l})" : option.Long is { } only ? $"--{only}" : $"-{option.Short}";

    private static DpkgDebUsageException Usage(string message) => new(message);
}
