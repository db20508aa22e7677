using System.Buffers;
using System.Text;

namespace ConsulPkg.Fpm.Scripts;

/// <summary>
/// A generated shell script as bytes: generated lines are UTF-8, an embedded script is copied
/// byte for byte (it may be in any encoding) into a quoted here-document, which the shell
/// neither expands nor parses.
/// </summary>
internal sealed class ShellScriptText
{
    private readonly ArrayBufferWriter<byte> bytes = new();

    public ShellScriptText Line(string line = "")
    {
        Write(line);
        bytes.Write("\n"u8);
        return this;
    }

    public ShellScriptText Lines(IEnumerable<string> lines, int indent = 0)
    {
        string pad = new(' ', indent);
        foreach (string line in lines)
        {
            Line(line.Length == 0 ? line : pad + line);
        }

        return this;
    }

    /// <summary>Writes <c>cat &gt;TARGET &lt;&lt;'DELIMITER'</c>, the content, and the delimiter line.</summary>
    public ShellScriptText HereDocument(string indent, string target, string delimiterBase, ReadOnlySpan<byte> content)
    {
        string delimiter = UniqueDelimiter(delimiterBase, content);
        Line($"{indent}cat >{target} <<'{delimiter}'");
        bytes.Write(content);
        if (content.Length > 0 && content[^1] != (byte)'\n')
        {
            bytes.Write("\n"u8);
        }

        return Line(delimiter);
    }

    public byte[] ToArray() => bytes.WrittenSpan.ToArray();

    private void Write(string text) => bytes.Write(Encoding.UTF8.GetBytes(text).AsSpan());

    /// <summary>A delimiter no line of the content equals (the content would end the document early).</summary>
    private static string UniqueDelimiter(string delimiterBase, ReadOnlySpan<byte> content)
    {
        HashSet<string> lines = Encoding.Latin1.GetString(content).Split('\n').ToHashSet(StringComparer.Ordinal);
        string delimiter = delimiterBase;
        for (int i = 2; lines.Contains(delimiter); i++)
        {
            delimiter = $"{delimiterBase}_{i}";
        }

        return delimiter;
    }
}
