using System.Globalization;
using System.Text.RegularExpressions;

namespace ConsulPkg.Debian;

/// <summary>
/// A Debian version, <c>[epoch:]upstream_version[-debian_revision]</c>, validated per Debian
/// Policy 5.6.12: upstream starts with a digit and holds only alphanumerics and <c>.+~-</c>
/// (a hyphen only when a revision follows); the revision holds only alphanumerics and <c>.+~</c>.
/// </summary>
public sealed partial record DebianVersion
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

    /// <summary>
    /// dpkg's order of versions (<c>dpkg --compare-versions</c>): epoch, then upstream, then
    /// revision, each compared by alternating non-digit runs (letters before other characters,
    /// '~' before everything, even the end) and numeric runs. Negative when <paramref name="a"/> is older.
    /// </summary>
    public static int Compare(DebianVersion a, DebianVersion b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int byEpoch = a.Epoch.CompareTo(b.Epoch);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        int byUpstream = CompareParts(a.Upstream, b.Upstream);
        return byUpstream != 0 ? byUpstream : CompareParts(a.Revision ?? "", b.Revision ?? "");
    }

    private static int CompareParts(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                int ac = i < a.Length ? Weight(a[i]) : 0;
                int bc = j < b.Length ? Weight(b[j]) : 0;
                if (ac != bc)
                {
                    return ac - bc;
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

    /// <summary>dpkg's order() of one non-digit character.</summary>
    private static int Weight(char c) => char.IsAsciiLetter(c) ? c : c == '~' ? -1 : c + 256;

    [GeneratedRegex(@"^[0-9][A-Za-z0-9.+~]*$", RegexOptions.CultureInvariant)]
    private static partial Regex UpstreamAlone();

    [GeneratedRegex(@"^[0-9][A-Za-z0-9.+~-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex UpstreamWithRevision();

    [GeneratedRegex(@"^[A-Za-z0-9.+~]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RevisionPattern();
}
