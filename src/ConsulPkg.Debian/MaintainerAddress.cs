using System.Text.RegularExpressions;

namespace ConsulPkg.Debian;

/// <summary>
/// The Maintainer field's form, <c>Full Name &lt;user@host.domain&gt;</c> (Debian policy 5.6.2),
/// with a host lintian accepts: a dotted domain name, so not <c>localhost</c> (lintian's
/// <c>bogus-mail-host</c> is an error).
/// </summary>
public static partial class MaintainerAddress
{
    /// <summary>
    /// The Maintainer a build writes when none is given: the field is mandatory, <c>.invalid</c>
    /// says nobody reads it, and lintian accepts it (not so <c>root@localhost</c>).
    /// </summary>
    public const string Placeholder = "consul-pkg <consul-pkg@packages.invalid>";

    /// <summary>Returns <paramref name="value"/> when it is a valid Maintainer; else one clear error naming <paramref name="source"/>.</summary>
    public static string Check(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Pattern().IsMatch(value))
        {
            throw new PackageException(
                $"invalid maintainer '{value}' from {source}: give 'Full Name <user@example.org>' (a name, then a mail address with a dotted domain)");
        }

        return value;
    }

    // A name without <>, then <local@label.label...>; labels of letters, digits and inner hyphens.
    [GeneratedRegex(@"^[^<>\s][^<>\r\n]* <[^<>@\s]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?>$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
