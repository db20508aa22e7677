using System.Text;

namespace ConsulPkg.Debian;

/// <summary>
/// Writes deb822 paragraphs as dpkg does (Dpkg::Control::HashCore): "Name: value", a value's
/// further lines as continuation lines, the fields in their <see cref="ControlType"/>'s order.
/// The one writer of the format; <see cref="Deb822Paragraph"/> is the one reader, and reads back
/// what this writes.
/// </summary>
public static class Deb822Writer
{
    /// <summary>
    /// One paragraph of <paramref name="type"/>, every line ending in "\n": the fields in
    /// <see cref="ControlField.InOrder"/>. A value is in the form the reader returns: its first
    /// line, then each further line starting with a space or tab, joined by "\n"; a value whose
    /// first line is empty (a list of lines, such as Files) starts with "\n".
    /// </summary>
    public static string Render(ControlType type, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var text = new StringBuilder();
        foreach ((string name, string value) in ControlField.InOrder(type, fields))
        {
            AppendField(text, name, value);
        }

        return text.ToString();
    }

    /// <summary>Appends "Name: value\n" (no space after the colon when the first line is empty).</summary>
    private static void AppendField(StringBuilder text, string name, string value)
    {
        string[] lines = value.Split('\n');
        if (lines.Skip(1).Any(l => l.Length == 0 || l[0] is not (' ' or '\t') || l.AsSpan().Trim(" \t\r\v\f").IsEmpty))
        {
            throw new ArgumentException($"field {name}: a line after the first must start with a space or tab and not be blank, or it would not read back: '{MessageText.OneLine(value)}'", nameof(value));
        }

        text.Append(name).Append(':');
        if (lines[0].Length > 0)
        {
            text.Append(' ');
        }

        text.Append(value).Append('\n');
    }
}
