using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Cli.Tests.DpkgDeb;

/// <summary>
/// The packages the dpkg-deb comparisons read: built by the real dpkg-deb from two trees (one
/// with every kind of file GNU tar archives, odd names, owners without names, devices, hard and
/// long links; one with dpkg's obsolete and unusual control fields) in each compression, with
/// and without --root-owner-group, in the old 0.939000 format, with debsigs-style '_' members,
/// the same trees built by our own dpkg-deb -b, and the fpm compatibility fixture. Made once
/// per test run (root is needed for devices and owners), removed at the end.
/// </summary>
internal sealed class DpkgDebCorpus : IDisposable
{
    private static readonly Lazy<DpkgDebCorpus> Shared = new(() => new DpkgDebCorpus());

    private readonly string _root;

    private DpkgDebCorpus()
    {
        _root = Directory.CreateTempSubdirectory("consul-pkg-dpkgdeb-").FullName;
        VariedTree = Path.Combine(_root, "varied");
        OddTree = Path.Combine(_root, "odd");
        BuildVariedTree(VariedTree);
        BuildOddTree(OddTree);

        foreach (string compression in new[] { "gzip", "xz", "zstd", "none" })
        {
            Packages[$"varied-{compression}"] = DpkgBuild(VariedTree, $"varied-{compression}.deb", "-Z" + compression);
        }
        Packages["varied-root-owner"] = DpkgBuild(VariedTree, "varied-root-owner.deb", "--root-owner-group");
        Packages["odd-xz"] = DpkgBuild(OddTree, "odd-xz.deb");
        Packages["odd-old-format"] = DpkgBuild(OddTree, "odd-old-format.deb", "--deb-format=0.939000", "-Zgzip");
        Packages["varied-old-format"] = DpkgBuild(VariedTree, "varied-old-format.deb", "--deb-format=0.939000", "-Zgzip");
        Packages["varied-signed"] = WithSignatures(Packages["varied-gzip"], "varied-signed.deb");
        foreach (string compression in new[] { "gzip", "zstd", "none" })
        {
            string ours = Path.Combine(_root, $"ours-{compression}.deb");
            Outcome built = DpkgDebRunner.Ours(_root, ["-Z" + compression, "-b", VariedTree, ours]);
            Assert.That(built.ExitCode, Is.Zero, built.ToString());
            Packages[$"ours-{compression}"] = ours;
        }
        Packages["fpm-fixture"] = Path.Combine(RepositoryRoot.Find(), "tests/ConsulPkg.Cli.Tests/FpmCompatibility/fixture/debs/tool_1.0-1_amd64.deb");
    }

    public static DpkgDebCorpus Instance => Shared.Value;

    /// <summary>Every package by a short name, for test case names.</summary>
    public Dictionary<string, string> Packages { get; } = new(StringComparer.Ordinal);

    public string VariedTree { get; }

    public string OddTree { get; }

    public static IEnumerable<string> PackageNames =>
    [
        "varied-gzip", "varied-xz", "varied-zstd", "varied-none", "varied-root-owner", "odd-xz", "odd-old-format",
        "varied-old-format", "varied-signed", "ours-gzip", "ours-zstd", "ours-none", "fpm-fixture",
    ];

