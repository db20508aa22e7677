using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// A <c>--showformat</c> string as dpkg-deb -W and dpkg-query read it (lib/dpkg/pkg-format.c):
/// literal text with the escapes \n, \t, \r and \\ (any other escaped character stands for
/// itself), and <c>${Field}</c> or <c>${Field;width}</c> references, right-aligned in
/// <c>width</c> columns or left-aligned when it is negative, and cut to that many bytes.
/// </summary>
public sealed class DpkgShowFormat
{
    /// <summary>dpkg-deb's default: the name, a tab, the version.</summary>
    public const string Default = "${Package}\t${Version}\n";

    private readonly List<Node> _nodes;

    private DpkgShowFormat(List<Node> nodes) => _nodes = nodes;

    private sealed record Node(bool IsField, string Text, int Width);

    /// <summary>Parses a format; an invalid one is an <see cref="ArgumentException"/> with dpkg's reason.</summary>
    public static DpkgShowFormat Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        // Bytes as characters, NUL-terminated like the C string dpkg walks.
        string fmt = DpkgText.CString(DpkgText.FromBytes(Encoding.UTF8.GetBytes(format))) + "\0";
        var nodes = new List<Node>();
        int p = 0;
        while (fmt[p] != '\0')
        {
            if (fmt[p] == '$' && fmt[p + 1] == '{')
            {
                int end = fmt.IndexOf('}', p);
                if (end < 0)
                {
                    throw new ArgumentException("missing closing brace", nameof(format));
                }
                nodes.Add(ParseField(fmt[(p + 2)..end]));
                p = end + 1;
            }
            else
            {
                int end = p;
                do
                {
                    end++;
                    int dollar = fmt.IndexOf('$', end);
                    end = dollar < 0 ? fmt.Length - 1 : dollar;
                }
                while (fmt[end] != '\0' && fmt[end + 1] != '{');
                nodes.Add(new Node(false, Unescape(fmt, p, end - 1), 0));
                p = end;
            }
        }
        if (nodes.Count == 0)
        {
            throw new ArgumentException("may not be empty string", nameof(format));
        }
        return new DpkgShowFormat(nodes);
    }

    /// <summary>What dpkg-deb -W prints for <paramref name="control"/>.</summary>
    public byte[] Render(DpkgControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        var output = new StringBuilder();
        foreach (Node node in _nodes)
        {
            string? item = node.IsField ? control.Field(node.Text, withHeader: false, virtualFields: true) : node.Text;
            if (item is null)
            {
                continue;
            }
            item = DpkgText.CString(item);
            if (node.Width != 0)
            {
                int width = Math.Abs(node.Width);
                item = node.Width > 0 ? item.PadLeft(width) : item.PadRight(width);
                item = item.Length > width ? item[..width] : item;
            }
            output.Append(item);
        }
        return DpkgText.Bytes(output.ToString());
    }

    /// <summary>parsefield: "Name" or "Name;width", the width read as strtol(…, 0) does (0x.. hex, 0.. octal).</summary>
    private static Node ParseField(string text)
    {
        int semicolon = text.IndexOf(';', StringComparison.Ordinal);
        if (semicolon < 0)
        {
            return new Node(true, text, 0);
        }
        string widthText = text[(semicolon + 1)..];
        int end = DpkgText.Strtol(widthText, 0, out long width, out bool overflow);
        if (end < widthText.Length)
        {
            throw new ArgumentException($"invalid character '{widthText[end]}' in field width");
        }
        if (overflow || width < int.MinValue || width > int.MaxValue)
        {
            throw new ArgumentException("field width is out of range");
        }
        return new Node(true, text[..semicolon], (int)width);
    }

    /// <summary>parsestring: the text from <paramref name="start"/> to <paramref name="last"/> with its escapes resolved, stopping at a NUL.</summary>
    private static string Unescape(string fmt, int start, int last)
    {
        var text = new StringBuilder();
        for (int i = start; i <= last; i++)
        {
            char c = fmt[i];
            if (c == '\\')
            {
                i++;
                c = fmt[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    _ => fmt[i],
                };
            }
            if (c == '\0')
            {
                break;
            }
            text.Append(c);
        }
        return text.ToString();
    }
}
