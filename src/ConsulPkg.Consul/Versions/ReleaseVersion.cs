using System.Globalization;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Versions;

/// <summary>
/// A Consul release number as HashiCorp writes it: <c>MAJOR.MINOR.PATCH</c>, optionally followed by
/// a suffix (<c>-rc1</c>, <c>-beta2</c>, <c>+ent</c>). Ordered by the numbers, a suffixed release
/// before the plain one of the same numbers (1.17.0-rc1 &lt; 1.17.0).
/// </summary>
public sealed partial record ReleaseVersion : IComparable<ReleaseVersion>
{
    /// <summary>Each of major, minor and patch fits an int with room to spare; HashiCorp's have one to three digits.</summary>
    private const int MaxComponentDigits = 6;

    private ReleaseVersion(int major, int minor, int patch, string suffix, string text)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Suffix = suffix;
        Text = text;
    }

    public int Major { get; }

    public int Minor { get; }

    public int Patch { get; }

    /// <summary>Everything after the three numbers, with its separator (<c>-rc1</c>, <c>+ent</c>); empty for a release.</summary>
    public string Suffix { get; }

    /// <summary>The version as given.</summary>
    public string Text { get; }

    /// <summary>
    /// A release candidate, beta, enterprise or other special build: never what <c>latest</c> picks.
    /// </summary>
    public bool IsPrerelease => Suffix.Length > 0;

    public static ReleaseVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text) is { } version)
        {
            return version;
        }

        throw new PackageException(OutOfRange(text) ?? $"invalid Consul version '{text}': give a release number such as 0.7.2 or 1.17.0-rc1, or latest");
    }

    /// <summary>
    /// The message for a version with a number too long to be a release, or null: it names the
    /// number, so nobody hunts for a typo in the rest.
    /// </summary>
    internal static string? OutOfRange(string text)
    {
        string? tooLong = text.Split('-', '+', '~')[0].Split('.')
            .FirstOrDefault(part => part.Length > MaxComponentDigits && part.All(char.IsAsciiDigit));
        return tooLong is null
            ? null
            : $"invalid Consul version '{text}': '{tooLong}' is out of range (a version number has at most {MaxComponentDigits} digits per part, e.g. 1.17.0)";
    }

    public static ReleaseVersion? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match match = Pattern().Match(text);
        if (!match.Success
            || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            || !int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            || !int.TryParse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int patch))
        {
            return null;
        }

        return new ReleaseVersion(major, minor, patch, match.Groups[4].Value, text);
    }

    /// <summary>A version from numbers (tables of facts).</summary>
    public static ReleaseVersion Of(int major, int minor, int patch = 0) =>
        new(major, minor, patch, "", string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{patch}"));

    public int CompareTo(ReleaseVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        int byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0)
        {
            return byNumbers;
        }

        // 1.17.0-rc1 comes before 1.17.0; between two suffixes, ordinal order is enough here.
        return (IsPrerelease, other.IsPrerelease) switch
        {
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(Suffix, other.Suffix),
        };
    }

    public static bool operator <(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => Text;

    // Digits first, then what HashiCorp uses in version names (1.17.0, 1.9.0-rc1, 1.10.0+ent).
    [GeneratedRegex(@"^([0-9]{1,6})\.([0-9]{1,6})\.([0-9]{1,6})([-+~][A-Za-z0-9.+~-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
