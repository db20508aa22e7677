namespace ConsulPkg.Debian;

/// <summary>
/// The one owner of one-line messages (<see cref="PackageException"/>: one line naming the value
/// and the fix). Every library and the command line make text one line through here.
/// </summary>
public static class MessageText
{
    /// <summary>
    /// Shows a user's value inside a one-line message: CR, LF and NUL become the visible
    /// escapes "\r", "\n" and "\0", so the message stays one line and says what was wrong.
    /// </summary>
    public static string OneLine(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0
            ? value
            : value.Replace("\r", "\\r", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal)
                .Replace("\0", "\\0", StringComparison.Ordinal);
    }

    /// <summary>
    /// Text from elsewhere (a library's or the system's error message, a parser's report) joined
    /// into one line, to quote inside a message: line breaks become spaces.
    /// </summary>
    public static string Flatten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ReplaceLineEndings(" ").Trim();
    }
}
