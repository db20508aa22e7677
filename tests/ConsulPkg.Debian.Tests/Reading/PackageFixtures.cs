using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary>
/// Staged trees and the packages the real dpkg-deb builds from them, shared by the reading tests.
/// Built once per test run, removed at the end.
/// </summary>
internal sealed class PackageFixtures : IDisposable
{
    public const long SourceDateEpoch = 1700000000;

    public static readonly string[] Compressions = ["gzip", "xz", "zstd", "none"];

    public static readonly string[] Zones = ["UTC", "Asia/Kolkata", "America/St_Johns"];

    private static readonly Lazy<PackageFixtures> Shared = new(() => new PackageFixtures());

    private readonly TempDirectory _temp = new();

    private PackageFixtures()
    {
        Tree = _temp.Combine("tree");
        BuildVariedTree(Tree);
        foreach (string compression in Compressions)
        {
            string deb = _temp.Combine($"varied-{compression}.deb");
            ProcessRunner.Run("dpkg-deb", ["--root-owner-group", "-Z", compression, "-b", Tree, deb],
                environment: new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = SourceDateEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture) }).EnsureSuccess();
            Packages[compression] = deb;
        }
    }

    public static PackageFixtures Instance => Shared.Value;

    public static void DisposeIfCreated()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Dispose();
        }
    }

    public string Tree { get; }

    public Dictionary<string, string> Packages { get; } = [];

    public string NewPath(string name) => _temp.Combine(name);

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A tree exercising what a listing must get right: long names, non-ASCII and escaped
    /// characters, symlinks, a hard link, empty directories, setuid/sticky/odd modes, /etc files,
    /// maintainer scripts, and mtimes on both sides of the clamp and of DST changes.
    /// </summary>
    private static void BuildVariedTree(string root)
    {
        string longDir = string.Join('/', Enumerable.Range(0, 6).Select(i => $"level-{i}-" + new string('d', 20)));
        string longName = new('n', 120);
        var files = new (string Path, string Content, UnixFileMode Mode, long Mtime)[]
        {
            ("DEBIAN/control", "Package: varied\nVersion: 1:2.3-4\nArchitecture: all\nMaintainer: Tester <t@example.org>\nInstalled-Size: 12\nDepends: libc6 (>= 2.36), adduser\nSection: admin\nPriority: optional\nHomepage: https://example.org/\nX-Custom: first line\n second line\nDescription: varied tree for reader tests\n A long description.\n .\n Second paragraph.\n", Mode(0x1a4), 0),
            ("DEBIAN/postinst", "#!/bin/sh -e\n# configure\nexit 0\n", Mode(0x1ed), 0),
            ("DEBIAN/prerm", "#!/usr/bin/env bash\nexit 0\n", Mode(0x1ed), 0),
            ("DEBIAN/conffiles", "/etc/consul.d/server.json\n/etc/default/varied\n", Mode(0x1a4), 0),
            ("etc/consul.d/server.json", "{\"server\": true}\n", Mode(0x1a0), 1480956787),
            ("etc/default/varied", "OPTS=\n", Mode(0x1a4), 1111111111),
            ("usr/bin/tool", new string('x', 5000), Mode(0x1ed), 1480956787),
            ("usr/bin/suid-tool", "#!/bin/sh\n", Mode(0x9ed), 1480956787),
            ("usr/share/varied/readonly", "r\n", Mode(0x124), 946684799),
            ("usr/share/varied/private", "p\n", Mode(0x180), 1711846800),
            ($"usr/share/varied/{longDir}/{longName}", "long\n", Mode(0x1a4), 1480956787),
            ("usr/share/varied/café/ñandú.txt", "utf8\n", Mode(0x1a4), 1480956787),
            ("usr/share/varied/with space/tab\tand\\backslash\"quote'", "odd\n", Mode(0x1a4), 1480956787),
            ("usr/share/varied/zero-width\u200bspace", "", Mode(0x1a4), 1480956787),
        };
        foreach ((string path, string content, UnixFileMode mode, long mtime) in files)
        {
            string full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            File.SetUnixFileMode(full, mode);
            if (mtime != 0)
            {
                File.SetLastWriteTimeUtc(full, DateTime.UnixEpoch.AddSeconds(mtime));
            }
        }
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/tool-link"), "tool");
        File.CreateSymbolicLink(Path.Combine(root, "usr/share/varied/to-etc"), "/etc/consul.d");
        ProcessRunner.Run("ln", [Path.Combine(root, "usr/bin/tool"), Path.Combine(root, "usr/bin/tool-hardlink")]).EnsureSuccess();
        Directory.CreateDirectory(Path.Combine(root, "var/lib/varied/empty"));
        File.SetUnixFileMode(Path.Combine(root, "var/lib/varied/empty"), Mode(0x1c0));
        Directory.CreateDirectory(Path.Combine(root, "var/tmp/sticky"));
        File.SetUnixFileMode(Path.Combine(root, "var/tmp/sticky"), Mode(0x3ff));
        foreach (string dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            if (!dir.EndsWith("empty", StringComparison.Ordinal) && !dir.EndsWith("sticky", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(dir, Mode(0x1ed));
            }
            Directory.SetLastWriteTimeUtc(dir, DateTime.UnixEpoch.AddSeconds(1480956787));
        }
    }

    private static UnixFileMode Mode(int bits) => (UnixFileMode)bits;
}

[SetUpFixture]
public sealed class ReadingSetUp
{
    [OneTimeTearDown]
    public void CleanUp() => PackageFixtures.DisposeIfCreated();
}
