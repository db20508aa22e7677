using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// dpkg-deb -f does not echo the control file: it parses the fields it knows and writes them
/// back (lib/dpkg/dump.c). This reproduces the rewrites that change bytes: versions lose a zero
/// epoch and leading zeros of the epoch, dependency fields are re-spaced with the obsolete
/// operators &lt; and &gt; turned into &lt;= and &gt;=, and booleans print "no" alone but vanish
/// from a multi-field listing.
/// </summary>
internal static class FieldNormalizer
{
    /// <summary>
    /// The value dpkg would print for <paramref name="field"/>, one of the fields its parser knows
    /// (<see cref="ControlType.DpkgDatabase"/>), or null when it prints nothing for it.
    /// <paramref name="value"/> is null when the field is absent.
    /// </summary>
    public static string? Normalize(ControlField field, string? value, bool withHeader)
    {
        if (field.Kind == ControlFieldKind.Boolean)
        {
            bool yes = string.Equals(value, "yes", StringComparison.Ordinal);
            return withHeader ? (yes ? "yes" : null) : (yes ? "yes" : "no");
        }
        return value is null ? null : field.Kind switch
        {
            ControlFieldKind.Version => Version(value),
            ControlFieldKind.Relation => Dependencies(value),
            _ => value,
        };
    }

    private static string Version(string value)
    {
        string text = value.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
        {
            return text;
        }
        string rest = text[(colon + 1)..];
        // An upstream part containing ':' keeps even a zero epoch, or the version would change meaning.
        return epoch != 0 || rest.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"{epoch}:{rest}")
            : rest;
    }

    private static string Dependencies(string value)
    {
        var output = new StringBuilder();
        string[] groups = value.Split(',');
        for (int g = 0; g < groups.Length; g++)
        {
            if (g > 0)
            {
                output.Append(", ");
            }
            string[] alternatives = groups[g].Split('|');
            for (int a = 0; a < alternatives.Length; a++)
            {
                if (a > 0)
                {
                    output.Append(" | ");
                }
                output.Append(Relation(alternatives[a]));
            }
        }
        return output.ToString();
    }

    private static string Relation(string text)
    {
        string item = string.Join(' ', text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
        int open = item.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return item;
        }
        int close = item.IndexOf(')', open);
        string name = item[..open].Trim();
        string inner = (close < 0 ? item[(open + 1)..] : item[(open + 1)..close]).Trim();
        string op = new(inner.TakeWhile(c => c is '<' or '>' or '=').ToArray());
        string version = Version(inner[op.Length..].Trim());
        op = op switch
        {
            "<" => "<=",
            ">" => ">=",
            _ => op,
        };
        string tail = close < 0 ? "" : item[(close + 1)..].Trim();
        return $"{name} ({op} {version})" + (tail.Length > 0 ? " " + tail : "");
    }
}
