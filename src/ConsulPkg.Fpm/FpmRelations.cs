using System.Globalization;
using System.Text.RegularExpressions;

namespace ConsulPkg.Fpm;

/// <summary>fpm's <c>--deb-ignore-iteration-in-dependencies</c> (lib/fpm/package/deb.rb fix_dependency).</summary>
internal static partial class FpmRelations
{
    /// <summary>
    /// "foo (= 1.2.3)" becomes "foo (&gt;= 1.2.3)" and "foo (&lt;&lt; 1.2.4)": any iteration of that
    /// version. The upper bound is fpm's: each dot-separated part read as its leading number
    /// (Ruby's to_i, so "3-1" is 3 and "rc1" is 0), the last one plus one. Unlike fpm, an epoch is
    /// kept on both bounds ("2:1.0" gives "&lt;&lt; 2:1.1", fpm "&lt;&lt; 2.1"), and alternatives
    /// ("a | b (= 1)") are left alone (fpm keeps only the last one). Anything else is unchanged.
    /// </summary>
    public static IEnumerable<string> WithoutIteration(string relation)
    {
        Match match = ExactRelation().Match(relation);
        if (!match.Success)
        {
            return [relation];
        }

        string name = match.Groups["name"].Value;
        string epoch = match.Groups["epoch"].Value;
        string version = match.Groups["version"].Value;
        int[] parts = version.Split('.').Select(LeadingNumber).ToArray();
        parts[^1]++;
        string next = string.Join('.', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return [$"{name} (>= {epoch}{version})", $"{name} (<< {epoch}{next})"];
    }

    private static int LeadingNumber(string part)
    {
        int digits = part.TakeWhile(char.IsAsciiDigit).Count();
        return digits == 0 ? 0 : int.Parse(part.AsSpan(0, Math.Min(digits, 9)), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[^\s(|]+)\s*\(=\s*(?<epoch>[0-9]+:)?(?<version>[^\s)]+)\s*\)$", RegexOptions.CultureInvariant)]
    private static partial Regex ExactRelation();
}
