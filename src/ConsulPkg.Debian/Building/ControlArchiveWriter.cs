using System.Text;
using ConsulPkg.Debian.Archives;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Building;

/// <summary>
/// Builds control.tar: control, md5sums, conffiles, the maintainer scripts and any further
/// members (<see cref="ExtraControlMember"/>), owned by root,
/// modes 0644 and 0755 (dpkg-deb forces u+rw,go=rX), in bytewise name order under a "./" root.
/// Small by nature, so it is assembled in memory.
/// </summary>
internal static class ControlArchiveWriter
{
    private const int FileMode = 0b110_100_100;
    private const int ExecutableMode = 0b111_101_101;

    public static SortedDictionary<string, (byte[] Data, int Mode)> Members(
        string control, string md5sums, IReadOnlyList<string> conffiles, IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> scripts,
        IReadOnlyList<ExtraControlMember> extra)
    {
        var members = new SortedDictionary<string, (byte[] Data, int Mode)>(StringComparer.Ordinal)
        {
            ["control"] = (Encoding.UTF8.GetBytes(control), FileMode),
        };
        if (md5sums.Length > 0)
        {
            // Lists of names: a name keeps its bytes, UTF-8 or not, as dpkg compares them with the data's.
            members["md5sums"] = (UnixName.ToBytes(md5sums), FileMode);
        }

        if (conffiles.Count > 0)
        {
            members["conffiles"] = (UnixName.ToBytes(string.Concat(conffiles.Select(c => c + "\n"))), FileMode);
        }

        ValidateScripts(scripts);
        foreach ((MaintainerScript kind, ReadOnlyMemory<byte> body) in scripts)
        {
            members[kind.ToString().ToLowerInvariant()] = (body.ToArray(), ExecutableMode);
        }

        ValidateMembers(extra, scripts);
        foreach (ExtraControlMember member in extra)
        {
            members[member.Name] = (member.Data.ToArray(), member.Executable ? ExecutableMode : FileMode);
        }

        return members;
    }

    public static void Write(Stream tarOutput, SortedDictionary<string, (byte[] Data, int Mode)> members, long mtime)
    {
        using var tar = new GnuTarWriter(tarOutput);
        tar.WriteEntry(new TarEntryHeader("./", TarFieldLayout.TypeDirectory, ExecutableMode, 0, 0, "root", "root", 0, mtime));
        foreach ((string name, (byte[] data, int mode)) in members)
        {
            using var content = new MemoryStream(data, writable: false);
            tar.WriteEntry(new TarEntryHeader("./" + name, TarFieldLayout.TypeRegular, mode, 0, 0, "root", "root", data.Length, mtime), content);
        }
    }

    public static void ValidateScripts(IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> scripts)
    {
        foreach ((MaintainerScript kind, ReadOnlyMemory<byte> body) in scripts)
        {
            ValidateScript(kind, body.Span);
        }
    }

    /// <summary>
    /// Further members must not replace one the writer makes (control, md5sums, conffiles, a
    /// maintainer script) or each other, and must be plain names: dpkg looks a member up by its
    /// name directly under "./". An executable one is run by its "#!" line, like a script.
    /// </summary>
    public static void ValidateMembers(IReadOnlyList<ExtraControlMember> extra, IReadOnlyDictionary<MaintainerScript, ReadOnlyMemory<byte>> scripts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { "control", "md5sums", "conffiles" };
        seen.UnionWith(scripts.Keys.Select(k => k.ToString().ToLowerInvariant()));
        foreach (ExtraControlMember member in extra)
        {
            if (member.Name.Length == 0 || member.Name.StartsWith('.') || member.Name.Contains('/', StringComparison.Ordinal)
                || member.Name.Any(c => c <= ' ' || c >= 0x7f))
            {
                throw new InvalidSpecException($"invalid control member name '{MessageText.OneLine(member.Name)}': use a plain file name such as 'triggers'");
            }

            if (!seen.Add(member.Name))
            {
                throw new InvalidSpecException($"control member '{member.Name}' is given twice: the package can hold one file of that name");
            }

            if (member.Executable)
            {
                ValidateScript(member.Name, member.Data.Span);
            }
        }
    }

    /// <summary>dpkg runs scripts through execve: without a "#!" line the kernel refuses them at install time.</summary>
    private static void ValidateScript(MaintainerScript kind, ReadOnlySpan<byte> body) =>
        ValidateScript(kind.ToString().ToLowerInvariant(), body);

    private static void ValidateScript(string name, ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith("#!"u8))
        {
            throw new InvalidSpecException($"the {name} script must start with an interpreter line such as '#!/bin/sh'");
        }

        int eol = body.IndexOf((byte)'\n');
        ReadOnlySpan<byte> first = eol < 0 ? body : body[..eol];
        if (first.EndsWith("\r"u8))
        {
            throw new InvalidSpecException($"the {name} script has Windows (CRLF) line endings; the kernel would look for an interpreter named with a trailing carriage return: convert it with dos2unix");
        }
    }
}
