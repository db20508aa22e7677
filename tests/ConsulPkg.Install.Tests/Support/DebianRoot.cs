using System.Globalization;
using ConsulPkg.Debian;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// A private, throw-away copy of a cached clean Debian root for one test. Commands run in it
/// through <c>chroot</c>; disposing it kills anything left running inside, checks that no mount
/// is left below it and deletes it.
/// </summary>
public sealed class DebianRoot : IDisposable
{
    private const string InstancePrefix = "instance-";

    private DebianRoot(RootVariant variant, string path)
    {
        Variant = variant;
        Path = path;
    }

    public RootVariant Variant { get; }

    /// <summary>The root's directory on the host.</summary>
    public string Path { get; }

    public static DebianRoot Create(RootVariant variant)
    {
        RequireRoot.Check();
        var source = DebianRootCache.GetBase(variant);
        var path = NewInstancePath();
        Copy.Tree(source, path);
        return new DebianRoot(variant, path);
    }

    /// <summary>
    /// An empty directory beside the roots' copies, named and cleaned up like them (a test process
    /// killed before it removed one leaves it to the next run), for a tool that builds its own root
    /// in it: piuparts. The caller removes it with <see cref="DebianRootCache.Remove"/>.
    /// </summary>
    public static string CreateScratch()
    {
        RequireRoot.Check();
        var path = NewInstancePath();
        Directory.CreateDirectory(path);
        return path;
    }

    private static string NewInstancePath()
    {
        var instances = System.IO.Path.Combine(DebianRootCache.CacheDirectory, "instances");
        Directory.CreateDirectory(instances);
        RemoveAbandoned(instances);
        return System.IO.Path.Combine(instances, $"{InstancePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    /// <summary>Runs <paramref name="command"/> inside the root; never throws on a non-zero exit.</summary>
    public ProcessResult Run(params string[] command) => Chroot.Run(Path, command);

    public ProcessResult Dpkg(params string[] arguments) => Run(["dpkg", .. arguments]);

    /// <summary>Runs a shell snippet inside the root with /bin/sh.</summary>
    public ProcessResult Shell(string script) => Run("/bin/sh", "-ec", script);

    /// <summary>Copies a host file into the root's /tmp and returns its path as seen inside.</summary>
    public string CopyIn(string hostFile)
    {
        var inside = "/tmp/" + System.IO.Path.GetFileName(hostFile);
        File.Copy(hostFile, HostPath(inside), overwrite: true);
        return inside;
    }

    /// <summary>The host path of <paramref name="insidePath"/> (an absolute path inside the root).</summary>
    public string HostPath(string insidePath)
    {
        ArgumentNullException.ThrowIfNull(insidePath);
        if (!insidePath.StartsWith('/'))
        {
            throw new ArgumentException($"'{insidePath}' is not an absolute path inside the root", nameof(insidePath));
        }

        return Path + insidePath;
    }

    /// <summary>Fields of <c>dpkg -s PACKAGE</c>, or null when dpkg does not know the package.</summary>
    public IReadOnlyDictionary<string, string>? PackageStatus(string package)
    {
        var result = Dpkg("-s", package);
        if (!result.Succeeded)
        {
            return null;
        }

        return Deb822Paragraph.ParseAll(result.StdOutBytes, $"dpkg -s {package}")[0].Fields
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        // A package script may have started a daemon; it would keep files (and, in its private
        // namespace, /proc) busy. Kill it, then report it: leaving one running is a defect.
        var leftovers = Chroot.ProcessesRootedIn(Path);
        foreach (var pid in leftovers)
        {
            ProcessRunner.Run("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }

        var mounts = Chroot.MountsUnder(Path);
        foreach (var mount in mounts.Reverse())
        {
            ProcessRunner.Run("umount", "--lazy", mount);
        }

        DebianRootCache.Remove(Path);

        if (leftovers.Count > 0 || mounts.Count > 0)
        {
            throw new InvalidOperationException(
                $"{Path} was left with processes [{string.Join(' ', leftovers)}] and mounts [{string.Join(' ', mounts)}]; both were cleaned up");
        }
    }

    /// <summary>Copies left by test processes that were killed before they could clean up.</summary>
    private static void RemoveAbandoned(string instances)
    {
        foreach (var directory in Directory.EnumerateDirectories(instances, InstancePrefix + "*"))
        {
            var pid = System.IO.Path.GetFileName(directory)[InstancePrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && id != Environment.ProcessId
                && !Directory.Exists($"/proc/{id}")
                && Chroot.MountsUnder(directory).Count == 0)
            {
                DebianRootCache.Remove(directory);
            }
        }
    }
}
