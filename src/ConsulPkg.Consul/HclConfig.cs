using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// Reads the part of HCL (version 1, what Consul's agent reads from <c>*.hcl</c> from 1.0) that
/// configuration files use, into the JSON Consul would read the same settings from, so that an
/// HCL config is checked by exactly the rules a JSON one is: attributes (<c>key = value</c>),
/// blocks (<c>ports { dns = 8600 }</c>, <c>service "web" { }</c> as <c>service: {web: {}}</c>),
/// strings with escapes, numbers, booleans, lists, objects, heredocs (<c>&lt;&lt;EOF</c>,
/// <c>&lt;&lt;-EOF</c>) and <c>#</c>, <c>//</c> and <c>/* */</c> comments. A key given more than
/// once becomes a list of its values, as HCL merges repeated blocks (<c>service { }</c> twice).
/// A file that starts with '{' is JSON, as HCL itself decides. Errors give line and column and
/// never quote the text: it may hold the gossip key.
/// </summary>
public sealed class HclConfig
{
    private readonly string _text;
    private readonly string _name;
    private int _position;

    private HclConfig(string text, string name)
    {
        _text = text;
        _name = name;
    }

    /// <summary>The settings of <paramref name="text"/> as a JSON object's text; <paramref name="name"/> is for messages.</summary>
    public static string ToJson(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        if (text.AsSpan().TrimStart().StartsWith("{"))
        {
            // HCL's own rule: a file that starts with '{' is JSON (and is checked as such).
            return text;
        }

        var reader = new HclConfig(text, name);
        JsonObject root = reader.Body(closing: null);
        return root.ToJsonString();
    }

    /// <summary>Items up to <paramref name="closing"/> ('}'), or to the end of the text when null.</summary>
    private JsonObject Body(char? closing)
    {
        var items = new List<(string Key, JsonNode? Value)>();
        while (true)
        {
            SkipSpaceAndComments(newlines: true);
            if (_position >= _text.Length)
            {
                if (closing is not null)
                {
                    throw Error($"a block is not closed: add '{closing}'");
                }

                break;
            }

            if (_text[_position] == closing)
            {
                _position++;
                break;
            }

            string key = Key();
            SkipSpaceAndComments(newlines: false);
            JsonNode? value;
            if (Peek() == '=')
            {
                _position++;
                SkipSpaceAndComments(newlines: true);
                value = Value();
            }
            else
            {
                value = Block();
            }

            items.Add((key, value));
            SkipSpaceAndComments(newlines: false);
            if (Peek() == ',')
            {
                _position++;
            }
            else if (_position < _text.Length && _text[_position] != '\n' && _text[_position] != closing)
            {
                throw Error("expected a new line, ',' or '}' after a value");
            }
        }

        return Merge(items);
    }

    /// <summary><c>key "label" ... { body }</c>: each label nests the body one object deeper.</summary>
    private JsonObject Block()
    {
        var labels = new List<string>();
        while (Peek() == '"')
        {
            labels.Add(QuotedString());
            SkipSpaceAndComments(newlines: false);
        }

        if (Peek() != '{')
        {
            throw Error("expected '=' or '{' after a key");
        }

        _position++;
        JsonObject body = Body('}');
        for (int i = labels.Count - 1; i >= 0; i--)
        {
            body = new JsonObject { [labels[i]] = body };
        }

        return body;
    }

    private JsonNode? Value()
    {
        char c = Peek();
        switch (c)
        {
            case '"':
                return JsonValue.Create(QuotedString());
            case '<' when _text.AsSpan(_position).StartsWith("<<"):
                return JsonValue.Create(Heredoc());
            case '[':
                _position++;
                return List();
            case '{':
                _position++;
                return Body('}');
            case '-' or '+' or '.' or (>= '0' and <= '9'):
                return Number();
            default:
                int start = _position;
                return Identifier() switch
                {
                    "true" => JsonValue.Create(true),
                    "false" => JsonValue.Create(false),
                    "" => throw Error("expected a value"),
                    _ => throw Error("expected a value: a string in double quotes, a number, true, false, a list or an object", start),
                };
        }
    }

    private JsonArray List()
    {
        var list = new JsonArray();
        while (true)
        {
            SkipSpaceAndComments(newlines: true);
            if (Peek() == ']')
            {
                _position++;
                return list;
            }

            list.Add(Value());
            SkipSpaceAndComments(newlines: true);
            if (Peek() == ',')
            {
                _position++;
            }
            else if (Peek() != ']')
            {
                throw Error("expected ',' or ']' in a list");
            }
        }
    }