    public static void DisposeIfCreated()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Dispose();
        }
    }

    /// <summary>A fresh directory for one test's runs, removed with the corpus.</summary>
    public string Sandbox(string name)
    {
        string path = Path.Combine(_root, "sandbox", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => DpkgDebRunner.Remove(_root);

    private string DpkgBuild(string tree, string name, params string[] options)
    {
        string deb = Path.Combine(_root, name);
        Outcome built = DpkgDebRunner.Theirs(_root, [.. options, "-b", tree, deb]);
        Assert.That(built.ExitCode, Is.Zero, built.ToString());
        return deb;
    }

    /// <summary>The package with a debsigs signature member before the control member and another after the data, as dpkg-deb skips them.</summary>
    private string WithSignatures(string source, string name)
    {
        List<(string Name, byte[] Data)> members = ArMembers(File.ReadAllBytes(source));
        byte[] signature = Encoding.ASCII.GetBytes("-----BEGIN PGP SIGNATURE-----\nnot really\n-----END PGP SIGNATURE-----\n");
        members.Insert(1, ("_gpgorigin", signature));
        members.Add(("_gpgbuilder", signature[..41]));
        string path = Path.Combine(_root, name);
        File.WriteAllBytes(path, RawAr.Build([.. members]));
        return path;
    }

    /// <summary>The members of an ar archive as dpkg-deb wrote it.</summary>
    public static List<(string Name, byte[] Data)> ArMembers(byte[] deb)
    {
        var members = new List<(string, byte[])>();
        int pos = 8;
        while (pos + 60 <= deb.Length)
        {
            string name = Encoding.ASCII.GetString(deb, pos, 16).TrimEnd(' ').TrimEnd('/');
            int size = int.Parse(Encoding.ASCII.GetString(deb, pos + 48, 10).Trim(), CultureInfo.InvariantCulture);
            members.Add((name, deb.AsSpan(pos + 60, size).ToArray()));
            pos += 60 + size + (size % 2);
        }
        return members;
    }

    private static void BuildVariedTree(string root)
    {
        Write(root, "DEBIAN/control", 0x1a4,
            "Package: varied\nVersion: 1:2.3-4\nArchitecture: amd64\nMaintainer: Tester <t@example.org>\nInstalled-Size: 12\n" +
            "Pre-Depends: dpkg (>= 1.19)\nDepends: libc6 (>= 2.36), adduser | passwd, foo:any (<< 3)\nRecommends: bar\n" +
            "Section: admin\nPriority: optional\nHomepage: https://example.org/\nMulti-Arch: foreign\nEssential: no\n" +
            "X-Custom: first line\n second line\nDescription: varied tree for dpkg-deb parity\n A long description.\n .\n Second paragraph.\n");
        Write(root, "DEBIAN/postinst", 0x1ed, "#!/bin/sh -e\n# configure\nexit 0\n");
        Write(root, "DEBIAN/prerm", 0x1ed, "#!/usr/bin/env bash\nexit 0\n");
        Write(root, "DEBIAN/config", 0x1c0 | 0x2d, "#!/bin/sh\n");
        Write(root, "DEBIAN/conffiles", 0x1a4, "/etc/varied/main.conf\n/etc/varied/other.conf\nremove-on-upgrade /etc/varied/gone.conf\n");
        Write(root, "DEBIAN/triggers", 0x180, "interest-noawait /usr/share/varied\n");
        Write(root, "DEBIAN/templates", 0x1b4, "Template: varied/question\nType: boolean\n");
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN/extra.d"));
        Write(root, "DEBIAN/extra.d/nested", 0x1a4, "nested control-area file\n");

        Write(root, "etc/varied/main.conf", 0x1a0, "key=value\n", 1480956787);
        Write(root, "etc/varied/other.conf", 0x1a4, "other=1\n", 1111111111);
        Write(root, "usr/bin/tool", 0x1ed, new string('x', 5000), 1480956787);
        Write(root, "usr/bin/suid-tool", 0x9ed, "#!/bin/sh\n", 1480956787);
        Write(root, "usr/bin/sgid-tool", 0x5ed, "#!/bin/sh\n", 1800000000);
        Write(root, "usr/share/varied/readonly", 0x124, "r\n", 946684799);
        string longDirectory = string.Join('/', Enumerable.Range(0, 4).Select(i => $"level-{i}-" + new string('d', 30)));
        Write(root, $"usr/share/varied/{longDirectory}/{new string('n', 120)}", 0x1a4, "long\n", 1480956787);
        Write(root, "usr/share/varied/café/ñandú.txt", 0x1a4, "utf8\n", 1480956787);
        Write(root, "usr/share/varied/with space/tab\tand\\backslash\"quote'", 0x1a4, "odd\n", 1480956787);
        Write(root, "usr/share/varied/numeric-owner", 0x1a4, "numbers\n", 1480956787);
        Write(root, "usr/share/varied/daemon-owned", 0x1a4, "daemon\n", 1480956787);
        Write(root, "usr/share/varied/empty", 0x1a4, "", 1480956787);
        Write(root, "DEBIANfoo", 0x1a4, "left out by dpkg-deb's prefix match\n", 1480956787);
        // A name that is not UTF-8, made from its bytes.
        ProcessRunner.Run("sh", ["-c", "printf 'latin1\\n' > \"$(printf 'usr/share/varied/caf\\351')\""], workingDirectory: root).EnsureSuccess();

        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/tool-link"), "tool");
        File.CreateSymbolicLink(Path.Combine(root, "usr/share/varied/to-etc"), "/etc/varied");
        File.CreateSymbolicLink(Path.Combine(root, "usr/share/varied/long-target"), "../../" + new string('t', 150));
        ProcessRunner.Run("ln", [Path.Combine(root, "usr/bin/tool"), Path.Combine(root, "usr/bin/tool-hardlink")]).EnsureSuccess();
        ProcessRunner.Run("ln", [Path.Combine(root, "usr/bin/tool"), Path.Combine(root, "usr/share/varied/" + new string('h', 110))]).EnsureSuccess();
        ProcessRunner.Run("mkfifo", ["-m", "0640", Path.Combine(root, "usr/share/varied/fifo")]).EnsureSuccess();
        Directory.CreateDirectory(Path.Combine(root, "var/lib/varied/empty"));
        File.SetUnixFileMode(Path.Combine(root, "var/lib/varied/empty"), (UnixFileMode)0x1c0);
        Directory.CreateDirectory(Path.Combine(root, "var/tmp/sticky"));
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(root, "usr/share/varied/socket")));
        }
        if (Environment.IsPrivilegedProcess)
        {
            ProcessRunner.Run("mknod", ["-m", "0600", Path.Combine(root, "usr/share/varied/null-device"), "c", "1", "3"]).EnsureSuccess();
            ProcessRunner.Run("mknod", ["-m", "0660", Path.Combine(root, "usr/share/varied/loop-device"), "b", "7", "200"]).EnsureSuccess();
            ProcessRunner.Run("chown", ["12345:23456", Path.Combine(root, "usr/share/varied/numeric-owner")]).EnsureSuccess();
            ProcessRunner.Run("chown", ["-h", "daemon:daemon", Path.Combine(root, "usr/share/varied/daemon-owned"), Path.Combine(root, "usr/bin/tool-link")]).EnsureSuccess();
        }
        foreach (string directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            if (!directory.EndsWith("empty", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(directory, (UnixFileMode)0x1ed);
            }
            Directory.SetLastWriteTimeUtc(directory, DateTime.UnixEpoch.AddSeconds(1480956787));
        }
        File.SetUnixFileMode(Path.Combine(root, "var/tmp/sticky"), (UnixFileMode)0x3ff);
    }

    private static void BuildOddTree(string root)
    {
        // dpkg renames obsolete fields, lowercases names, prints versions its own way, warns.
        Write(root, "DEBIAN/control", 0x1a4,
            "Package: Odd-Name\nVersion: 0:1.0\nRevision: 7\nArchitecture: all\nMaintainer: Andr\u00e9 <a@example.org>\n" +
            "Recommended: foo\nOptional: bar (< 2), baz (> 1.0)\nClass: Extra\nEssential: Yes\nSource: oddsrc (1.0-1)\n" +
            "Depends: a (=1.0), B(>=2), c\nProvides: virt (= 1.0)\nConflicts: old-odd\nReplaces: old-odd (<< 1:0)\n" +
            "Enhances: x\nBreaks: y (>> 0.1~rc1)\nX-Empty-Next: value   \nBugs: mailto:bugs@example.org\n" +
            "Description: odd control fields\n with continuation\n");
        Write(root, "usr/share/doc/odd/README", 0x1a4, "odd\n", 1480956787);
        foreach (string directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0x1ed);
        }
    }

    private static void Write(string root, string relative, int mode, string content, long mtime = 0)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        if (mtime != 0)
        {
            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(mtime));
        }
    }
}
