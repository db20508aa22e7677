using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Repository;

/// <summary>
/// A .deb given to <c>repo publish</c>, read and checked before anything in the repository is
/// touched: its control fields come from our own reader, its data member is read to the end (a
/// truncated or corrupt package is refused here, not by apt on a client), its digests computed.
/// </summary>
internal sealed class IncomingPackage
{
    private IncomingPackage(string path, IndexEntry entry, string poolPath, IReadOnlyList<string> files)
    {
        SourcePath = path;
        Entry = entry;
        PoolPath = poolPath;
        Files = files;
    }

    public string SourcePath { get; }

    /// <summary>Its Packages stanza, made when it is read: the control fields are not kept (a first publish holds thousands).</summary>
    public IndexEntry Entry { get; }

    /// <summary>Where the file goes, relative to the repository root: pool/COMPONENT/PREFIX/SOURCE/NAME_VERSION_ARCH.deb.</summary>
    public string PoolPath { get; }

    /// <summary>The files and links it installs, as a Contents index lists them (no leading "./").</summary>
    public IReadOnlyList<string> Files { get; }

    /// <param name="progress">Hears how far into the file reading is, plus <paramref name="before"/>, the bytes of the packages read before it.</param>
    public static IncomingPackage Read(string path, string component, IByteProgress? progress = null, long before = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PackageException($"package '{path}' does not exist: give the path of a .deb file");
        }

        ControlFields control;
        List<string> files;
        using (DebPackageReader reader = DebPackageReader.Open(path, keepControlFiles: false, progress, before))
        {
            control = reader.Fields;
            files = ContentsIndex.FilesOf(reader); // reading every entry proves the data member is complete and decompresses
        }

        string package = Required(control, ControlField.Package, path);
        string version = Required(control, ControlField.Version, path);
        string architecture = Required(control, ControlField.Architecture, path);
        Check(ControlField.Package, package, path);
        _ = DebianVersion.Parse(version);
        Check(ControlField.Architecture, architecture, path);

        // Source: "name" or "name (version)"; the pool directory is named after the source package.
        string source = control[ControlField.Source.Name] is { } field ? field.Split(' ', 2)[0] : package;
        if (ControlField.Package.CheckText(source) is { } wrongSource)
        {
            throw new PackageException($"{path}: the Source field in its control file: {wrongSource}");
        }

        string prefix = source.StartsWith("lib", StringComparison.Ordinal) && source.Length > 3 ? source[..4] : source[..1];
        string fileVersion = version.Contains(':', StringComparison.Ordinal) ? version[(version.IndexOf(':', StringComparison.Ordinal) + 1)..] : version;
        string poolPath = $"pool/{component}/{prefix}/{source}/{package}_{fileVersion}_{architecture}.deb";
        return new IncomingPackage(path, IndexEntry.FromControl(control, poolPath, FileDigests.OfFile(path)), poolPath, files);
    }

    private static string Required(ControlFields control, ControlField field, string path) =>
        control[field.Name] ?? throw new PackageException($"{path}: the control file has no {field.Name} field");

    private static void Check(ControlField field, string value, string path)
    {
        if (field.CheckText(value) is { } wrong)
        {
            throw new PackageException($"{path}: {wrong} (in its control file)");
        }
    }
}
