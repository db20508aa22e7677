namespace ConsulPkg.Debian;

/// <summary>Helpers for the one-line messages of <see cref="PackageException"/>.</summary>
internal static class MessageText
{
    /// <summary>
    /// Shows a user's value inside a one-line message: CR, LF and NUL become the visible
    /// escapes "\r", "\n" and "\0", so the message stays one line and says what was wrong.
    /// </summary>
    public static string OneLine(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0
            ? value
            : value.Replace("\r", "\\r", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal)
                .Replace("\0", "\\0", StringComparison.Ordinal);
}
