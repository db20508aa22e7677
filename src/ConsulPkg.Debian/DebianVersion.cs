using System.Globalization;
using System.Text.RegularExpressions;

namespace ConsulPkg.Debian;

/// <summary>
/// A Debian version, <c>[epoch:]upstream_version[-debian_revision]</c>, validated per Debian
/// Policy 5.6.12: upstream starts with a digit and holds only alphanumerics and <c>.+~-</c>
/// (a hyphen only when a revision follows); the revision holds only alphanumerics and <c>.+~</c>.
/// Ordered as dpkg orders versions (deb-version(5)).
/// </summary>
public sealed partial record DebianVersion : IComparable<DebianVersion>
{
    public int Epoch { get; }

    public string Upstream { get; }

    /// <summary>The Debian revision, or null for a native package.</summary>
    public string? Revision { get; }

    public DebianVersion(string upstream, string? revision = null, int epoch = 0)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (epoch < 0)
        {
            throw new InvalidSpecException($"invalid version epoch {epoch}: the epoch must be a non-negative integer");
        }

        bool hasRevision = !string.IsNullOrEmpty(revision);
        if (!(hasRevision ? UpstreamWithRevision() : UpstreamAlone()).IsMatch(upstream))
        {
            throw new InvalidSpecException($"invalid upstream version '{upstream}': it must start with a digit and contain only letters, digits and . + ~"
                + (hasRevision ? " -" : " (a '-' is allowed only when a revision follows)"));
        }

        if (hasRevision && !RevisionPattern().IsMatch(revision!))
        {
            throw new InvalidSpecException($"invalid Debian revision '{revision}': it may contain only letters, digits and . + ~");
        }

        Epoch = epoch;
        Upstream = upstream;
        Revision = hasRevision ? revision : null;
    }

    /// <summary>Parses a complete version string such as "1:0.7.2-1".</summary>
    public static DebianVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int epoch = 0;
        string rest = text;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            string epochText = text[..colon];
            if (epochText.Length == 0 || !epochText.All(char.IsAsciiDigit)
                || !int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
            {
                throw new InvalidSpecException($"invalid version '{text}': the epoch before ':' must be a non-negative integer");
            }

            rest = text[(colon + 1)..];
        }

        // The revision is what follows the last hyphen, so "1.0-1-1" is upstream "1.0-1", revision "1".
        int dash = rest.LastIndexOf('-');
        if (dash >= 0 && dash == rest.Length - 1)
        {
            throw new InvalidSpecException($"invalid version '{text}': the Debian revision after the last '-' is empty (drop the '-' or add a revision)");
        }

        return dash < 0
            ? new DebianVersion(rest, null, epoch)
            : new DebianVersion(rest[..dash], rest[(dash + 1)..], epoch);
    }

    /// <summary>The version as it appears in control files: "1:0.7.2-1".</summary>
    public override string ToString() =>
        (Epoch > 0 ? Epoch.ToString(CultureInfo.InvariantCulture) + ":" : "")
        + Upstream
        + (Revision is null ? "" : "-" + Revision);

    /// <summary>The version as it appears in a .deb file name: the epoch is dropped, as dpkg-name does.</summary>
    public string ToFileNameString() => Upstream + (Revision is null ? "" : "-" + Revision);

    /// <summary>dpkg's order: the epoch as a number, then upstream, then the revision (none is "0").</summary>
    public int CompareTo(DebianVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        int byEpoch = Epoch.CompareTo(other.Epoch);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        int byUpstream = ComparePart(Upstream, other.Upstream);
        return byUpstream != 0 ? byUpstream : ComparePart(Revision ?? "", other.Revision ?? "");
    }

    public static bool operator <(DebianVersion? left, DebianVersion? right) => Compare(left, right) < 0;

    public static bool operator <=(DebianVersion? left, DebianVersion? right) => Compare(left, right) <= 0;

    public static bool operator >(DebianVersion? left, DebianVersion? right) => Compare(left, right) > 0;

    public static bool operator >=(DebianVersion? left, DebianVersion? right) => Compare(left, right) >= 0;

    /// <summary>dpkg's order of two versions (<c>dpkg --compare-versions</c>): negative when <paramref name="left"/> is older; null is oldest.</summary>
    public static int Compare(DebianVersion? left, DebianVersion? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    /// <summary>
    /// dpkg's verrevcmp: alternating runs of non-digits, compared character by character (letters
    /// before other characters, '~' before everything, even the end), and digits, compared as numbers.
    /// </summary>
    private static int ComparePart(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                int difference = Weight(a, i) - Weight(b, j);
                if (difference != 0)
                {
                    return difference;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            int firstDifference = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDifference == 0)
                {
                    firstDifference = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDifference != 0)
            {
                return firstDifference;
            }
        }

        return 0;
    }

    /// <summary>The weight of the character at <paramref name="index"/> among non-digits; past the end (or a digit) is 0.</summary>
    private static int Weight(string text, int index) =>
        index >= text.Length || char.IsAsciiDigit(text[index]) ? 0
        : char.IsAsciiLetter(text[index]) ? text[index]
        : text[index] == '~' ? -1
        : text[index] + 256;

    [GeneratedRegex(@"^[0-9][A-Za-z0-9.+~]*$", RegexOptions.CultureInvariant)]
    private static partial Regex UpstreamAlone();

    [GeneratedRegex(@"^[0-9][A-Za-z0-9.+~-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex UpstreamWithRevision();

    [GeneratedRegex(@"^[A-Za-z0-9.+~]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RevisionPattern();
}
