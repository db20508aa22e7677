using System.Text;

namespace ConsulPkg.Debian;

/// <summary>
/// One paragraph of a deb822 file (a package's control file, a Packages or Release index, a
/// .changes, an apt .sources file), read as dpkg's parser reads it (lib/dpkg/parse.c): a field
/// starts at a line "Name: value"; a line starting with a space or tab continues it; a blank line
/// ends the paragraph. Names match case-insensitively. A value is its first line without the
/// blanks after the colon, then each continuation line as it stands (leading space included),
/// joined by "\n", without trailing blanks. The format is bytes: values are held as Latin-1 text
/// (one character per byte), so a value that is not UTF-8 can be written back byte for byte
/// (<see cref="RawFields"/>); <see cref="Fields"/> and the indexer read them as UTF-8.
/// The one reader of the format; <see cref="Deb822Writer"/> is the one writer.
/// </summary>
public sealed class Deb822Paragraph
{
    private readonly List<KeyValuePair<string, string>> _fields;
    private readonly ReadOnlyMemory<byte> _bytes;

    private Deb822Paragraph(List<KeyValuePair<string, string>> fields, ReadOnlyMemory<byte> bytes, int lineNumber)
    {
        _fields = fields;
        _bytes = bytes;
        LineNumber = lineNumber;
    }

    /// <summary>The line the paragraph starts on, from 1.</summary>
    public int LineNumber { get; }

    /// <summary>The paragraph's bytes as they appeared, from its first field to its last line's "\n" (none when the content ended without one).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The paragraph as it appeared (read as UTF-8), every line ending in "\n", no blank line.</summary>
    public string Text
    {
        get
        {
            string text = Encoding.UTF8.GetString(_bytes.Span);
            return text.EndsWith('\n') ? text : text + "\n";
        }
    }

    /// <summary>Fields in file order, names and values read as UTF-8.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields =>
        _fields.Select(f => new KeyValuePair<string, string>(AsUtf8(f.Key), AsUtf8(f.Value))).ToList();

    /// <summary>Fields in file order, names and values as bytes: Latin-1 text, one character per byte.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RawFields => _fields;

    /// <summary>A field's value read as UTF-8 (the name matched case-insensitively), or null.</summary>
    public string? this[string name] => Raw(name) is { } value ? AsUtf8(value) : null;

    /// <summary>A field's value as bytes (Latin-1 text), or null; <paramref name="name"/> is Latin-1 text too.</summary>
    public string? Raw(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int i = _fields.FindIndex(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : _fields[i].Value;
    }

    /// <summary>
    /// Every paragraph of <paramref name="content"/>. With <paramref name="comments"/>, lines
    /// starting with '#' are skipped, as apt's .sources files allow (dpkg's files have none).
    /// A line that is neither a field, a continuation of one nor blank, or a field given twice in
    /// a paragraph, is an <see cref="InvalidPackageException"/> naming <paramref name="source"/> and the line.
    /// </summary>
    public static List<Deb822Paragraph> ParseAll(ReadOnlyMemory<byte> content, string source, bool comments = false) =>
        [.. Read(content, source, comments)];

    /// <summary>
    /// As <see cref="ParseAll"/>, one paragraph at a time: each is read when the enumeration
    /// reaches it, so a large index (a Packages file of 50,000 stanzas) never exists as one list
    /// of parsed paragraphs.
    /// </summary>
    public static IEnumerable<Deb822Paragraph> Read(ReadOnlyMemory<byte> content, string source, bool comments = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ReadLazily(content, source, comments);
    }

    private static IEnumerable<Deb822Paragraph> ReadLazily(ReadOnlyMemory<byte> content, string source, bool comments)
    {
        var parser = new Parser(content, source);
        int lineNumber = 0;
        for (int start = 0; start < content.Length;)
        {
            start = ReadLine(content.Span, start, comments, parser, ++lineNumber);
            if (parser.Finished is { } paragraph)
            {
                parser.Finished = null;
                yield return paragraph;
            }
        }

        parser.EndParagraph();
        if (parser.Finished is { } last)
        {
            yield return last;
        }
    }

    /// <summary>Feeds the line at <paramref name="start"/> to the parser; returns where the next line starts.</summary>
    private static int ReadLine(ReadOnlySpan<byte> bytes, int start, bool comments, Parser parser, int lineNumber)
    {
        int newline = bytes[start..].IndexOf((byte)'\n');
        int end = newline < 0 ? bytes.Length : start + newline;
        ReadOnlySpan<byte> line = bytes[start..end];
        if (comments && line.StartsWith("#"u8))
        {
            parser.Comment();
        }
        else if (IsBlank(line))
        {
            parser.EndParagraph();
        }
        else if (line[0] is (byte)' ' or (byte)'\t')
        {
            parser.Continue(start, end, lineNumber);
        }
        else
        {
            parser.Field(line, start, end, lineNumber);
        }

        return newline < 0 ? bytes.Length : end + 1;
    }

    /// <summary>Latin-1 text (one character per byte) read back as UTF-8.</summary>
    internal static string AsUtf8(string bytes) =>
        System.Text.Ascii.IsValid(bytes) ? bytes : Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(bytes));

