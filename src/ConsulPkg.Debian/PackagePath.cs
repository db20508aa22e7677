namespace ConsulPkg.Debian;

/// <summary>Absolute "/"-separated paths on the target system, as <see cref="PackageEntry.Path"/> holds them.</summary>
public static class PackagePath
{
    /// <summary>"usr//bin/./x/" → "/usr/bin/x"; refuses ".." so nothing can escape the root.</summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw new InvalidSpecException("path", $"invalid package path '{path}': '..' is not allowed in a target path");
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }

    public static string Combine(string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return directory == "/" ? "/" + name : directory + "/" + name;
    }

    /// <summary>The path without its leading "/", as tar names and fpm's exclude patterns see it.</summary>
    public static string Relative(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.TrimStart('/');
    }
}
