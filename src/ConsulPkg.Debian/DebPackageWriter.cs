namespace ConsulPkg.Debian;

/// <summary>Writes a <see cref="DebPackageSpec"/> as a .deb: ar container, control.tar, data.tar.</summary>
public static class DebPackageWriter
{
    /// <summary>The conventional file name, <c>name_version_arch.deb</c> (epoch dropped, as dpkg-name does).</summary>
    public static string DefaultFileName(ControlFile control)
    {
        ArgumentNullException.ThrowIfNull(control);
        return $"{control.Package}_{control.Version.ToFileNameString()}_{control.Architecture}.deb";
    }

    /// <summary>Streams the package to <paramref name="output"/> (need not be seekable).</summary>
    public static void Write(DebPackageSpec spec, Stream output) => throw new NotImplementedException();

    /// <summary>
    /// Writes the package to a temporary file beside <paramref name="path"/> and renames it into
    /// place only when complete. Refuses to replace an existing file unless <paramref name="overwrite"/>.
    /// </summary>
    public static void WriteFile(DebPackageSpec spec, string path, bool overwrite = false) => throw new NotImplementedException();
}
