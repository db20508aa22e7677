using System.Text;
using ConsulPkg.Debian.Archives;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;
using Microsoft.Win32.SafeHandles;

namespace ConsulPkg.Debian.Building;

/// <summary>A file met by <see cref="TreeTar.Walk"/>: its path on the host, its name below the walked root ("" for the root), and its status.</summary>
internal sealed record TreeNode(string Path, string VirtualName, FileStatus Status);

/// <summary>
/// What <c>tar -cf - --format=gnu --mtime=@T --clamp-mtime [--mode=u+rw,go=rX] [--owner=root:0
/// --group=root:0] --no-recursion -T -</c> writes for a list of names, as dpkg-deb -b runs it
/// (GNU tar 1.34, src/create.c): one entry per name in the order given, directories with a
/// trailing slash, times clamped, permission bits only, owners by number and by the name the
/// host gives the number (empty when it has none), a second name of a regular file or symlink
/// as a hard link to the first, devices with their numbers, sockets left out with tar's
/// warning. And the order dpkg-deb gives those names in (lib/dpkg/treewalk.c).
/// </summary>
internal sealed class TreeTar
{
    private readonly TreeTarOptions _options;
    private readonly Dictionary<(ulong Device, ulong Inode), string> _linked = [];
    private readonly byte[] _buffer = new byte[1 << 16];

    public TreeTar(TreeTarOptions options) => _options = options;

    /// <summary>
    /// dpkg's treewalk: the root, then each directory's entries sorted by their bytes, depth
    /// first, symlinks to directories not followed.
    /// </summary>
    public static IEnumerable<TreeNode> Walk(string root)
    {
        FileStatus rootStatus = Stat(root);
        if (rootStatus.Type != UnixFileType.Directory)
        {
            throw new PackageException($"'{UnixName.Printable(root)}' is not a directory");
        }
        return Visit(new TreeNode(root, "", rootStatus));

        static IEnumerable<TreeNode> Visit(TreeNode node)
        {
            yield return node;
            if (node.Status.Type != UnixFileType.Directory)
            {
                yield break;
            }
            List<string> names;
            try
            {
                names = HostFiles.ChildNames(node.Path);
            }
            catch (IOException e)
            {
                throw new PackageException($"cannot open directory '{UnixName.Printable(node.Path)}': {e.Message}", e);
            }
            names.Sort(UnixName.ByteOrder);
            foreach (string name in names)
            {
                string path = node.Path + "/" + name;
                string virtualName = node.VirtualName.Length == 0 ? name : node.VirtualName + "/" + name;
                foreach (TreeNode child in Visit(new TreeNode(path, virtualName, Stat(path))))
                {
                    yield return child;
                }
            }
        }
    }

    /// <summary>Writes the archive of <paramref name="nodes"/> (named "./" + their virtual name) to <paramref name="output"/>.</summary>
    public void Write(Stream output, IEnumerable<TreeNode> nodes, CancellationToken cancellationToken)
    {
        using var tar = new GnuTarWriter(output);
        foreach (TreeNode node in nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteNode(tar, node);
        }
    }

    private void WriteNode(GnuTarWriter tar, TreeNode node)
    {
        string name = "./" + node.VirtualName;
        FileStatus status = node.Status;
        if (status.Type == UnixFileType.Socket)
        {
            _options.Warning?.Invoke($"{Quoted(name)}: socket ignored");
            return;
        }
        if (status.Type == UnixFileType.Unknown)
        {
            throw new PackageException($"cannot package '{UnixName.Printable(node.Path)}': it is a file of unknown type");
        }

        long mtime = Math.Min(status.MTime, _options.Timestamp);
        int mode = _options.ControlModes ? ControlMode(status) : status.Mode;
        (long uid, long gid, string user, string group) = _options.RootOwner
            ? (0L, 0L, "root", "root")
            : (status.Uid, status.Gid, Truncated(_options.UserName(status.Uid)), Truncated(_options.GroupName(status.Gid)));

        if (status.Type != UnixFileType.Directory && status.LinkCount > 1 && _linked.TryGetValue((status.Device, status.Inode), out string? first))
        {
            tar.WriteEntry(new TarEntryHeader(name, TarFieldLayout.TypeHardLink, mode, uid, gid, user, group, 0, mtime, first));
            return;
        }

        switch (status.Type)
        {
            case UnixFileType.Directory:
                tar.WriteEntry(new TarEntryHeader(name.EndsWith('/') ? name : name + "/", TarFieldLayout.TypeDirectory, mode, uid, gid, user, group, 0, mtime));
                return;
            case UnixFileType.Symlink:
                string target = ReadSymlink(node.Path);
                tar.WriteEntry(new TarEntryHeader(name, TarFieldLayout.TypeSymlink, mode, uid, gid, user, group, 0, mtime, target));
                break;
            case UnixFileType.Fifo:
                tar.WriteEntry(new TarEntryHeader(name, TarFieldLayout.TypeFifo, mode, uid, gid, user, group, 0, mtime));
                return;
            case UnixFileType.CharacterDevice or UnixFileType.BlockDevice:
                byte type = status.Type == UnixFileType.CharacterDevice ? TarFieldLayout.TypeCharacterDevice : TarFieldLayout.TypeBlockDevice;
                tar.WriteEntry(new TarEntryHeader(name, type, mode, uid, gid, user, group, 0, mtime, "", status.DeviceMajor, status.DeviceMinor));
                return;
            default:
                WriteFile(tar, node, new TarEntryHeader(name, TarFieldLayout.TypeRegular, mode, uid, gid, user, group, status.Size, mtime));
                break;
        }
        if (status.LinkCount > 1)
        {
            // tar remembers a file with other names after dumping it (file_count_links).
            _linked.TryAdd((status.Device, status.Inode), name);
        }
    }

