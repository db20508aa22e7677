using System.Text.RegularExpressions;

namespace ConsulPkg.Fpm;

/// <summary>
/// fpm's rewrites of values Debian would refuse, each with a warning as fpm gives one: a package
/// name is lowercased and its '_' and ' ' become '-'; a version "v1.2" loses its 'v'. What is
/// still invalid afterwards is refused by the control file's validation.
/// </summary>
internal static partial class FpmNames
{
    public static string PackageName(string name, ICollection<string> warnings)
    {
        string fixedName = name.ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        if (fixedName != name)
        {
            warnings.Add($"package name '{name}' rewritten as '{fixedName}': Debian names have no upper case, '_' or spaces (as fpm does)");
        }

        return fixedName;
    }

    public static string Version(string version, ICollection<string> warnings)
    {
        if (version.Length > 1 && version[0] == 'v' && char.IsAsciiDigit(version[1]))
        {
            warnings.Add($"version '{version}' written as '{version[1..]}': a Debian version starts with a digit (as fpm does)");
            return version[1..];
        }

        return version;
    }

    /// <summary>fpm's fix_dependency for names: "Foo_bar (>= 1)" becomes "foo-bar (>= 1)".</summary>
    public static string RelationName(string relation, string flag, ICollection<string> warnings)
    {
        Match match = LeadingName().Match(relation);
        string name = match.Value;
        string fixedName = name.ToLowerInvariant().Replace('_', '-');
        if (fixedName == name)
        {
            return relation;
        }

        warnings.Add($"{flag} '{relation}': package name '{name}' rewritten as '{fixedName}' (as fpm does)");
        return fixedName + relation[name.Length..];
    }

    [GeneratedRegex(@"^[^ (]+", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingName();
}
