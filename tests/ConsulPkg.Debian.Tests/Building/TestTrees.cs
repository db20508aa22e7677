using System.Text;

namespace ConsulPkg.Debian.Tests.Building;

/// <summary>Specs that exercise what a data.tar can hold.</summary>
internal static class TestTrees
{
    public static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_480_956_780);

    public static ControlFile Control(string name = "sample", string version = "1.2.3-1") => new()
    {
        Package = name,
        Version = DebianVersion.Parse(version),
        Architecture = "amd64",
        Maintainer = "Sample Maintainer <maint@example.org>",
        Homepage = "https://example.org/sample",
        License = "MPL-2.0",
        Vendor = "Example",
        Section = "admin",
        Priority = "optional",
        Description = "sample package for tests\nIt has an extended description.\n\nWith a blank line.",
    };

    /// <summary>Long names, non-ASCII names, symlinks, empty dirs, odd modes, an /etc conffile, a hard link.</summary>
    public static DebPackageSpec Varied(string sourceDir)
    {
        string binary = Path.Combine(sourceDir, "tool");
        File.WriteAllBytes(binary, Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7 % 251)).ToArray());
        string longDir = "/usr/share/sample/" + new string('d', 80) + "/" + new string('e', 60);
        return new DebPackageSpec
        {
            Control = Control(),
            Timestamp = Epoch,
            Entries =
            [
                PackageEntry.FromFile("/usr/bin/tool", binary, 0b111_101_101),
                PackageEntry.FromBytes("/etc/sample/sample.json", "{\"a\": 1}\n"u8.ToArray()) with { Group = "nogroup", Gid = 65534, Mode = 0b110_100_000 },
                PackageEntry.FromBytes(longDir + "/" + new string('f', 120) + ".txt", "long\n"u8.ToArray()),
                PackageEntry.FromBytes("/usr/share/sample/caf\u00e9-\u00fcber.txt", Encoding.UTF8.GetBytes("accents\n")),
                PackageEntry.Symlink("/usr/sbin/tool", "../bin/tool"),
                PackageEntry.Symlink("/usr/share/sample/long-link", "/" + new string('t', 150)),
                PackageEntry.Directory("/var/lib/sample", 0b111_101_000) with { Owner = "nobody", Uid = 65534 },
                PackageEntry.Directory("/usr/share/sample/empty"),
                PackageEntry.FromBytes("/usr/share/sample/setuid-like", "x\n"u8.ToArray(), 0b100_111_101_101),
                new PackageEntry { Path = "/usr/share/sample/hard", Kind = EntryKind.HardLink, LinkTarget = "/usr/share/sample/setuid-like" },
            ],
            Scripts = new Dictionary<MaintainerScript, ReadOnlyMemory<byte>>
            {
                [MaintainerScript.Postinst] = "#!/bin/sh\nset -e\nexit 0\n"u8.ToArray(),
                [MaintainerScript.Prerm] = "#!/bin/sh\nexit 0\n"u8.ToArray(),
            },
            Documentation = DocumentationOptions.Default,
        };
    }
}