    private void WriteFile(GnuTarWriter tar, TreeNode node, TarEntryHeader header)
    {
        SafeFileHandle handle;
        FileStatus opened;
        try
        {
            handle = HostFiles.OpenForReading(node.Path, out opened);
        }
        catch (IOException e)
        {
            throw new PackageException($"cannot read '{UnixName.Printable(node.Path)}': {e.Message}", e);
        }
        using (handle)
        {
            if (opened.Type != UnixFileType.Regular || opened.Size != header.Size)
            {
                throw new PackageException($"cannot package '{UnixName.Printable(node.Path)}': the file changed as we read it");
            }
            using var content = new HandleStream(handle, header.Size, node.Path, _buffer);
            tar.WriteEntry(header, content);
        }
    }

    /// <summary>--mode=u+rw,go=rX (gnulib mode_adjust): the owner may read and write; group and others read, and execute where anyone could or it is a directory; setgid and sticky cleared.</summary>
    private static int ControlMode(FileStatus status)
    {
        const int GroupOtherBits = 0x400 | 0x38 | 0x200 | 0x7; // S_ISGID | S_IRWXG | S_ISVTX | S_IRWXO
        int mode = status.Mode | 0x180;
        bool anyExecute = (mode & 0x49) != 0 || status.Type == UnixFileType.Directory;
        return (mode & ~GroupOtherBits) | 0x24 | (anyExecute ? 0x9 : 0);
    }

    /// <summary>A name as GNU tar writes it in a header: at most 31 bytes.</summary>
    private static string Truncated(string? name)
    {
        if (name is null)
        {
            return "";
        }
        byte[] bytes = UnixName.ToBytes(name);
        return bytes.Length < 32 ? name : UnixName.FromBytes(bytes.AsSpan(0, 31));
    }

    private static string ReadSymlink(string path)
    {
        try
        {
            return HostFiles.ReadSymlink(path);
        }
        catch (IOException e)
        {
            throw new PackageException($"cannot read the symlink '{UnixName.Printable(path)}': {e.Message}", e);
        }
    }

    private static FileStatus Stat(string path)
    {
        try
        {
            return FileStatus.Get(path, followSymlink: false);
        }
        catch (IOException e)
        {
            throw new PackageException($"cannot stat '{UnixName.Printable(path)}': {e.Message}", e);
        }
    }

    /// <summary>A name as tar's messages quote it.</summary>
    private static string Quoted(string name)
    {
        var quoted = new System.Buffers.ArrayBufferWriter<byte>(name.Length + 8);
        TarNameQuoting.Append(quoted, UnixName.ToBytes(name), utf8Locale: true);
        return Encoding.UTF8.GetString(quoted.WrittenSpan);
    }

    /// <summary>A regular file's content through a bare handle, which must hold exactly the size its header promised.</summary>
    private sealed class HandleStream(SafeFileHandle handle, long size, string path, byte[] buffer) : ReadOnlyForwardStream
    {
        private long _read;

        public override int Read(Span<byte> destination)
        {
            int n;
            try
            {
                n = HostFiles.Read(handle, destination.Length > buffer.Length ? destination[..buffer.Length] : destination);
            }
            catch (IOException e)
            {
                throw new PackageException($"cannot read '{UnixName.Printable(path)}': {e.Message}", e);
            }
            _read += n;
            if (_read > size || (n == 0 && _read < size))
            {
                throw new PackageException($"cannot package '{UnixName.Printable(path)}': the file changed as we read it ({size} bytes when listed)");
            }
            return n;
        }
    }
}

/// <summary>The options dpkg-deb gives the tar it runs, and the host's names for owners.</summary>
/// <param name="Timestamp">--mtime=@T --clamp-mtime: no entry is newer than this.</param>
/// <param name="ControlModes">--mode=u+rw,go=rX, as for the control member.</param>
/// <param name="RootOwner">--owner=root:0 --group=root:0.</param>
/// <param name="UserName">The host's name for a user id, or null (tar's uid_to_uname).</param>
/// <param name="GroupName">The host's name for a group id, or null.</param>
/// <param name="Warning">Receives what tar would warn about (a socket left out).</param>
internal sealed record TreeTarOptions(long Timestamp, bool ControlModes, bool RootOwner, Func<uint, string?> UserName, Func<uint, string?> GroupName, Action<string>? Warning);
