using System.Text;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Debian.Building;

/// <summary>
/// The checks dpkg-deb -b makes of a tree's DEBIAN directory before it builds (src/deb/build.c
/// check_control_area): the control file as dpkg reads it, with a lowercase name and an
/// architecture; the directory's and the maintainer scripts' permissions; the conffiles list
/// against the tree. Failures are <see cref="InvalidSpecException"/>s with dpkg's reason on one
/// line; what dpkg only warns about is returned, in dpkg's words, for the caller to print.
/// </summary>
public static class TreeControlCheck
{
    private const int MaxConffileName = 1000;

    private static readonly string[] MaintainerScripts = ["preinst", "postinst", "prerm", "postrm", "config"];

    /// <summary>
    /// Checks the tree under <paramref name="root"/> (named <paramref name="shownRoot"/>, as the
    /// command line gave it); returns the parsed control file and every warning dpkg would print.
    /// </summary>
    public static (DpkgControl Control, IReadOnlyList<string> Warnings) Check(string root, string shownRoot, string nativeArchitecture)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(shownRoot);
        string controlDir = root + "/DEBIAN";
        string shownControlFile = shownRoot + "/DEBIAN/control";
        byte[] content;
        try
        {
            content = File.ReadAllBytes(controlDir + "/control");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSpecException($"cannot read the package's control file '{shownControlFile}': {IoErrorText.Reason(e)}");
        }

        DpkgControl control;
        try
        {
            control = DpkgControl.Parse(content, shownControlFile, nativeArchitecture);
        }
        catch (InvalidPackageException e)
        {
            throw new InvalidSpecException(e.Message);
        }
        var warnings = new List<string>(control.Warnings.Select(w =>
            $"parsing file '{shownControlFile}' near line {w.Line}{(w.Package is null ? "" : $" package '{w.Package}'")}:\n {w.Message}"));
        if (control.Name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.')))
        {
            throw new InvalidSpecException($"{shownControlFile}: package name has characters that aren't lowercase alphanums or '-+.'");
        }
        if (string.IsNullOrEmpty(control.Architecture))
        {
            throw new InvalidSpecException($"{shownControlFile}: package architecture is missing or empty");
        }
        if (control.PriorityIsUserDefined)
        {
            warnings.Add($"'{shownControlFile}' contains user-defined Priority value '{DpkgText.Shown(control.Priority!)}'");
        }
        CheckPermissions(controlDir, shownRoot + "/DEBIAN");
        CheckConffiles(controlDir, root, warnings);
        return (control, warnings);
    }

    /// <summary>check_file_perms: DEBIAN/ is 0755 to 0775; each maintainer script that exists is a plain file (or a symlink) of 0555 to 0775.</summary>
    private static void CheckPermissions(string controlDir, string shownControlDir)
    {
        FileStatus? dir = FileStatus.TryGet(UnixName.ToBytes(controlDir), followSymlink: false, out _);
        if (dir is not { } status)
        {
            throw new InvalidSpecException($"unable to stat control directory '{shownControlDir}'");
        }
        if (status.Type != UnixFileType.Directory)
        {
            throw new InvalidSpecException($"control directory '{shownControlDir}' is not a directory");
        }
        if ((status.Mode & 0xFEF) != 0x1ed)
        {
            throw new InvalidSpecException($"control directory has bad permissions {Octal(status.Mode)} (must be >=0755 and <=0775)");
        }
        foreach (string script in MaintainerScripts)
        {
            if (FileStatus.TryGet(UnixName.ToBytes(controlDir + "/" + script), followSymlink: false, out _) is not { } found || found.Type == UnixFileType.Symlink)
            {
                continue;
            }
            if (found.Type != UnixFileType.Regular)
            {
                throw new InvalidSpecException($"maintainer script '{script}' is not a plain file or symlink");
            }
            if ((found.Mode & 0xF6F) != 0x16d)
            {
                throw new InvalidSpecException($"maintainer script '{script}' has bad permissions {Octal(found.Mode)} (must be >=0555 and <=0775)");
            }
        }
    }

    /// <summary>check_conffiles: absolute names, each present as a plain file (or flagged remove-on-upgrade and absent).</summary>
    private static void CheckConffiles(string controlDir, string root, List<string> warnings)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(controlDir + "/conffiles");
        }
        catch (FileNotFoundException)
        {
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSpecException($"error opening conffiles file: {IoErrorText.Reason(e)}");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string rawLine in Lines(content))
        {
            if (!rawLine.EndsWith('\n'))
            {
                throw new InvalidSpecException($"conffile name '{Shown(rawLine)}' is too long, or missing final newline");
            }
            string name = rawLine[..^1];
            if (name.Length > 0 && DpkgText.IsSpace(name[0]))
            {
                string rest = name.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
                throw new InvalidSpecException(rest.Length == 0
                    ? "empty and whitespace-only lines are not allowed in conffiles"
                    : $"line with conffile filename '{Shown(rest)}' has leading white spaces");
            }
            bool removeOnUpgrade = false;
            if (!name.StartsWith('/'))
            {
                int space = name.IndexOf(' ', StringComparison.Ordinal);
                string flag = space < 0 ? name : name[..space];
                string file = space < 0 ? name : name[(space + 1)..];
                if (space < 0 || (file.Length > 0 && file[0] != '/'))
                {
                    throw new InvalidSpecException($"conffile name '{Shown(file)}' is not an absolute pathname");
                }
                if (file.Length == 0)
                {
                    throw new InvalidSpecException($"conffile name missing after flag '{Shown(flag)}'");
                }
                if (flag != "remove-on-upgrade")
                {
                    throw new InvalidSpecException($"unknown flag '{Shown(flag)}' for conffile '{Shown(file)}'");
                }
                removeOnUpgrade = true;
                name = file;
            }
            FileStatus? status = FileStatus.TryGet([.. UnixName.ToBytes(root), .. Encoding.Latin1.GetBytes(name)], followSymlink: false, out int errno);
            if (status is null && errno == Interop.LibC.ENoEnt)
            {
                if (name.Length > 1 && DpkgText.IsSpace(name[^1]))
                {
                    warnings.Add($"conffile filename '{Shown(name)}' contains trailing white spaces");
                }
                if (!removeOnUpgrade)
                {
                    throw new InvalidSpecException($"conffile '{Shown(name)}' does not appear in package");
                }
            }
            else if (status is null)
            {
                throw new InvalidSpecException($"conffile '{Shown(name)}' is not stattable");
            }
            else if (removeOnUpgrade)
            {
                throw new InvalidSpecException($"conffile '{Shown(name)}' is present but is requested to be removed");
            }
            else if (status.Value.Type != UnixFileType.Regular)
            {
                warnings.Add($"conffile '{Shown(name)}' is not a plain file");
            }
            if (!seen.Add(name))
            {
                warnings.Add($"conffile name '{Shown(name)}' is duplicated");
            }
        }
    }

    /// <summary>The lines fgets would return with a buffer of 1001 bytes: a longer line comes in pieces, the last without its newline.</summary>
    private static IEnumerable<string> Lines(byte[] content)
    {
        int start = 0;
        while (start < content.Length)
        {
            int newline = Array.IndexOf(content, (byte)'\n', start);
            int end = newline < 0 ? content.Length : newline + 1;
            end = Math.Min(end, start + MaxConffileName);
            yield return Encoding.Latin1.GetString(content, start, end - start);
            start = end;
        }
    }

    private static string Shown(string text) => DpkgText.Shown(text);

    private static string Octal(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(3, '0');
}
