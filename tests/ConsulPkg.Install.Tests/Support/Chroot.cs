using System.Globalization;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// Runs a command inside a Debian root with <c>chroot</c>, with /proc mounted.
/// </summary>
/// <remarks>
/// Each command gets its own private mount namespace (<c>unshare --mount --propagation private</c>)
/// and mounts /proc there. The kernel drops those mounts when the command's last process exits,
/// so a failing test, an exception or even a killed test host cannot leave a mount behind on the
/// machine; <see cref="MountsUnder"/> lets callers verify that from the host's /proc/mounts.
/// /dev is deliberately not bound from the host: debootstrap already created the device nodes
/// the root needs (null, zero, random, tty, ...), and a bind would let a buggy maintainer script
/// (rm -rf in the wrong place) reach the host's /dev.
/// </remarks>
public static class Chroot
{
    private static readonly Dictionary<string, string?> Environment = new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = "/root",
        ["LC_ALL"] = "C",
        ["DEBIAN_FRONTEND"] = "noninteractive",
        ["TERM"] = "dumb",
    };

    // $1 is the root; the rest is the command. `exec` keeps chroot the namespace's last process.
    private const string MountAndEnter = "root=$1; shift; mount -t proc proc \"$root/proc\"; exec chroot \"$root\" \"$@\"";

    public static ProcessResult Run(string root, IEnumerable<string> command, TimeSpan? timeout = null)
    {
        string[] arguments = ["--mount", "--propagation", "private", "--", "/bin/sh", "-euc", MountAndEnter, "sh", root, .. command];
        return ProcessRunner.Run("/usr/bin/unshare", arguments, workingDirectory: "/", environment: Environment, timeout: timeout, inheritEnvironment: false);
    }

    /// <summary>Mount points at or below <paramref name="root"/> as the host sees them in /proc/mounts.</summary>
    public static IReadOnlyList<string> MountsUnder(string root)
    {
        var prefix = root.TrimEnd('/');
        return File.ReadAllLines("/proc/mounts")
            .Select(line => Unescape(line.Split(' ')[1]))
            .Where(point => point == prefix || point.StartsWith(prefix + "/", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>
    /// Process ids whose root directory is <paramref name="root"/> or below: whatever a package
    /// script left running (a daemon it started) inside the root.
    /// </summary>
    public static IReadOnlyList<int> ProcessesRootedIn(string root)
    {
        var prefix = root.TrimEnd('/');
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string? target;
            try
            {
                target = new DirectoryInfo(System.IO.Path.Combine(entry, "root")).LinkTarget;
            }
            catch (IOException)
            {
                continue; // the process went away while we looked
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (target is not null && (target == prefix || target.StartsWith(prefix + "/", StringComparison.Ordinal)))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    // /proc/mounts escapes space, tab, newline and backslash as octal (\040 ...).
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(
            field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
