using ConsulPkg.Debian.Archives;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Debian.Building;

/// <summary>
/// Writes a <see cref="DebPackageSpec"/> as a .deb: the ar container holding debian-binary,
/// control.tar and data.tar, in that order (deb(5)). The whole spec is validated before the
/// first byte is written. data.tar is streamed to a temporary file (it needs its compressed
/// size in the ar header, and md5sums, which precedes it, is computed while writing it), so
/// memory does not grow with the package. An uncompressed package written to a file skips that
/// copy: its control.tar's size is known in advance, so data.tar goes straight to its place.
/// </summary>
public static class DebPackageWriter
{
    private const string DebianBinaryName = "debian-binary";

    private static ReadOnlySpan<byte> DebianBinary => "2.0\n"u8;

    /// <summary>The conventional file name, <c>name_version_arch.deb</c> (epoch dropped, as dpkg-name does).</summary>
    public static string DefaultFileName(ControlFile control)
    {
        ArgumentNullException.ThrowIfNull(control);
        return $"{control.Package}_{control.Version.ToFileNameString()}_{control.Architecture}.deb";
    }

    /// <summary>Streams the package to <paramref name="output"/> (need not be seekable).</summary>
    public static void Write(DebPackageSpec spec, Stream output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        Plan plan = Plan.Create(spec);
        string temporaryDirectory = Path.GetTempPath();
        using FileStream data = Temporary("temporary directory", temporaryDirectory, () => TemporaryFiles.CreateScratch(temporaryDirectory, "consul-pkg-data", plan.Spec.OutputFileMode));
        WritePackage(plan, output, data);
    }