    /// <summary>A C-locale isspace byte other than the newline: what dpkg's parser skips and trims.</summary>
    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (!IsBlank(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The paragraph being read: its fields so far and the field still open.</summary>
    private sealed class Parser(ReadOnlyMemory<byte> content, string source)
    {
        private List<KeyValuePair<string, string>> _fields = [];
        private int _paragraphStart = -1;
        private int _paragraphEnd;
        private int _paragraphLine;

        // The open field: its name, and its value as a range of the content while its lines are
        // adjacent (a comment line between them makes it a string).
        private string? _name;
        private int _valueStart;
        private int _valueEnd;
        private string? _valueSoFar;
        private bool _afterComment;

        /// <summary>The paragraph the last blank line (or the end) closed, until the reader takes it.</summary>
        public Deb822Paragraph? Finished { get; set; }

        public void Field(ReadOnlySpan<byte> line, int start, int end, int lineNumber)
        {
            int colon = line.IndexOf((byte)':');
            int nameEnd = colon;
            while (nameEnd > 0 && IsBlank(line[nameEnd - 1]))
            {
                nameEnd--;
            }

            if (nameEnd <= 0 || line[..nameEnd].IndexOfAny((byte)' ', (byte)'\t') >= 0)
            {
                throw Error(lineNumber, $"expected \"Field: value\", got '{MessageText.OneLine(AsUtf8(Encoding.Latin1.GetString(line)))}'");
            }

            CloseField();
            string name = Encoding.Latin1.GetString(line[..nameEnd]);
            if (_fields.Exists(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Error(lineNumber, $"duplicate field '{AsUtf8(name)}'");
            }

            if (_paragraphStart < 0)
            {
                _paragraphStart = start;
                _paragraphLine = lineNumber;
            }

            int value = start + colon + 1;
            while (value < end && IsBlank(content.Span[value]))
            {
                value++;
            }

            _name = name;
            (_valueStart, _valueEnd, _valueSoFar, _afterComment) = (value, end, null, false);
            _paragraphEnd = end;
        }

        public void Continue(int start, int end, int lineNumber)
        {
            if (_name is null)
            {
                throw Error(lineNumber, "continuation line without a field");
            }

            if (_afterComment)
            {
                _valueSoFar = OpenValue() + "\n" + Encoding.Latin1.GetString(content.Span[start..end]);
                _afterComment = false;
            }
            else if (_valueSoFar is not null)
            {
                _valueSoFar += "\n" + Encoding.Latin1.GetString(content.Span[start..end]);
            }
            else
            {
                _valueEnd = end;
            }

            _paragraphEnd = end;
        }

        public void Comment()
        {
            if (_name is not null)
            {
                _valueSoFar = OpenValue();
                _afterComment = true;
            }
        }

        public void EndParagraph()
        {
            CloseField();
            if (_fields.Count > 0)
            {
                int end = Math.Min(_paragraphEnd + 1, content.Length);
                Finished = new Deb822Paragraph(_fields, content[_paragraphStart..end], _paragraphLine);
                _fields = [];
            }

            _paragraphStart = -1;
        }

        private string OpenValue() => _valueSoFar ?? Encoding.Latin1.GetString(content.Span[_valueStart.._valueEnd]);

        private void CloseField()
        {
            if (_name is not null)
            {
                string value = OpenValue();
                int length = value.Length;
                while (length > 0 && value[length - 1] is ' ' or '\t' or '\r' or '\v' or '\f' or '\n')
                {
                    length--;
                }

                _fields.Add(new(_name, value[..length]));
                _name = null;
            }
        }

        private InvalidPackageException Error(int lineNumber, string what) => new($"{source}: line {lineNumber}: {what}");
    }
}
