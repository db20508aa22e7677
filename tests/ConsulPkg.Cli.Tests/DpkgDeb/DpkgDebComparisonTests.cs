using System.Text;

namespace ConsulPkg.Cli.Tests.DpkgDeb;

/// <summary>
/// Every reading operation of <c>consul-pkg dpkg-deb</c> against the real dpkg-deb on every
/// package of <see cref="DpkgDebCorpus"/>, from a file and from standard input: the same exit
/// status; when both succeed, the same bytes on standard output, as many lines on standard
/// error, and the same extracted tree (names, types, modes, owners, sizes, times, links,
/// contents).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DpkgDebComparisonTests
{
    private const string ShowFormat =
        "${binary:Package};${source:Package} ${source:Version} ${source:Upstream-Version} [${Package;-14}|${Version;6}|${Architecture;-3}]" +
        "${db:Status-Abbrev}${Status}\\n${Description}\\t${binary:Synopsis}\\n${Depends}\\\\${Essential}${Priority}${X-Custom}${Revision}\\n";

    /// <summary>(name, arguments with P for the package and OUT for a directory to extract into, whether standard input carries the package).</summary>
    private static readonly (string Name, string[] Args, bool Stdin)[] Operations =
    [
        ("contents", ["-c", "P"], false),
        ("info", ["-I", "P"], false),
        ("info-members", ["-I", "P", "control", "./postinst"], false),
        ("info-missing-member", ["-I", "P", "control", "no-such-file"], false),
        ("field-all", ["-f", "P"], false),
        ("field-one", ["--field", "P", "Version"], false),
        ("field-obsolete", ["-f", "P", "Revision"], false),
        ("fields", ["-f", "P", "Package", "Version", "Depends", "Revision", "Recommends", "Suggests", "X-Custom", "Priority", "Essential", "Status", "Installed-Size", "Source", "Multi-Arch", "Conffiles", "Filename", "no-such"], false),
        ("show", ["-W", "P"], false),
        ("show-format", ["--show", "--showformat=" + ShowFormat, "P"], false),
        ("ctrl-tarfile", ["--ctrl-tarfile", "P"], false),
        ("fsys-tarfile", ["--fsys-tarfile", "P"], false),
        ("extract", ["-x", "P", "OUT"], false),
        ("vextract", ["-X", "P", "OUT"], false),
        ("verbose-extract", ["-v", "--extract", "P", "OUT"], false),
        ("control", ["-e", "P", "OUT"], false),
        ("control-default-directory", ["--control", "P"], false),
        ("raw-extract", ["-R", "P", "OUT"], false),
        ("stdin-contents", ["-c", "-"], true),
        ("stdin-info", ["-I", "-"], true),
        ("stdin-field", ["-f", "-", "Version", "Description"], true),
        ("stdin-show", ["-W", "-"], true),
        ("stdin-fsys-tarfile", ["--fsys-tarfile", "-"], true),
        ("stdin-ctrl-tarfile", ["--ctrl-tarfile", "-"], true),
        ("stdin-extract", ["-x", "-", "OUT"], true),
        ("stdin-control", ["-e", "-", "OUT"], true),
        ("stdin-raw-extract", ["-R", "-", "OUT"], true),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from package in DpkgDebCorpus.PackageNames
        from operation in Operations
        select new TestCaseData(package, operation.Name).SetName($"DpkgDeb_{operation.Name}_{package}");

    [TestCaseSource(nameof(Cases))]
    public void AnswersAsDpkgDebDoes(string package, string operation)
    {
        (string _, string[] template, bool stdin) = Array.Find(Operations, o => o.Name == operation);
        string deb = DpkgDebCorpus.Instance.Packages[package];
        AssertSame(deb, template, stdin);
    }

    /// <summary>Runs both in sandboxes holding the package as "pkg.deb"; compares what they print and extract.</summary>
    internal static void AssertSame(string deb, string[] template, bool stdin, string? failureHint = null)
    {
        string[] args = template.Select(a => a == "P" ? "pkg.deb" : a == "OUT" ? "out" : a).ToArray();
        byte[]? input = stdin ? File.ReadAllBytes(deb) : null;
        string theirsDirectory = DpkgDebCorpus.Instance.Sandbox("theirs");
        string oursDirectory = DpkgDebCorpus.Instance.Sandbox("ours");
        foreach (string directory in new[] { theirsDirectory, oursDirectory })
        {
            File.Copy(deb, Path.Combine(directory, "pkg.deb"));
        }
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        Outcome theirs = DpkgDebRunner.Theirs(theirsDirectory, args, input);
        Outcome ours = DpkgDebRunner.Ours(oursDirectory, args, input);
        string context = $"dpkg-deb {string.Join(' ', args)}{(stdin ? " < pkg.deb" : "")}\n theirs: {theirs}\n ours: {ours}{failureHint}";

        Assert.That(ours.ExitCode, Is.EqualTo(theirs.ExitCode), context);
        Assert.That(Encoding.UTF8.GetString(ours.Stdout), Is.EqualTo(Encoding.UTF8.GetString(theirs.Stdout)), context);
        Assert.That(ours.Stdout, Is.EqualTo(theirs.Stdout), context);
        if (theirs.ExitCode == 0)
        {
            Assert.That(ours.StderrLines, Is.EqualTo(theirs.StderrLines), context);
            foreach (string extracted in new[] { "out", "DEBIAN" })
            {
                Assert.That(DpkgDebRunner.DescribeTree(Path.Combine(oursDirectory, extracted), now),
                    Is.EqualTo(DpkgDebRunner.DescribeTree(Path.Combine(theirsDirectory, extracted), now)), $"{extracted}/: {context}");
            }
        }
        else
        {
            Assert.That(ours.StderrLines, Is.GreaterThanOrEqualTo(1), "an error says why: " + context);
        }
        DpkgDebRunner.Remove(theirsDirectory);
        DpkgDebRunner.Remove(oursDirectory);
    }
}