    /// <summary>
    /// Fails unless <paramref name="directory"/> exists to write a package into: the one check of
    /// it, which front ends make before any work (the file name may come later) and
    /// <see cref="WriteFile"/> makes again.
    /// </summary>
    public static void CheckOutputDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            string problem = File.Exists(directory) ? "is a file, not a directory" : "does not exist";
            throw new PackageException($"output directory '{directory}' {problem}: create it or choose another output") { Setting = PackageSettings.Output };
        }
    }

    /// <summary>
    /// Fails unless a package can be written at <paramref name="path"/>: its directory exists, it is
    /// not a directory, and it is not an existing file unless <paramref name="overwrite"/>.
    /// </summary>
    public static void CheckOutput(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        CheckOutputDirectory(Path.GetDirectoryName(target)!);
        if (Directory.Exists(target))
        {
            throw new PackageException($"output '{target}' is a directory: give a file name") { Setting = PackageSettings.Output };
        }

        if (!overwrite && File.Exists(target))
        {
            throw new PackageException($"'{target}' already exists: remove it or allow replacing it") { Setting = PackageSettings.Overwrite };
        }
    }

    /// <summary>
    /// Writes the package to a temporary file beside <paramref name="path"/> and renames it into
    /// place only when complete, so a failed build leaves nothing behind. Refuses to replace an
    /// existing file unless <paramref name="overwrite"/>. Cancellation stops the write at the
    /// next block and removes both temporaries (the data member's never has a name).
    /// </summary>
    public static void WriteFile(DebPackageSpec spec, string path, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target)!;
        CheckOutput(target, overwrite);

        Plan plan = Plan.Create(spec);
        string name = Path.GetFileName(target);
        bool inPlace = plan.Spec.Compression.Format == CompressionFormat.None;
        try
        {
            using FileStream? data = inPlace ? null : Temporary("output directory", directory, () => TemporaryFiles.CreateScratch(directory, name + ".data", plan.Spec.OutputFileMode));
            using AtomicFile output = Temporary("output directory", directory, () => AtomicFile.Create(target, plan.Spec.OutputFileMode));
            if (data is null)
            {
                WriteUncompressedInPlace(plan, output.Stream, cancellationToken);
            }
            else
            {
                WritePackage(plan, output.Stream, data, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            output.Commit(overwrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot write '{target}': {ex.Message}", ex);
        }
    }

    private static void WritePackage(Plan plan, Stream output, FileStream dataTemp, CancellationToken cancellationToken = default)
    {
        DebPackageSpec spec = plan.Spec;
        string md5sums;
        using (Stream compressor = spec.Compression.OpenCompressor(dataTemp))
        {
            md5sums = DataArchive.Write(new CancellingStream(compressor, cancellationToken), plan.Layout);
        }

        ReadOnlySpan<byte> controlTar = ControlTar(plan, md5sums);
        string suffix = spec.Compression.Suffix;
        var ar = new ArWriter(new CancellingStream(output, cancellationToken), plan.MTime);
        ar.WriteMember(DebianBinaryName, DebianBinary);
        ar.WriteMember("control.tar" + suffix, controlTar);
        dataTemp.Position = 0;
        ar.WriteMember("data.tar" + suffix, dataTemp, dataTemp.Length);
        if (spec.SigningKey is { } key)
        {
            dataTemp.Position = 0;
            ar.WriteAppendedMember(DebSignature.MemberName, OpenPgpSigner.DetachedSignBinary(
                key, [new MemoryStream(DebianBinary.ToArray(), writable: false), new MemoryStream(controlTar.ToArray(), writable: false), dataTemp], spec.Timestamp));
        }

        output.Flush();
    }

    /// <summary>
    /// The same bytes as <see cref="WritePackage"/> with no compression, without a temporary file:
    /// md5sums has a fixed width per line, so control.tar's size is known before the hashes are,
    /// which fixes where data.tar starts. data.tar is written there first (hashed on the way, as
    /// always), then the head of the archive in front of it, which must end exactly where data.tar
    /// begins. Saves writing, reading back and copying the whole payload once more.
    /// </summary>
    private static void WriteUncompressedInPlace(Plan plan, FileStream output, CancellationToken cancellationToken)
    {
        long controlLength = ControlTar(plan, DataArchive.Md5SumsPlaceholder(plan.Layout)).Length;
        long dataStart = "!<arch>\n"u8.Length + ArWriter.MemberLength(DebianBinary.Length) + ArWriter.MemberLength(controlLength) + ArWriter.HeaderLength;
        output.Position = dataStart;
        string md5sums;
        using (var tar = new NonClosingStream(output))
        {
            md5sums = DataArchive.Write(new CancellingStream(tar, cancellationToken), plan.Layout);
        }

        long dataLength = output.Position - dataStart;
        if (dataLength % 2 != 0)
        {
            output.WriteByte((byte)'\n');
        }

        ReadOnlySpan<byte> controlTar = ControlTar(plan, md5sums);
        output.Position = 0;
        var ar = new ArWriter(output, plan.MTime);
        ar.WriteMember(DebianBinaryName, DebianBinary);
        ar.WriteMember("control.tar", controlTar);
        ar.WriteHeaderOfPlacedMember("data.tar", dataLength);
        if (output.Position != dataStart)
        {
            throw new InvalidOperationException($"control.tar is {controlTar.Length} bytes, {controlLength} were reserved: the package head would overwrite data.tar");
        }

        if (plan.Spec.SigningKey is { } key)
        {
            output.Position = dataStart; // data.tar is read back from where it was written
            byte[] signature = OpenPgpSigner.DetachedSignBinary(
                key, [new MemoryStream(DebianBinary.ToArray(), writable: false), new MemoryStream(controlTar.ToArray(), writable: false), new Reading.BoundedReadStream(output, dataLength, "data.tar ended early")], plan.Spec.Timestamp);
            output.Position = dataStart + dataLength + (dataLength % 2);
            ar.WriteAppendedMember(DebSignature.MemberName, signature);
        }
    }

    /// <summary>control.tar, compressed as the spec says, in memory (it is small).</summary>
    private static ReadOnlySpan<byte> ControlTar(Plan plan, string md5sums)
    {
        DebPackageSpec spec = plan.Spec;
        ControlFile control = spec.Control with { InstalledSize = spec.Control.InstalledSize ?? plan.Layout.InstalledSizeKiB };
        var controlTar = new MemoryStream();
        using (Stream compressor = spec.Compression.OpenCompressor(controlTar))
        {
            ControlArchiveWriter.Write(compressor, ControlArchiveWriter.Members(control.Render(), md5sums, plan.ConfFiles, spec.Scripts, spec.ExtraControlMembers), plan.MTime);
        }

        return controlTar.GetBuffer().AsSpan(0, (int)controlTar.Length);
    }

    /// <summary>A temporary file from <paramref name="create"/>; failing to create one names where it was wanted.</summary>
    private static T Temporary<T>(string where, string directory, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot create a temporary file in the {where} '{directory}': {ex.Message}", ex);
        }
    }

    /// <summary>Everything derived from the spec before writing: layout, conffiles, the timestamp.</summary>
    private sealed record Plan(DebPackageSpec Spec, DataLayout Layout, IReadOnlyList<string> ConfFiles, long MTime)
    {
        public static Plan Create(DebPackageSpec spec)
        {
            spec.Control.Validate();
            long mtime = spec.Timestamp.ToUnixTimeSeconds();
            if (mtime < 0)
            {
                throw new InvalidSpecException($"build timestamp {spec.Timestamp:O} is before 1970: give SOURCE_DATE_EPOCH as seconds since the epoch");
            }

            ControlArchiveWriter.ValidateScripts(spec.Scripts);
            ControlArchiveWriter.ValidateMembers(spec.ExtraControlMembers, spec.Scripts);

            IReadOnlyList<PackageEntry> entries = spec.Entries;
            if (spec.Documentation.Generate)
            {
                var userLayout = DataLayout.Create(entries, mtime);
                entries = [.. entries, .. Documentation.Generate(spec.Control, spec.Documentation, userLayout, spec.Timestamp)];
            }

            var layout = DataLayout.Create(entries, mtime);
            var conffiles = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string c in spec.ConfFiles)
            {
                PackagePath path = PackagePath.Parse(c);
                if (!layout.IsRegularFile(path))
                {
                    throw new InvalidSpecException($"conffile '{c}' is not a regular file in the package data: add it or drop it from the conffiles");
                }

                conffiles.Add(path.Absolute);
            }

            if (spec.EtcFilesAreConfFiles)
            {
                conffiles.UnionWith(layout.EtcFiles());
            }

            return new Plan(spec, layout, [.. conffiles], mtime);
        }
    }
}
