using ConsulPkg.Debian;

namespace ConsulPkg.Fpm;

/// <summary>An fpm flag whose value is one control field's text, e.g. <c>--url</c> for Homepage.</summary>
/// <param name="Name">The flag as fpm spells it.</param>
/// <param name="Alias">fpm's short form, or null.</param>
/// <param name="Field">The control field it fills.</param>
/// <param name="Help">One line for <c>--help</c>.</param>
public sealed record FpmTextFlag(string Name, string? Alias, ControlField Field, string Help)
{
    /// <summary>The value when the flag is not given (fpm's default), or null for no field.</summary>
    public string? Default { get; init; }

    /// <summary>An empty value leaves the field out (fpm's template does this for Vendor only).</summary>
    public bool EmptyMeansNone { get; init; }

    /// <summary>The field's text for the value given (null: not given).</summary>
    public string? Resolve(string? given) =>
        given is null ? Default
        : EmptyMeansNone && given.Length == 0 ? null
        : given;
}

/// <summary>An fpm flag that adds one entry to a relation field per use, e.g. <c>--depends</c>.</summary>
/// <param name="Name">The flag as fpm spells it.</param>
/// <param name="Alias">fpm's short form, or null.</param>
/// <param name="Field">The relation field it adds to.</param>
/// <param name="Help">One line for <c>--help</c>.</param>
public sealed record FpmRelationFlag(string Name, string? Alias, ControlField Field, string Help)
{
    /// <summary>
    /// fpm's fix_dependency ("foo >= 1" becomes "foo (>= 1)") applies; fpm leaves Provides as
    /// given, since a Provides entry names a version with "=" only.
    /// </summary>
    public bool FixOperators { get; init; } = true;

    /// <summary>A dependency field, all of whose entries must hold: --deb-ignore-iteration-in-dependencies widens its "=" entries.</summary>
    public bool IsDependency { get; init; }
}

/// <summary>
/// The fpm flags that each fill one control field: the one place a field meets its flag. The CLI
/// declares an option per row, <see cref="FpmOptions"/> carries the values by field, and
/// <see cref="FpmPackageMapper"/> applies the rows, so a control field with an fpm flag is a row
/// in <see cref="ControlField"/> and a row here. Relations are applied in this order, which is
/// also the order of the name warnings.
/// </summary>
public static class FpmControlFlags
{
    public static IReadOnlyList<FpmTextFlag> Texts { get; } =
    [
        new("--maintainer", "-m", ControlField.Maintainer, $"Maintainer (default: $DEBFULLNAME <$DEBEMAIL>, else '{FpmDefaults.Maintainer}')")
        {
            Default = FpmDefaults.Maintainer,
        },
        new("--vendor", null, ControlField.Vendor, "Vendor field") { EmptyMeansNone = true },
        new("--url", null, ControlField.Homepage, "Homepage"),
        new("--license", null, ControlField.License, $"License (default '{FpmDefaults.License}')") { Default = FpmDefaults.License },
        new("--category", null, ControlField.Section, "Section"),
        new("--deb-priority", null, ControlField.Priority, "Priority (default optional)") { Default = "optional" },
    ];

    public static IReadOnlyList<FpmRelationFlag> Relations { get; } =
    [
        new("--deb-pre-depends", null, ControlField.PreDepends, "A Pre-Depends entry (repeatable)") { IsDependency = true },
        new("--depends", "-d", ControlField.Depends, "A dependency, e.g. 'adduser' or 'libc6 >= 2.17' (repeatable)") { IsDependency = true },
        new("--deb-recommends", null, ControlField.Recommends, "A Recommends entry (repeatable)") { IsDependency = true },
        new("--deb-suggests", null, ControlField.Suggests, "A Suggests entry (repeatable)") { IsDependency = true },
        new("--conflicts", null, ControlField.Conflicts, "A conflicting package (repeatable)"),
        new("--deb-breaks", null, ControlField.Breaks, "A Breaks entry (repeatable; an extension, fpm 1.17 has no such flag)"),
        new("--provides", null, ControlField.Provides, "A virtual package this provides (repeatable)") { FixOperators = false },
        new("--replaces", null, ControlField.Replaces, "A replaced package (repeatable)"),
    ];
}
