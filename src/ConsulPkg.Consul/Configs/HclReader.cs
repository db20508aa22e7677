using System.Globalization;
using System.Text;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Configs;

/// <summary>
/// Reads an agent configuration written in HCL, the syntax Consul 1.0 and later also accept
/// (HCL version 1, which Consul's config loader uses): <c>key = value</c>, blocks
/// <c>key { ... }</c> and labelled blocks <c>key "label" { ... }</c> (a nested object), lists,
/// strings with escapes (<c>${...}</c> is kept as text, as the agent does), heredocs, numbers,
/// booleans and <c>#</c>, <c>//</c>, <c>/* */</c> comments. What it returns has the shape the
/// JSON form of the same file would have, for the same checks.
/// Errors name line and column, never content: a template may have put the gossip key anywhere.
/// </summary>
internal sealed class HclReader
{
    /// <summary>Deeper nesting than any agent configuration has; stops a hostile template from exhausting the stack.</summary>
    private const int MaxDepth = 64;

    private readonly string _text;
    private readonly string _name;
    private int _position;

    private HclReader(string text, string name)
    {
        _text = text;
        _name = name;
    }

    /// <param name="name">The file's name, for messages.</param>
    public static ConfigValue Read(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new HclReader(text, name);
        ConfigValue root = reader.ReadMembers(closing: null, depth: 0);
        return root;
    }

    /// <summary>The items of the file (closing null) or of a block up to its <c>}</c>.</summary>
    private ConfigValue ReadMembers(char? closing, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error($"blocks are nested more than {MaxDepth} deep");
        }