    private string Key() => Peek() == '"' ? QuotedString() : Identifier() is { Length: > 0 } key ? key : throw Error("expected a key");

    /// <summary>HCL's identifiers: a letter or '_', then letters, digits, '_', '-' and '.'.</summary>
    private string Identifier()
    {
        int start = _position;
        if (_position < _text.Length && (char.IsLetter(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
            while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '-' or '.'))
            {
                _position++;
            }
        }

        return _text[start.._position];
    }

    private JsonValue Number()
    {
        int start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '-' or '+' or '.'))
        {
            _position++;
        }

        string number = _text[start.._position];
        if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
        {
            return JsonValue.Create(whole);
        }

        if (number.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(number.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long hex))
        {
            return JsonValue.Create(hex);
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real)
            ? JsonValue.Create(real)
            : throw Error("a number is malformed", start);
    }

    /// <summary>A string in double quotes, with Go's escapes; <c>${...}</c> is kept as written (Consul does not interpolate).</summary>
    private string QuotedString()
    {
        int start = _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length || _text[_position] == '\n')
            {
                throw Error("a string is not closed: add '\"' before the end of the line", start);
            }

            char c = _text[_position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            char escape = _position < _text.Length ? _text[_position++] : '\0';
            switch (escape)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case '\\' or '"' or '\'': value.Append(escape); break;
                case 'u': value.Append(char.ConvertFromUtf32(HexDigits(4))); break;
                case 'U': value.Append(char.ConvertFromUtf32(HexDigits(8))); break;
                default: throw Error("a string has an unknown escape after '\\'", _position - 2);
            }
        }
    }

    private int HexDigits(int count)
    {
        int start = _position - 2;
        if (_position + count > _text.Length
            || !int.TryParse(_text.AsSpan(_position, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            || code is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
        {
            throw Error($"a string has a '\\{_text[_position - 1]}' escape without {count} hex digits of a character", start);
        }

        _position += count;
        return code;
    }

    /// <summary><c>&lt;&lt;EOF</c> lines <c>EOF</c>; with <c>&lt;&lt;-EOF</c> the closing marker may be indented, and so is the text (its common indent is removed).</summary>
    private string Heredoc()
    {
        int start = _position;
        _position += 2;
        bool indented = Peek() == '-';
        if (indented)
        {
            _position++;
        }

        string marker = Identifier();
        if (marker.Length == 0 || Peek() != '\n')
        {
            throw Error("a heredoc needs a marker and then a new line, as in <<EOF", start);
        }

        _position++;
        var lines = new List<string>();
        while (_position < _text.Length)
        {
            int end = _text.IndexOf('\n', _position);
            string line = end < 0 ? _text[_position..] : _text[_position..end];
            _position = end < 0 ? _text.Length : end + 1;
            if ((indented ? line.Trim() : line.TrimEnd('\r')) == marker)
            {
                if (end >= 0)
                {
                    _position--; // the new line ends the attribute
                }

                int indent = indented ? lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min() : 0;
                return string.Concat(lines.Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
            }

            lines.Add(line);
        }

        throw Error("a heredoc is not closed: add its marker on a line of its own", start);
    }

    /// <summary>Spaces and comments; new lines too when <paramref name="newlines"/> (a new line ends an attribute otherwise).</summary>
    private void SkipSpaceAndComments(bool newlines)
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c is ' ' or '\t' or '\r' || (newlines && c == '\n'))
            {
                _position++;
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                int end = _text.IndexOf('\n', _position);
                _position = end < 0 ? _text.Length : end;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                int end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                _position = end < 0 ? throw Error("a /* comment is not closed: add */") : end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    /// <summary>Repeated keys become one key holding a list of the values, in order.</summary>
    private static JsonObject Merge(List<(string Key, JsonNode? Value)> items)
    {
        var merged = new JsonObject();
        foreach (IGrouping<string, JsonNode?> group in items.GroupBy(i => i.Key, i => i.Value, StringComparer.Ordinal))
        {
            merged[group.Key] = group.Count() == 1 ? group.First() : new JsonArray([.. group]);
        }

        return merged;
    }

    private PackageException Error(string what, int? at = null)
    {
        int position = Math.Min(at ?? _position, _text.Length);
        int line = 1 + _text.AsSpan(0, position).Count('\n');
        int lineStart = position == 0 ? 0 : _text.LastIndexOf('\n', position - 1) + 1;
        int column = position - lineStart + 1;
        return new PackageException($"rendered config {_name} is not valid HCL (line {line}, column {column}): {what}: fix its template");
    }
}
