using System.Globalization;
using System.Text;
using ConsulPkg.Debian.Archives;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Building;

/// <summary>What <see cref="TreePackageWriter"/> builds and how, as dpkg-deb -b's options say it.</summary>
public sealed record TreePackageOptions
{
    /// <summary>The tree: the package's files, and its control area in DEBIAN/.</summary>
    public required string Root { get; init; }

    /// <summary>SOURCE_DATE_EPOCH (or the time of the build): the members' time, and no file is newer.</summary>
    public required long Timestamp { get; init; }

    /// <summary>--root-owner-group: every file root:root; otherwise the owners the files have.</summary>
    public bool RootOwnerGroup { get; init; }

    public required CompressionSettings DataCompression { get; init; }

    /// <summary>gzip when --no-uniform-compression, else the data's.</summary>
    public required CompressionSettings ControlCompression { get; init; }

    /// <summary>--threads-max; null: every core. Never changes the output.</summary>
    public int? Threads { get; init; }

    /// <summary>--deb-format=0.939000: the old format instead of an ar archive.</summary>
    public bool OldFormat { get; init; }

    /// <summary>Whether a name with a newline is refused (dpkg-deb does unless --nocheck).</summary>
    public bool RefuseNewlines { get; init; } = true;

    /// <summary>The host's names for user and group ids (null when it has none), which tar records beside the numbers.</summary>
    public required Func<uint, string?> UserName { get; init; }

    public required Func<uint, string?> GroupName { get; init; }

    /// <summary>Receives what tar itself would warn about on stderr ("./x: socket ignored").</summary>
    public Action<string>? TarWarning { get; init; }

    /// <summary>The package file's mode (dpkg-deb: 0644 less the umask).</summary>
    public UnixFileMode FileMode { get; init; } = (UnixFileMode)0x1a4;
}

/// <summary>
/// Builds a package from a directory tree exactly as <c>dpkg-deb -b</c> does (src/deb/build.c):
/// the control area DEBIAN/ as control.tar (modes u+rw,go=rX, owned by root), everything else
/// as data.tar in dpkg's walk order with symlinks last, each tar as GNU tar writes it
/// (<see cref="TreeTar"/>), in an ar archive whose members carry the timestamp. With no
/// compression the package is byte for byte dpkg-deb's; compressed members decompress to
/// dpkg-deb's tars (the compressed bytes differ: ours are compressed in parallel).
/// </summary>
/// <remarks>
/// The data member is compressed straight into the package and its size filled in afterwards,
/// so the payload is written once (dpkg-deb writes it to a temporary file, then copies it).
/// The package appears complete or not at all (<see cref="AtomicFile"/>).
/// </remarks>
public static class TreePackageWriter
{
    /// <summary>The largest time an ar header's 12 columns hold.</summary>
    private const long MaxMemberTime = 999_999_999_999;

    private const string OldFormatVersion = "0.939000";

    public static void Write(TreePackageOptions options, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (!options.OldFormat && options.Timestamp > MaxMemberTime)
        {
            throw new InvalidSpecException($"ar member time {options.Timestamp} too large: give SOURCE_DATE_EPOCH at most {MaxMemberTime}");
        }
        string target = Path.GetFullPath(outputPath);
        string directory = Path.GetDirectoryName(target)!;
        List<TreeNode> control = [.. TreeTar.Walk(options.Root + "/DEBIAN")];
        List<TreeNode> data = DataNodes(options);
        try
        {
            using AtomicFile output = AtomicFile.Create(target, options.FileMode);
            using (FileStream controlMember = TemporaryFiles.CreateScratch(directory, Path.GetFileName(target) + ".control", (UnixFileMode)0x180))
            {
                Compress(controlMember, options.ControlCompression, options, control, controlMode: true, cancellationToken);
                controlMember.Position = 0;
                if (options.OldFormat)
                {
                    output.Stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{OldFormatVersion,-8}\n{controlMember.Length}\n")));
                    controlMember.CopyTo(output.Stream);
                }
                else
                {
                    var ar = new ArWriter(output.Stream, options.Timestamp);
                    ar.WriteMember("debian-binary", "2.0\n"u8);
                    ar.WriteMember("control.tar" + options.ControlCompression.Suffix, controlMember, controlMember.Length);
                }
            }
            if (options.OldFormat)
            {
                Compress(output.Stream, options.DataCompression, options, data, controlMode: false, cancellationToken);
            }
            else
            {
                WriteDataMember(output.Stream, options, data, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            output.Commit(overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PackageException($"cannot write '{target}': {IoErrorText.Reason(e)}", e);
        }
    }

    /// <summary>file_treewalk_feed: the tree without DEBIAN*, symlinks queued after everything else so none comes before its target.</summary>
    private static List<TreeNode> DataNodes(TreePackageOptions options)
    {
        var nodes = new List<TreeNode>();
        var symlinks = new List<TreeNode>();
        foreach (TreeNode node in TreeTar.Walk(options.Root))
        {
            // dpkg compares the prefix only: "DEBIAN.txt" at the top is left out as well.
            if (node.VirtualName.StartsWith("DEBIAN", StringComparison.Ordinal))
            {
                continue;
            }
            if (options.RefuseNewlines && node.VirtualName.Contains('\n', StringComparison.Ordinal))
            {
                throw new InvalidSpecException($"newline not allowed in pathname '{UnixName.Printable("./" + node.VirtualName)}'");
            }
            (node.Status.Type == UnixFileType.Symlink ? symlinks : nodes).Add(node);
        }
        nodes.AddRange(symlinks);
        return nodes;
    }

    /// <summary>The data member's header first with a placeholder size, the compressed tar after it, then the real size in the header.</summary>
    private static void WriteDataMember(FileStream output, TreePackageOptions options, List<TreeNode> data, CancellationToken cancellationToken)
    {
        string name = "data.tar" + options.DataCompression.Suffix;
        long header = output.Position;
        output.Write(ArWriter.FormatHeader(name, options.Timestamp, 0));
        long start = output.Position;
        using (var tail = new NonClosingStream(output))
        {
            Compress(tail, options.DataCompression, options, data, controlMode: false, cancellationToken);
        }
        long size = output.Position - start;
        if (size % 2 != 0)
        {
            output.WriteByte((byte)'\n');
        }
        long end = output.Position;
        output.Position = header;
        output.Write(ArWriter.FormatHeader(name, options.Timestamp, size));
        output.Position = end;
    }

    private static void Compress(Stream destination, CompressionSettings settings, TreePackageOptions options, List<TreeNode> nodes, bool controlMode, CancellationToken cancellationToken)
    {
        var tar = new TreeTar(new TreeTarOptions(options.Timestamp, controlMode, controlMode || options.RootOwnerGroup,
            options.UserName, options.GroupName, controlMode ? null : options.TarWarning));
        using Stream compressor = settings.OpenCompressor(destination, options.Threads);
        tar.Write(new CancellingStream(compressor, cancellationToken), nodes, cancellationToken);
    }
}
