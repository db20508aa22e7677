using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// Builds each <see cref="RootVariant"/> once and keeps it, read-only by convention, for every
/// later test and test run. Tests never touch these directories: they work on copies
/// (<see cref="DebianRoot"/>).
/// </summary>
/// <remarks>
/// Layout under <see cref="CacheDirectory"/>:
/// <c>roots/NAME-KEY/</c> (the root), <c>roots/NAME-KEY.stamp</c> (written last, so a root
/// without a stamp is an interrupted build and is rebuilt) and, once piuparts asked for it,
/// <c>roots/NAME-KEY.tar.gz</c> (<see cref="GetTarball"/>). KEY hashes the suite, the mirror and
/// the variant's recipe, so changing any of them builds a new root instead of reusing a wrong one.
/// A build goes to a directory named after the building process and is renamed into place;
/// two test runs racing build twice but never see half a root.
/// </remarks>
public static class DebianRootCache
{
    public const string Suite = "bookworm";
    public const string CacheVariable = "CONSUL_PKG_TEST_CACHE";
    private const string DefaultCacheDirectory = "/var/cache/consul-pkg-tests";
    private const string BuildPrefix = ".build-";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string> Ready = new(StringComparer.Ordinal);
    private static readonly TimeSpan DebootstrapTimeout = TimeSpan.FromMinutes(15);

    public static string CacheDirectory =>
        System.Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : DefaultCacheDirectory;

    /// <summary>How long each variant took to get ready in this process: built (cold) or found (cached).</summary>
    public static IReadOnlyList<string> Timings
    {
        get
        {
            lock (Gate)
            {
                return [.. TimingLog];
            }
        }
    }

    private static List<string> TimingLog { get; } = [];

    /// <summary>The path of the cached root for <paramref name="variant"/>, building it when missing.</summary>
    public static string GetBase(RootVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        lock (Gate)
        {
            if (Ready.TryGetValue(variant.Name, out var known))
            {
                return known;
            }

            var path = Prepare(variant);
            Ready[variant.Name] = path;
            return path;
        }
    }

    /// <summary>
    /// The cached root for <paramref name="variant"/> packed as a gzip tarball (piuparts' base
    /// tarball, <c>-b</c>), made once beside it: <c>roots/NAME-KEY.tar.gz</c>, written under a
    /// temporary name and renamed, so it is complete whenever it exists.
    /// </summary>
    public static string GetTarball(RootVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var root = GetBase(variant);
        lock (Gate)
        {
            var tarball = root + ".tar.gz";
            if (File.Exists(tarball))
            {
                return tarball;
            }

            var stopwatch = Stopwatch.StartNew();
            var partial = $"{tarball}.{Environment.ProcessId}.tmp";
            try
            {
                ProcessRunner.Run("tar", "--one-file-system", "-C", root, "-czf", partial, ".").EnsureSuccess();
                File.Move(partial, tarball, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }

            Log($"root {variant.Name}: packed as {tarball} in {stopwatch.Elapsed.TotalSeconds:F1} s");
            return tarball;
        }
    }

    private static string Prepare(RootVariant variant)
    {
        var mirror = AptSources.FindMirror(Suite);
        var roots = Path.Combine(CacheDirectory, "roots");
        Directory.CreateDirectory(roots);
        RemoveAbandonedBuilds(roots);

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{Suite}\n{mirror.Uri}\n{variant.Describe()}")))[..12];
        var final = Path.Combine(roots, $"{variant.Name}-{key}");
        var stamp = final + ".stamp";
        var stopwatch = Stopwatch.StartNew();

        if (File.Exists(stamp) && Directory.Exists(final))
        {
            Log($"root {variant.Name}: cached at {final} ({File.ReadAllText(stamp).Trim()}), ready in {stopwatch.Elapsed.TotalSeconds:F1} s");
            return final;
        }

        if (Directory.Exists(final))
        {
            // Renamed into place but never stamped: an interrupted build.
            Remove(final);
        }

        var build = Path.Combine(roots, $"{BuildPrefix}{Environment.ProcessId}-{variant.Name}-{key}");
        Remove(build);
        try
        {
            if (variant.Parent is null)
            {
                Debootstrap(variant, mirror, build);
            }
            else
            {
                Copy.Tree(GetBase(variant.Parent), build);
                if (variant.Purge.Count > 0)
                {
                    Chroot.Run(build, ["dpkg", "--purge", "--force-depends", .. variant.Purge]).EnsureSuccess();
                }
            }

            if (Directory.Exists(final))
            {
                Remove(build); // another test run finished the same root first
            }
            else
            {
                Directory.Move(build, final);
            }
        }
        catch
        {
            Remove(build);
            throw;
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        File.WriteAllText(stamp + ".tmp", string.Create(CultureInfo.InvariantCulture,
            $"{variant.Describe()} from {mirror.Uri}, built in {seconds:F1} s\n"));
        File.Move(stamp + ".tmp", stamp, overwrite: true);
        Log($"root {variant.Name}: built cold in {seconds:F1} s at {final}");
        return final;
    }

    private static void Debootstrap(RootVariant variant, DebianMirror mirror, string target)
    {
        var arguments = new List<string> { "--variant=minbase" };
        if (variant.Include.Count > 0)
        {
            arguments.Add("--include=" + string.Join(',', variant.Include));
        }

        if (mirror.SignedBy is not null && File.Exists(mirror.SignedBy))
        {
            // Verify the archive with the key apt itself trusts for this mirror.
            arguments.Add("--keyring=" + mirror.SignedBy);
        }

        arguments.AddRange([Suite, target, mirror.Uri.ToString()]);
        ProcessRunner.Run("debootstrap", arguments, timeout: DebootstrapTimeout).EnsureSuccess();
    }

    /// <summary>Build directories left by test processes that no longer exist.</summary>
    private static void RemoveAbandonedBuilds(string roots)
    {
        foreach (var directory in Directory.EnumerateDirectories(roots, BuildPrefix + "*"))
        {
            var name = Path.GetFileName(directory)[BuildPrefix.Length..];
            var pid = name.Split('-')[0];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !Directory.Exists($"/proc/{id}"))
            {
                Remove(directory);
            }
        }
    }

    internal static void Remove(string directory)
    {
        if (Directory.Exists(directory))
        {
            // --one-file-system: never descend into anything mounted below, should a mount exist.
            ProcessRunner.Run("rm", "-rf", "--one-file-system", "--", directory).EnsureSuccess();
        }
    }

    private static void Log(string line)
    {
        TimingLog.Add(line);
        TestContext.Progress.WriteLine(line);
    }
}
