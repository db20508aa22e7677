using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;

namespace ConsulPkg.Fpm;

/// <summary>
/// Ruby's <c>File.fnmatch(pattern, path)</c> without flags, which fpm's <c>--exclude</c> uses:
/// <c>*</c> matches any characters including "/", <c>?</c> one character, <c>[abc]</c>/<c>[!a-z]</c>
/// a class, <c>\x</c> a literal; a leading "." in the path must be matched literally.
/// </summary>
public sealed class FpmGlob
{
    private readonly Regex _regex;
    private readonly bool _patternStartsWithDot;

    public FpmGlob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _patternStartsWithDot = pattern.StartsWith('.');
        try
        {
            _regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException exception)
        {
            // A class such as [z-a]: Ruby's fnmatch matches nothing with it, which is never what was meant.
            throw new PackageException($"invalid exclude pattern '{MessageText.OneLine(pattern)}': {MessageText.Flatten(exception.Message)}", exception);
        }
    }

    public string Pattern { get; }

    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith('.') && !_patternStartsWithDot)
        {
            return false;
        }

        return _regex.IsMatch(path);
    }

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '\\' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    int close = i + 2 < pattern.Length ? pattern.IndexOf(']', i + 2) : -1;
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }

                    string body = pattern[(i + 1)..close];
                    bool negate = body.StartsWith('!') || body.StartsWith('^');
                    if (negate)
                    {
                        body = body[1..];
                    }

                    sb.Append('[').Append(negate ? "^" : "").Append(body.Replace(@"\", @"\\", StringComparison.Ordinal)
                        .Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.Append('$').ToString();
    }
}
