using System.Text;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Cli.Tests.DpkgDeb;

/// <summary>
/// dpkg's reading of control files (lib/dpkg/parse.c, fields.c, dump.c, pkg-format.c) through
/// -f, -W and -I on control files that exercise it: obsolete fields renamed, versions and
/// relations rewritten, booleans, priorities, user fields, continuation lines, and the syntax
/// dpkg refuses. Each is compared with the real dpkg-deb: exit status, output, stderr lines.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DpkgDebControlFieldTests
{
    private const string Base = "Package: p\nVersion: 1.0\nArchitecture: all\nMaintainer: M <m@example.org>\nDescription: d\n";

    private static readonly (string Name, string Control)[] Controls =
    [
        ("plain", Base),
        ("obsolete-revision", "Package: p\nVersion: 1.0\nRevision: 3\nArchitecture: all\nMaintainer: M <m@example.org>\nDescription: d\n"),
        ("revision-before-version", "Package: p\nRevision: 3\nVersion: 1.0-2\nArchitecture: all\nMaintainer: M <m@example.org>\nDescription: d\n"),
        ("revision-after-revisioned-version", "Package: p\nVersion: 1.0-2\nPackage-Revision: 3\nArchitecture: all\nMaintainer: M <m@example.org>\nDescription: d\n"),
        ("package_revision", Base.Replace("Version: 1.0\n", "Version: 2\nPackage_Revision: 9\n", StringComparison.Ordinal)),
        ("recommended-optional-class", Base + "Recommended: a, b (>= 1)\nRecommends: c\nOptional: d | e (<< 2)\nClass: IMPORTANT\n"),
        ("class-and-priority", Base + "Class: extra\nPriority: required\n"),
        ("user-priority", Base + "Priority: whenever\n"),
        ("priority-unknown", Base + "Priority: unknown\n"),
        ("priority-junk", Base + "Priority: optional-ish\n"),
        ("essential-yes", Base + "Essential: Yes\nProtected: no\n"),
        ("essential-junk", Base + "Essential: yesterday\n"),
        ("multiarch-same", Base.Replace("all", "amd64", StringComparison.Ordinal) + "Multi-Arch: same\n"),
        ("multiarch-same-all", Base + "Multi-Arch: same\n"),
        ("foreign-arch", Base.Replace("all", "arm64", StringComparison.Ordinal)),
        ("epochs", Base.Replace("1.0", "0:1:2-3", StringComparison.Ordinal) + "Depends: a (>= 0:1.0), b (= 00:2), c (<= 1:0)\n"),
        ("relations", Base + "Depends: A (>=1),b:any(<<2)  ,  c | d:native (>> 0.1~rc1) | e\nPre-Depends: x (= 1)\nBreaks: y (> 2)\nProvides: v (= 1), w (>= 2)\nConflicts: z\nReplaces: z (< 3)\nEnhances: q\n"),
        ("implicit-exact", Base + "Depends: a (1.0)\n"),
        ("version-starts-oddly", Base + "Depends: a (>=~1)\n"),
        ("bad-relation", Base + "Depends: a (>< 1)\n"),
        ("alternatives-in-conflicts", Base + "Conflicts: a | b\n"),
        ("unterminated-version", Base + "Depends: a (>= 1\n"),
        ("bad-package-name", Base + "Depends: a_b, -c\n"),
        ("uppercase-name", Base.Replace("Package: p", "Package: Upper.Case+Name", StringComparison.Ordinal)),
        ("bad-version", Base.Replace("1.0", "a1.0", StringComparison.Ordinal)),
        ("empty-revision", Base.Replace("1.0", "1.0-", StringComparison.Ordinal)),
        ("version-with-space", Base.Replace("1.0", "1.0 2", StringComparison.Ordinal)),
        ("missing-version", "Package: p\nArchitecture: all\n"),
        ("missing-package", "Version: 1\nArchitecture: all\n"),
        ("missing-architecture-and-description", "Package: p\nVersion: 1\n"),
        ("empty-description", "Package: p\nVersion: 1\nArchitecture: all\nDescription:\nMaintainer: m\n"),
        ("bad-architecture", Base.Replace("all", "amd_64", StringComparison.Ordinal)),
        ("status-refused", Base + "Status: install ok installed\n"),
        ("config-version-refused", Base + "Config-Version: 1\n"),
        ("conffiles-field", Base + "Conffiles:\n /etc/a 0123456789abcdef0123456789abcdef\n /etc/b 0123 obsolete\n"),
        ("conffiles-malformed", Base + "Conffiles:\n/etc/a\n"),
        ("archive-fields", Base + "Filename: pool/p.deb\nSize: 10\nMD5sum: abc\n"),
        ("archive-fields-mismatch", Base + "Filename: a b\nSize: 10\n"),
        ("user-fields", Base + "X-One: first\n second\n .\n third\nXS-Two:   padded   \nBugs: mailto:b@example.org\nHomepage: https://example.org/\nSource: src (1:2.0-1)\n"),
        ("source-version-bad", Base + "Source: src (x y)\n"),
        ("continuations", "Package: p\nVersion: 1.0\nArchitecture: all\nMaintainer: M\nDescription: short\n long line\n .\n \tindented\n"),
        ("trailing-blanks", "Package: p  \nVersion:  1.0 \t\nArchitecture: all\nMaintainer: M\nDescription: d\n"),
        ("no-final-newline", Base.TrimEnd('\n')),
        ("leading-newlines", "\n\n" + Base),
        ("two-stanzas", Base + "\nPackage: q\nVersion: 1\n"),
        ("blank-line-in-value", "Package: p\nDescription: a\n \n b\nVersion: 1\n"),
        ("duplicate-field", Base + "Version: 2\n"),
        ("duplicate-user-field", Base + "X-A: 1\nx-a: 2\n"),
        ("short-user-field", Base + "X: 1\n"),
        ("hyphen-field", Base + "-X: 1\n"),
        ("no-colon", Base + "Broken line\n"),
        ("space-before-colon", "Package : p\nVersion: 1\nArchitecture: all\n"),
        ("continuation-first", " Package: p\n"),
        ("msdos-eof", Base + "\x1a"),
        ("empty-file", ""),
        ("case-insensitive-names", "PACKAGE: p\nversion: 1.0\narchitecture: all\nmaintainer: m\ndescription: d\nDEPENDS: a\n"),
        ("latin1-bytes", "Package: p\nVersion: 1\nArchitecture: all\nMaintainer: Andr\u00e9 <a@example.org>\nDescription: caf\u00e9\n"),
    ];

    private static readonly string[][] Operations =
    [
        ["-f", "P"],
        ["-f", "P", "Version"],
        ["-f", "P", "Package", "Version", "Architecture", "Depends", "Recommends", "Suggests", "Priority", "Essential", "Protected", "Multi-Arch", "Description", "Revision", "Class", "Status", "Conffiles", "Filename", "Size", "X-One", "xs-two", "Source"],
        ["-f", "P", "Priority"],
        ["-f", "P", "Essential"],
        ["-f", "P", "Multi-Arch"],
        ["-W", "P"],
        ["-W", "--showformat=${binary:Package}|${source:Package}|${source:Version}|${source:Upstream-Version}|${Version;-9}|${Priority;4}|${binary:Summary}|${Depends}\\n", "P"],
        ["-I", "P"],
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Controls.Select(c => new TestCaseData(c.Name).SetName($"ControlFields_{c.Name}"));

    [TestCaseSource(nameof(Cases))]
    public void ReadsTheControlFileAsDpkgDoes(string name)
    {
        string control = Array.Find(Controls, c => c.Name == name).Control;
        // Written as bytes: "latin1-bytes" is one byte per character, not UTF-8.
        byte[] bytes = name == "latin1-bytes" ? Encoding.Latin1.GetBytes(control) : Encoding.UTF8.GetBytes(control);
        byte[] controlTar = new RawTarBuilder().Add("./", '5', 0x1ed).Add("./control", data: bytes).Build();
        byte[] dataTar = new RawTarBuilder().Add("./", '5', 0x1ed).Build();
        string deb = Path.Combine(DpkgDebCorpus.Instance.Sandbox("control-" + name), "source.deb");
        File.WriteAllBytes(deb, RawAr.Build(("debian-binary", RawAr.DebianBinary), ("control.tar", controlTar), ("data.tar", dataTar)));
        foreach (string[] operation in Operations)
        {
            DpkgDebComparisonTests.AssertSame(deb, operation, stdin: false, failureHint: $"\n control file:\n{control}");
        }
    }

    /// <summary>Usage errors and the texts dpkg-deb prints itself.</summary>
    private static IEnumerable<TestCaseData> CommandLines()
    {
        string[][] lines =
        [
            ["--help"], ["-?"], ["--version"], [], ["--bogus"], ["-q"], ["-c"], ["-c", "a", "b"], ["-I"], ["-x", "P"],
            ["-x", "P", "d", "e"], ["-e", "P", "d", "e"], ["-b"], ["-b", "a", "b", "c"], ["-c", "-I", "P"], ["--contents", "--info", "P"],
            ["-Zbzip2", "-c", "P"], ["-Zlzma", "-c", "P"], ["-Zbrotli", "-c", "P"], ["-z10", "-c", "P"], ["-Zzstd", "-z23", "-c", "P"],
            ["-zx", "-c", "P"], ["-z-1", "-c", "P"], ["-Sextreme", "-Zgzip", "-c", "P"], ["-Sfast", "-c", "P"], ["--deb-format=3.0", "-c", "P"],
            ["--deb-format=0.939", "-c", "P"], ["--threads-max=x", "-c", "P"], ["--threads-max", "2", "-c", "P"], ["--debug=1", "-c", "P"],
            ["-D", "-v", "-c", "P"], ["--showformat", "${Package}\\n", "-W", "P"], ["-W", "--showformat=${Package", "P"], ["-W", "--showformat=", "P"],
            ["-W", "--showformat=${Package;x}", "P"], ["-W", "--showformat=${Package;0x8}|${Version;-010}|\\", "P"], ["-cZxz", "P"],
            ["-Z", "none", "-c", "P"], ["-c", "--", "P"], ["--", "-c", "P"], ["P", "-c"], ["--ctrl-tarfile"], ["--fsys-tarfile", "P", "Q"],
            ["-R", "-", "out"], ["-c", "no-such.deb"], ["--control", "no-such.deb"],
        ];
        return lines.Select(l => new TestCaseData((object)l).SetName("CommandLine_" + (l.Length == 0 ? "(none)" : string.Join("_", l))));
    }

    [TestCaseSource(nameof(CommandLines))]
    public void AnswersACommandLineAsDpkgDebDoes(string[] line) =>
        DpkgDebComparisonTests.AssertSame(DpkgDebCorpus.Instance.Packages["varied-xz"], line, stdin: false);
}
