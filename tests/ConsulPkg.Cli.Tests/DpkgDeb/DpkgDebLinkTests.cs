using System.Runtime.InteropServices;
using System.Text;

namespace ConsulPkg.Cli.Tests.DpkgDeb;

/// <summary>
/// The executable run through a link named <c>dpkg-deb</c> is dpkg-deb: each operation once,
/// as a real process (the test's own build of the executable), against the real dpkg-deb.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DpkgDebLinkTests
{
    /// <summary>One command line per operation, for every executable that is dpkg-deb.</summary>
    internal static readonly string[][] Operations =
    [
        ["-c", "pkg.deb"],
        ["-I", "pkg.deb"],
        ["-I", "pkg.deb", "postinst"],
        ["-f", "pkg.deb", "Version", "Depends"],
        ["-W", "--showformat=${Package}_${Version}_${Architecture}\\n", "pkg.deb"],
        ["-e", "pkg.deb", "out"],
        ["-x", "pkg.deb", "out"],
        ["-X", "pkg.deb", "out"],
        ["-R", "pkg.deb", "out"],
        ["--ctrl-tarfile", "pkg.deb"],
        ["--fsys-tarfile", "pkg.deb"],
        ["-Znone", "-b", "TREE", "built.deb"],
        ["--version"],
        ["--help"],
        ["--no-such-option"],
    ];

    internal static IEnumerable<TestCaseData> Cases(string prefix) =>
        Operations.Select(o => new TestCaseData((object)o).SetName(prefix + "_" + string.Join("_", o.Where(a => !a.StartsWith("--showformat", StringComparison.Ordinal)))));

    private static IEnumerable<TestCaseData> LinkCases() => Cases("ThroughALinkNamedDpkgDeb");

    [TestCaseSource(nameof(LinkCases))]
    public void BehavesAsDpkgDeb(string[] operation) => AssertBehavesAsDpkgDeb(Link(), operation, Environment());

    /// <summary>
    /// Runs <paramref name="operation"/> with <paramref name="executable"/> (started by the name
    /// dpkg-deb) and with the real dpkg-deb, each in a sandbox holding the same package, and
    /// compares standard output, the number of lines on standard error, the exit status, the
    /// extracted tree and the built package.
    /// </summary>
    internal static void AssertBehavesAsDpkgDeb(string executable, string[] operation, IReadOnlyDictionary<string, string?> environment)
    {
        string[] args = operation.Select(a => a == "TREE" ? DpkgDebCorpus.Instance.OddTree : a).ToArray();
        string theirs = DpkgDebCorpus.Instance.Sandbox("link-theirs");
        string ours = DpkgDebCorpus.Instance.Sandbox("link-ours");
        foreach (string directory in new[] { theirs, ours })
        {
            File.Copy(DpkgDebCorpus.Instance.Packages["varied-gzip"], Path.Combine(directory, "pkg.deb"));
        }
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        Outcome expected = DpkgDebRunner.Theirs(theirs, args);
        ProcessResult run = ProcessRunner.Run(executable, args, ours, environment);
        string context = $"dpkg-deb {string.Join(' ', args)}\n theirs: {expected}\n ours ({executable}): exit {run.ExitCode}, {run.StdErr}";

        Assert.That(run.ExitCode, Is.EqualTo(expected.ExitCode), context);
        if (expected.ExitCode == 0)
        {
            Assert.That(Encoding.UTF8.GetString(run.StdOutBytes), Is.EqualTo(Encoding.UTF8.GetString(expected.Stdout)), context);
            Assert.That(run.StdOutBytes, Is.EqualTo(expected.Stdout), context);
            Assert.That(run.ErrorLines, Has.Length.EqualTo(expected.StderrLines), context);
            Assert.That(DpkgDebRunner.DescribeTree(Path.Combine(ours, "out"), now), Is.EqualTo(DpkgDebRunner.DescribeTree(Path.Combine(theirs, "out"), now)), context);
            if (File.Exists(Path.Combine(theirs, "built.deb")))
            {
                Assert.That(File.ReadAllBytes(Path.Combine(ours, "built.deb")), Is.EqualTo(File.ReadAllBytes(Path.Combine(theirs, "built.deb"))), context);
            }
        }
        DpkgDebRunner.Remove(theirs);
        DpkgDebRunner.Remove(ours);
    }

    /// <summary>A link named dpkg-deb to the executable built beside the tests (its apphost).</summary>
    private static string Link()
    {
        string directory = Path.Combine(DpkgDebCorpus.Instance.Sandbox("bin"));
        string link = Path.Combine(directory, "dpkg-deb");
        File.CreateSymbolicLink(link, Path.Combine(AppContext.BaseDirectory, "consul-pkg"));
        return link;
    }

    /// <summary>The runner's environment, and where the apphost finds the .NET runtime this test runs on.</summary>
    private static Dictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>(DpkgDebRunner.Environment)
        {
            ["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")),
        };
        return environment;
    }
}
