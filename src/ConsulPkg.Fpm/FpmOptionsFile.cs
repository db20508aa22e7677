using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's <c>--fpm-options-file FILE</c> (lib/fpm/command.rb load_options): each line of FILE is
/// split into words as Ruby's Shellwords does and taken as flags at the place the option stands,
/// so a later flag on the command line overrides one from the file and an earlier one is
/// overridden by it. The file holds flags and their values only (fpm's rule: inputs stay on the
/// command line), may name another options file but not one already read, and is at most
/// 100 KiB, as in fpm. Unlike fpm, a line starting with '#' is a comment and <c>--flag=value</c>
/// works (fpm fails on both).
/// </summary>
public static class FpmOptionsFile
{
    public const string Flag = "--fpm-options-file";

    /// <summary>fpm refuses larger files.</summary>
    public const int MaxSize = 100 * 1024;

    /// <summary>
    /// <paramref name="args"/> with every <c>--fpm-options-file FILE</c> replaced by the flags in
    /// FILE. <paramref name="takesValue"/> tells whether a flag (e.g. <c>-n</c>, <c>--name</c>)
    /// takes a value, so that a word after it is its value rather than a stray input; it is null
    /// for an unknown flag, which is passed on for the parser to refuse.
    /// </summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> args, string workingDirectory, Func<string, bool?> takesValue)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(takesValue);
        if (!args.Any(a => a == Flag || a.StartsWith(Flag + "=", StringComparison.Ordinal)))
        {
            return args;
        }

        var result = new List<string>();
        Expand(args, workingDirectory, takesValue, result, new HashSet<string>(StringComparer.Ordinal), from: null);
        return result;
    }

    private static void Expand(IReadOnlyList<string> args, string workingDirectory, Func<string, bool?> takesValue, List<string> result, HashSet<string> loaded, string? from)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                result.AddRange(args.Skip(i));
                return;
            }

            string? file = arg == Flag ? (i + 1 < args.Count ? args[++i] : null)
                : arg.StartsWith(Flag + "=", StringComparison.Ordinal) ? arg[(Flag.Length + 1)..]
                : null;
            if (file is null && arg == Flag)
            {
                throw new PackageException($"{Flag} needs a file{(from is null ? "" : $" (in {from})")}: give the path of a file of fpm flags");
            }

            if (file is not null)
            {
                string path = Path.GetFullPath(file, workingDirectory);
                if (!loaded.Add(path))
                {
                    throw new PackageException($"{Flag} '{path}' is read a second time{(from is null ? "" : $" (from {from})")}: an options file may not load itself or one already loaded");
                }

                foreach ((int line, IReadOnlyList<string> words) in Read(path, takesValue))
                {
                    Expand(words, workingDirectory, takesValue, result, loaded, $"'{path}' line {line}");
                }

                continue;
            }

            result.Add(arg);
        }
    }

    /// <summary>The file's lines as words, each line checked to hold flags and their values only.</summary>
    private static List<(int Line, IReadOnlyList<string> Words)> Read(string path, Func<string, bool?> takesValue)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxSize)
            {
                throw new PackageException($"the {Flag} file '{path}' is {info.Length} bytes, more than the {MaxSize} fpm reads: split it or put the flags on the command line");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot read the {Flag} file '{path}': {IoErrorText.Reason(exception)}", exception);
        }

        var lines = new List<(int, IReadOnlyList<string>)>();
        string[] text = Encoding.UTF8.GetString(bytes).Split('\n');
        for (int n = 0; n < text.Length; n++)
        {
            string line = text[n].TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            string where = $"the {Flag} file '{path}' line {n + 1}";
            List<string> words = ShellWords.Split(line, where);
            CheckFlagsOnly(words, takesValue, where);
            lines.Add((n + 1, words));
        }

        return lines;
    }

    private static void CheckFlagsOnly(List<string> words, Func<string, bool?> takesValue, string where)
    {
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (!word.StartsWith('-') || word == "-")
            {
                throw new PackageException($"{where}: '{word}' is not a flag: an options file holds flags and their values only; give inputs on the command line");
            }

            if (!word.Contains('=', StringComparison.Ordinal) && takesValue(word) == true)
            {
                if (i + 1 == words.Count)
                {
                    throw new PackageException($"{where}: {word} needs a value on the same line");
                }

                i++;
            }
        }
    }
}

/// <summary>
/// Ruby's <c>Shellwords.split</c>: words separated by white space; '...' is literal; "..." keeps
/// a backslash only before $ ` " \ or a newline; an unquoted backslash escapes the next character.
/// No expansion of any kind.
/// </summary>
internal static class ShellWords
{
    public static List<string> Split(string line, string where)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                int end = line.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new PackageException($"{where}: unmatched quote (')");
                }

                word.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                i++;
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '$' or '`' or '"' or '\\' or '\n')
                    {
                        i++;
                    }

                    word.Append(line[i]);
                }

                if (i >= line.Length)
                {
                    throw new PackageException($"{where}: unmatched quote (\")");
                }
            }
            else if (c == '\\')
            {
                if (i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
