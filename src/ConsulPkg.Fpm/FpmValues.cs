using System.Globalization;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;

namespace ConsulPkg.Fpm;

/// <summary>
/// The grammars of fpm's option values that are fpm's own. A front end parses each value once,
/// with the command line (a bad one is a usage error there, before any file is read), into the
/// types <see cref="FpmOptions"/> takes; each message names the flag, the value and the fix.
/// </summary>
public static partial class FpmValues
{
    /// <summary><c>--epoch</c>: a non-negative integer.</summary>
    public static int Epoch(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
            ? epoch
            : throw new PackageException($"invalid --epoch '{MessageText.OneLine(text)}': it must be a non-negative integer");

    /// <summary><c>--deb-installed-size</c>: KiB, a whole number.</summary>
    public static long InstalledSize(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            ? size
            : throw new PackageException($"invalid --deb-installed-size '{MessageText.OneLine(text)}': give KiB as a whole number");

    /// <summary><c>--deb-field 'Name: value'</c>: a field dpkg can read back (the name and value rules are the control file's).</summary>
    public static KeyValuePair<string, string> Field(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new PackageException($"invalid --deb-field '{MessageText.OneLine(text)}': write it as 'Name: value'");
        }

        var field = new KeyValuePair<string, string>(text[..colon].Trim(), text[(colon + 1)..].Trim());
        if (ControlFile.ExtraFieldProblem(field.Key, field.Value) is { } problem)
        {
            throw new PackageException($"invalid --deb-field '{MessageText.OneLine(text)}': {problem}");
        }

        return field;
    }

    /// <summary><c>--template-value KEY=VALUE</c>, KEY a name a template can use.</summary>
    public static KeyValuePair<string, string> TemplateValue(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string key = equals > 0 ? text[..equals] : "";
        return TemplateKey().IsMatch(key)
            ? new(key, text[(equals + 1)..])
            : throw new PackageException($"invalid --template-value '{MessageText.OneLine(text)}': write it as KEY=VALUE, KEY a name such as service_user");
    }

    /// <summary>
    /// <c>-v/--version</c>, <c>--iteration</c> and <c>--epoch</c> as the Version field: fpm's
    /// rewrite of a leading "v" (with a warning), then Debian's rules; without an iteration a
    /// version such as "0.7.2-1" is read whole, as fpm writes it.
    /// </summary>
    public static DebianVersion Version(string version, string? iteration, int? epoch, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(version);
        string upstream = FpmNames.Version(version, warnings);
        int e = epoch ?? 0;
        // fpm accepts "0.7.2-1" as a version and writes it as is: parse it as a full version.
        return string.IsNullOrEmpty(iteration)
            ? DebianVersion.Parse(e > 0 ? $"{e}:{upstream}" : upstream)
            : new DebianVersion(upstream, iteration, e);
    }

    /// <summary><c>-t/--output-type</c>: consul-pkg fpm writes only deb.</summary>
    public static string OutputType(string text) =>
        text == "deb" ? text : throw new PackageException($"unsupported output type '-t {MessageText.OneLine(text)}': consul-pkg fpm writes only '-t deb'");

    /// <summary><c>-n/--name</c>: a Debian package name once fpm has rewritten it (lower case, '-' for '_' and ' ').</summary>
    public static string Name(string text) => Checked(ControlField.Package, FpmNames.PackageName(text, []), text);

    /// <summary><c>-a/--architecture</c>: native, fpm's aliases (x86_64...), or a Debian architecture name.</summary>
    public static string Architecture(string text) =>
        text is "" or "native" ? text : Checked(ControlField.Architecture, DebianArchitecture.Resolve(text, ""), text);

    /// <summary><c>--description</c>: the first line is the synopsis and must not be empty.</summary>
    public static string Description(string text) => Checked(ControlField.Description, text, text);

    /// <summary>A flag of <see cref="FpmControlFlags.Texts"/> (-m, --url...): one line; an empty --vendor means none.</summary>
    public static string Text(FpmTextFlag flag, string text)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return flag.Resolve(text) is { } value ? Checked(flag.Field, value, text) : text;
    }

    /// <summary>A flag of <see cref="FpmControlFlags.Relations"/> (-d, --conflicts...): one relation on one line.</summary>
    public static string Relation(FpmRelationFlag flag, string text)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return Checked(flag.Field, flag.FixOperators ? FpmPackageMapper.FixRelation(text) : text.Trim(), text);
    }

    /// <summary>A path in the package (<c>--prefix</c>, <c>--config-files</c>, <c>--directories</c>...), read from the root.</summary>
    public static string PackagePathText(string text)
    {
        _ = Debian.PackagePath.Normalize(text);
        return text;
    }

    /// <summary><c>--deb-user</c>/<c>--deb-group</c>: a name the tar header holds.</summary>
    public static string Owner(string text, string what)
    {
        PackageEntry.CheckOwnerName(text, what);
        return text;
    }

    /// <summary>
    /// <c>--deb-sysuser NAME[:HOME]</c>: NAME as adduser takes a system user's (lower case, digits,
    /// '_' and '-', at most 32), HOME an absolute path of plain characters.
    /// </summary>
    public static Scripts.FpmSystemUser SystemUser(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? text : text[..colon];
        string? home = colon < 0 ? null : text[(colon + 1)..];
        if (!SystemUserName().IsMatch(name))
        {
            throw new PackageException($"invalid --deb-sysuser '{MessageText.OneLine(text)}': the name must be 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or '_'");
        }

        if (home is not null && (!home.StartsWith('/') || !HomePath().IsMatch(home) || Debian.PackagePath.Normalize(home) != home || home == "/"))
        {
            throw new PackageException($"invalid --deb-sysuser '{MessageText.OneLine(text)}': the home must be an absolute path such as /var/lib/{name}, of letters, digits and '/._+-'");
        }

        return new Scripts.FpmSystemUser(name, home);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex SystemUserName();

    [GeneratedRegex("^[A-Za-z0-9/._+-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HomePath();

    /// <summary>Returns <paramref name="given"/> when <paramref name="value"/> (what fpm makes of it) is acceptable in <paramref name="field"/>.</summary>
    private static string Checked(ControlField field, string value, string given) =>
        ControlFile.ValueProblem(field, value) is { } problem ? throw new PackageException(problem) : given;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateKey();
}
