using System.Globalization;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Versions;

/// <summary>
/// What <c>--consul-version</c> asks for: one release (<c>0.7.2</c>), or the newest release
/// (<c>latest</c>), optionally within a major or minor line (<c>latest-1.x</c>, <c>latest-1.17.x</c>),
/// which <see cref="ReleaseIndex"/> resolves.
/// </summary>
internal sealed partial record VersionRequest
{
    public const string Latest = "latest";

    private VersionRequest(string text, ReleaseVersion? exact, int? major, int? minor)
    {
        Text = text;
        Exact = exact;
        Major = major;
        Minor = minor;
    }

    public string Text { get; }

    /// <summary>The one release asked for; null for a <c>latest</c> request.</summary>
    public ReleaseVersion? Exact { get; }

    public int? Major { get; }

    public int? Minor { get; }

    public bool IsLatest => Exact is null;

    public static VersionRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == Latest)
        {
            return new VersionRequest(text, null, null, null);
        }

        Match line = LatestLinePattern().Match(text);
        if (line.Success)
        {
            return new VersionRequest(
                text,
                null,
                int.Parse(line.Groups[1].ValueSpan, CultureInfo.InvariantCulture),
                line.Groups[2].Success ? int.Parse(line.Groups[2].ValueSpan, CultureInfo.InvariantCulture) : null);
        }

        return ReleaseVersion.TryParse(text) is { } exact
            ? new VersionRequest(text, exact, null, null)
            : throw new PackageException(ReleaseVersion.OutOfRange(text)
                ?? $"invalid Consul version '{text}': give a release such as 0.7.2 or 1.17.0-rc1, or latest, latest-1.x, latest-1.17.x");
    }

    /// <summary>Whether <paramref name="version"/> is a release this request would take (never a pre-release for latest).</summary>
    public bool Matches(ReleaseVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (Exact is not null)
        {
            return Exact.Equals(version);
        }

        return !version.IsPrerelease
            && (Major is null || version.Major == Major)
            && (Minor is null || version.Minor == Minor);
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"^latest-([0-9]{1,6})\.(?:([0-9]{1,6})\.)?x$", RegexOptions.CultureInvariant)]
    private static partial Regex LatestLinePattern();
}