        var members = new List<KeyValuePair<string, ConfigValue>>();
        while (true)
        {
            SkipSpace(newlines: true);
            if (_position == _text.Length)
            {
                if (closing is not null)
                {
                    throw Error("a block is not closed with '}'");
                }

                return ConfigValue.Object(members);
            }

            if (_text[_position] == closing)
            {
                _position++;
                return ConfigValue.Object(members);
            }

            members.Add(ReadItem(depth));
            SkipSpace(newlines: false);
            if (_position < _text.Length && _text[_position] == ',')
            {
                _position++;
            }
            else if (_position < _text.Length && _text[_position] != '\n' && _text[_position] != closing)
            {
                throw Error("an item must end at the end of its line");
            }
        }
    }

    /// <summary><c>key = value</c>, <c>key { ... }</c> or <c>key "label" ... { ... }</c>.</summary>
    private KeyValuePair<string, ConfigValue> ReadItem(int depth)
    {
        var keys = new List<string> { ReadKey() };
        while (true)
        {
            SkipSpace(newlines: false);
            if (_position == _text.Length)
            {
                throw Error("a key is followed by neither '=' nor a block");
            }

            char c = _text[_position];
            if (c == '=' && keys.Count == 1)
            {
                _position++;
                return KeyValuePair.Create(keys[0], ReadValue(depth));
            }

            if (c == '{')
            {
                _position++;
                ConfigValue value = ReadMembers('}', depth + 1);
                // key "a" "b" { ... } is key = { a = { b = { ... } } }.
                for (int i = keys.Count - 1; i > 0; i--)
                {
                    value = ConfigValue.Object([KeyValuePair.Create(keys[i], value)]);
                }

                return KeyValuePair.Create(keys[0], value);
            }

            if (c == '"' || IsIdentifierStart(c))
            {
                keys.Add(ReadKey());
                continue;
            }

            throw Error(keys.Count == 1 ? "a key is followed by neither '=' nor a block" : "block labels are followed by no block");
        }
    }

    private string ReadKey()
    {
        if (_text[_position] == '"')
        {
            return ReadQuoted();
        }

        if (!IsIdentifierStart(_text[_position]))
        {
            throw Error("a key was expected");
        }

        int start = _position;
        while (_position < _text.Length && IsIdentifierPart(_text[_position]))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private ConfigValue ReadValue(int depth)
    {
        SkipSpace(newlines: false);
        if (_position == _text.Length)
        {
            throw Error("a value was expected");
        }

        char c = _text[_position];
        switch (c)
        {
            case '"':
                return ConfigValue.String(ReadQuoted());
            case '{':
                _position++;
                return ReadMembers('}', depth + 1);
            case '[':
                _position++;
                return ReadList(depth + 1);
            case '<' when At("<<"):
                return ConfigValue.String(ReadHeredoc());
            case '-' or '+' or '.' or (>= '0' and <= '9'):
                return ReadNumber();
        }

        if (IsIdentifierStart(c))
        {
            int start = _position;
            switch (ReadKey())
            {
                case "true": return ConfigValue.Bool(true);
                case "false": return ConfigValue.Bool(false);
                default:
                    _position = start;
                    throw Error("a value was expected (a word that is not true or false must be quoted)");
            }
        }

        throw Error("a value was expected");
    }

    private ConfigValue ReadList(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error($"lists are nested more than {MaxDepth} deep");
        }

        var items = new List<ConfigValue>();
        while (true)
        {
            SkipSpace(newlines: true);
            if (_position == _text.Length)
            {
                throw Error("a list is not closed with ']'");
            }

            if (_text[_position] == ']')
            {
                _position++;
                return ConfigValue.List(items);
            }

            items.Add(ReadValue(depth));
            SkipSpace(newlines: true);
            if (_position < _text.Length && _text[_position] == ',')
            {
                _position++;
            }
            else if (_position < _text.Length && _text[_position] != ']')
            {
                throw Error("a list item is followed by neither ',' nor ']'");
            }
        }
    }

    private ConfigValue ReadNumber()
    {
        int start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '.' or '-' or '+'))
        {
            _position++;
        }

        string literal = _text[start.._position];
        bool valid = literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(literal.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)
            : double.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);
        if (!valid)
        {
            _position = start;
            throw Error("a number is malformed");
        }

        return ConfigValue.Number(literal);
    }

    private string ReadQuoted()
    {
        int opening = _position;
        _position++;
        var value = new StringBuilder();
        int interpolation = 0;
        while (true)
        {
            if (_position == _text.Length || (_text[_position] == '\n' && interpolation == 0))
            {
                _position = opening;
                throw Error("a string is not closed on its line");
            }

            char c = _text[_position++];
            if (c == '"' && interpolation == 0)
            {
                return value.ToString();
            }

            if (c == '$' && _position < _text.Length && _text[_position] == '{')
            {
                interpolation++;
            }
            else if (c == '}' && interpolation > 0)
            {
                interpolation--;
            }
            else if (c == '\\')
            {
                value.Append(ReadEscape());
                continue;
            }

            value.Append(c);
        }
    }

    private string ReadEscape()
    {
        if (_position == _text.Length)
        {
            throw Error("a string ends in a lone '\\'");
        }

        char c = _text[_position++];
        switch (c)
        {
            case 'n': return "\n";
            case 't': return "\t";
            case 'r': return "\r";
            case '"': return "\"";
            case '\\': return "\\";
            case 'u' or 'U':
                int digits = c == 'u' ? 4 : 8;
                if (_position + digits > _text.Length
                    || !int.TryParse(_text.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
                    || code > 0x10FFFF || (code is >= 0xD800 and <= 0xDFFF))
                {
                    throw Error($"a \\{c} escape needs {digits} hexadecimal digits of a character");
                }

                _position += digits;
                return char.ConvertFromUtf32(code);
            default:
                _position -= 2;
                throw Error("a string has an unknown escape");
        }
    }

    /// <summary><c>&lt;&lt;EOF</c> ... <c>EOF</c>; <c>&lt;&lt;-EOF</c> also removes the lines' common indentation.</summary>
    private string ReadHeredoc()
    {
        int opening = _position;
        _position += 2;
        bool indented = _position < _text.Length && _text[_position] == '-';
        if (indented)
        {
            _position++;
        }

        int start = _position;
        while (_position < _text.Length && IsIdentifierPart(_text[_position]))
        {
            _position++;
        }

        string anchor = _text[start.._position];
        if (anchor.Length == 0 || _position == _text.Length || _text[_position] != '\n')
        {
            throw Error("a heredoc's anchor must be a word at the end of its line");
        }

        _position++;
        var lines = new List<string>();
        while (_position < _text.Length)
        {
            int end = _text.IndexOf('\n', _position);
            string line = _text[_position..(end < 0 ? _text.Length : end)];
            _position = end < 0 ? _text.Length : end;
            if ((indented ? line.Trim() : line) == anchor)
            {
                return string.Concat((indented ? Unindent(lines) : lines).Select(l => l + "\n"));
            }

            lines.Add(line);
            if (end >= 0)
            {
                _position++;
            }
        }

        _position = opening;
        throw Error("a heredoc is not closed by its anchor");
    }

    private static IEnumerable<string> Unindent(List<string> lines)
    {
        int common = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ', '\t').Length).DefaultIfEmpty(0).Min();
        return lines.Select(l => l.Length >= common ? l[common..] : l.TrimStart(' ', '\t'));
    }

    /// <summary>Skips blanks and comments, and newlines when they do not end an item.</summary>
    private void SkipSpace(bool newlines)
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c is ' ' or '\t' or '\r' || (newlines && c == '\n'))
            {
                _position++;
            }
            else if (c == '#' || At("//"))
            {
                while (_position < _text.Length && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (At("/*"))
            {
                int end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("a /* comment is not closed");
                }

                _position = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private bool At(string text) => string.CompareOrdinal(_text, _position, text, 0, text.Length) == 0;

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';

    private PackageException Error(string what)
    {
        int line = 1, column = 1;
        for (int i = 0; i < _position && i < _text.Length; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new PackageException($"rendered config {_name} is not valid HCL (line {line}, column {column}): {what}; fix its template");
    }
}
