namespace ConsulPkg.Debian;

/// <summary>
/// A path on the target system as a package holds it: absolute, "/"-separated, with no empty,
/// "." or ".." segment, no trailing "/", no NUL and no newline: "/" or "/usr/bin/consul". Made
/// only by <see cref="Parse"/> or <see cref="ParseFromRoot"/>, which apply one set of rules, so a
/// value of this type is valid wherever it goes (<c>default</c> is the root).
/// <para>
/// Only '/', '.', NUL and newline mean anything here; every other character is kept as given,
/// so a name that is not UTF-8, carried in whatever string form its front end chose, passes
/// through unchanged. Member names read from an archive are not made into this type: see
/// <see cref="ArchiveSegments"/> for why they follow other rules.
/// </para>
/// </summary>
public readonly record struct PackagePath
{
    /// <summary>Null for the root, so that <c>default</c> is the root and equal to a parsed "/".</summary>
    private readonly string? _path;

    private PackagePath(string path) => _path = path == "/" ? null : path;

    public static PackagePath Root => default;

    /// <summary>"/usr/bin/consul"; "/" for the root.</summary>
    public string Absolute => _path ?? "/";

    /// <summary>Without the leading "/": "usr/bin/consul", "" for the root; as a tar name or an fpm exclude pattern sees it.</summary>
    public string Relative => Absolute[1..];

    public bool IsRoot => _path is null;

    /// <summary>The directory holding this path; the root's parent is the root.</summary>
    public PackagePath Parent
    {
        get
        {
            int slash = Absolute.LastIndexOf('/');
            return slash <= 0 ? Root : new PackagePath(Absolute[..slash]);
        }
    }

    /// <summary>A path below this one; <paramref name="relative"/> may hold several segments and follows the same rules.</summary>
    public PackagePath Combine(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        return Parse(Absolute + "/" + relative, relative);
    }

    /// <summary>Whether this path is <paramref name="directory"/> or lies below it.</summary>
    public bool IsWithin(PackagePath directory) =>
        directory.IsRoot || Absolute == directory.Absolute || Absolute.StartsWith(directory.Absolute + "/", StringComparison.Ordinal);

    public override string ToString() => Absolute;

    /// <summary>
    /// A path given by a user, a front end or a package spec. Repeated "/", "." segments and a
    /// trailing "/" are dropped ("/usr//bin/./x/" is "/usr/bin/x"). Refused, with an
    /// <see cref="InvalidSpecException"/> naming the path: a relative path (what it is relative
    /// to is the caller's decision: see <see cref="ParseFromRoot"/>), a ".." segment (the path
    /// could leave the root), a NUL (it ends a tar name) and a newline (it would split a line of
    /// md5sums or conffiles).
    /// </summary>
    public static PackagePath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            throw new InvalidSpecException($"package path '{MessageText.OneLine(path)}' must be absolute, e.g. '/{MessageText.OneLine(path)}'");
        }

        return Parse(path, path);
    }

    /// <summary>
    /// <see cref="Parse"/>, reading a relative path from the root as fpm and tar do
    /// ("etc/app.conf" is "/etc/app.conf").
    /// </summary>
    public static PackagePath ParseFromRoot(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse("/" + path, path);
    }

    /// <summary>
    /// <see cref="ParseFromRoot"/> as a string, for code that keeps paths as strings
    /// (<see cref="PackageEntry.Path"/>): "usr//bin/./x/" is "/usr/bin/x".
    /// </summary>
    public static string Normalize(string path) => ParseFromRoot(path).Absolute;

    /// <summary>Joins one name to a normalised directory path, without re-reading either.</summary>
    public static string Combine(string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return directory == "/" ? "/" + name : directory + "/" + name;
    }

    /// <summary>
    /// The segments of a member name read from an archive, as bytes, empty and "." segments
    /// dropped ("./usr//bin/" is "usr", "bin"). Reading an archive differs from accepting a path
    /// we are given, for two reasons. Its names are bytes in no known encoding, so they are split
    /// as bytes and never turned into text. And the archive may be hostile, so nothing in it is
    /// repaired into a valid path: a leading "/" and ".." segments are left for the reader to
    /// refuse (extraction does: writing there could leave the target directory) or to pass over
    /// (listing the control member, as the tar under dpkg-deb does).
    /// </summary>
    public static List<byte[]> ArchiveSegments(ReadOnlySpan<byte> name)
    {
        var segments = new List<byte[]>();
        foreach (Range range in name.Split((byte)'/'))
        {
            ReadOnlySpan<byte> segment = name[range];
            if (!segment.IsEmpty && !segment.SequenceEqual("."u8))
            {
                segments.Add(segment.ToArray());
            }
        }

        return segments;
    }

    /// <param name="path">Absolute.</param>
    /// <param name="given">What the caller was given, for the message.</param>
    private static PackagePath Parse(string path, string given)
    {
        if (path.AsSpan().IndexOfAny('\0', '\n') >= 0)
        {
            throw new InvalidSpecException($"package path '{MessageText.OneLine(given)}' contains a NUL or newline character");
        }

        var segments = new List<string>();
        foreach (string segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                throw new InvalidSpecException($"invalid package path '{given}': '..' is not allowed, nothing may lie outside the root");
            }

            if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return new PackagePath("/" + string.Join('/', segments));
    }
}
