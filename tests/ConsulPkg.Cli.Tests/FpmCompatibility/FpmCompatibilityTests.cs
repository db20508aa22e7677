using System.Globalization;
using System.Text.RegularExpressions;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.FpmCompatibility;

/// <summary>
/// The fpm-compatibility suite: every case of cases.txt built by consul-pkg fpm and summarised
/// (build/fpm-compat/summarize.sh, dpkg-deb and tar) must match the summary of the package the
/// real fpm 1.17 built (golden/, made by build/fpm-compat/regenerate.sh), apart from the lines
/// differences.txt documents. Control fields are compared by name and user-script markers as a
/// set per maintainer script. Cases in pending.txt are features not built yet: they must still
/// be refused, so that the test fails, and the list is shortened, when one lands.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FpmCompatibilityTests
{
    private const long Epoch = 1480956780;

    /// <summary>The -e/--edit case's editor, the same in regenerate.sh.</summary>
    private const string Editor = "sed -i -e 's/^Section: .*/Section: admin/'";

    /// <summary>Read from the checkout, not the build output: copying would lose the fixture's symlink.</summary>
    private static readonly string Suite = Path.Combine(RepositoryRoot.Find(), "tests", "ConsulPkg.Cli.Tests", "FpmCompatibility");

    private static readonly string Summarize = Path.Combine(RepositoryRoot.Find(), "build", "fpm-compat", "summarize.sh");

    public static IEnumerable<TestCaseData> Cases() =>
        ReadCases().Select(c => new TestCaseData(c.Name, c.Arguments).SetName($"FpmCompatibility({c.Name})"));

    [Test]
    public void SuiteHasAtLeastFortyCasesEachWithAGolden()
    {
        var cases = ReadCases();
        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(40));
        Assert.That(cases.Select(c => Path.Combine(Suite, "golden", c.Name + ".summary")), Has.All.Exist);
        Assert.That(Pending(), Is.SubsetOf(cases.Select(c => c.Name)));
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesFpm(string name, string arguments)
    {
        using var scratch = new TempDirectory();
        CopyDirectory(Path.Combine(Suite, "fixture"), scratch.Path);
        string[] args = Tokenize(arguments);
        var environment = new Dictionary<string, string>
        {
            ["SOURCE_DATE_EPOCH"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["FPM_EDITOR"] = Editor,
        };
        ProcessResult result = CliRunner.Run(CliRunner.Context(scratch.Path, environment), ["fpm", .. args]);
        if (Pending().Contains(name))
        {
            Assert.That(result.ExitCode, Is.Not.Zero, $"{name} builds now: compare it with fpm by removing it from pending.txt");
            return;
        }

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        string deb = Directory.GetFiles(scratch.Path, "*.deb").Single();
        ProcessResult summary = ProcessRunner.RunUtc("bash", Summarize, deb);
        Assert.That(summary.ExitCode, Is.Zero, summary.StdErr);

        IReadOnlyList<Regex> ignored = Differences(name);
        string[] expected = Significant(File.ReadAllLines(Path.Combine(Suite, "golden", name + ".summary")), ignored);
        string[] actual = Significant(summary.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), ignored);
        if (args.Contains("--deb-use-file-permissions"))
        {
            actual = OwnedAsInTheGoldens(actual, Path.Combine(scratch.Path, args[Array.IndexOf(args, "-C") + 1]));
        }

        string onlyFpm = string.Join("\n", expected.Except(actual).Select(l => "  fpm only:        " + l));
        string onlyConsulPkg = string.Join("\n", actual.Except(expected).Select(l => "  consul-pkg only: " + l));
        Assert.That(actual, Is.EqualTo(expected), $"the summaries differ beyond differences.txt:\n{onlyFpm}\n{onlyConsulPkg}\n");
    }

    /// <summary>
    /// With --deb-use-file-permissions the staged files keep their owner as on disk, which is
    /// whoever owns the copied fixture (the -C directory): root in the goldens (made by fpm run as
    /// root), the test's user otherwise. That owner is written as the goldens write root, so the case means
    /// the same as any user; the other cases keep catching an owner taken from disk unasked.
    /// </summary>
    private static string[] OwnedAsInTheGoldens(string[] summary, string staged)
    {
        ProcessResult owner = ProcessRunner.RunUtc("stat", "-c", "%U/%G", staged);
        Assert.That(owner.ExitCode, Is.Zero, owner.StdErr);
        string onDisk = " " + owner.StdOut.Trim() + " ";
        return summary.Select(l => l.StartsWith("entry ", StringComparison.Ordinal) ? l.Replace(onDisk, " 0/0 ", StringComparison.Ordinal) : l).ToArray();
    }

    /// <summary>
    /// The lines that must agree. Control fields are compared by name, not position: dpkg reads
    /// them in any order, and consul-pkg writes Debian's usual order where fpm follows its template.
    /// </summary>
    private static string[] Significant(IEnumerable<string> lines, IReadOnlyList<Regex> ignored)
    {
        string[] kept = lines.Where(l => !ignored.Any(r => r.IsMatch(l))).ToArray();
        IEnumerable<string> fields = kept.Where(IsField).OrderBy(FieldName, StringComparer.Ordinal);
        IEnumerable<string> scripts = kept.Where(IsScript).Order(StringComparer.Ordinal);
        return [.. fields, .. kept.Where(l => !IsField(l) && !IsScript(l)), .. scripts];

        static bool IsField(string line) => line.StartsWith("field ", StringComparison.Ordinal);

        // Which user scripts each maintainer script holds; the order they run in is not the order
        // they are written in (fpm and consul-pkg both wrap them in functions), so it is proven by
        // running them under dpkg in the install tests (FpmServiceLifecycleTests), not here.
        static bool IsScript(string line) => line.StartsWith("script ", StringComparison.Ordinal);
        static string FieldName(string line) => line[..line.IndexOf(':', StringComparison.Ordinal)];
    }

    private static List<(string Name, string Arguments)> ReadCases()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Suite, "cases.txt"));
        string meta = lines.Single(l => l.StartsWith("META=", StringComparison.Ordinal))["META=".Length..];
        return lines
            .Where(l => !l.StartsWith('#') && l.Contains(" | ", StringComparison.Ordinal))
            .Select(l => (l[..l.IndexOf(" | ", StringComparison.Ordinal)], l[(l.IndexOf(" | ", StringComparison.Ordinal) + 3)..].Replace("$META", meta, StringComparison.Ordinal)))
            .ToList();
    }

    private static HashSet<string> Pending() =>
        File.ReadAllLines(Path.Combine(Suite, "pending.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>differences.txt: "CASE-PATTERN | LINE-REGEX | why", CASE-PATTERN a regex over case names.</summary>
    private static List<Regex> Differences(string name) =>
        File.ReadAllLines(Path.Combine(Suite, "differences.txt"))
            .Where(l => !l.StartsWith('#') && l.Contains(" | ", StringComparison.Ordinal))
            .Select(l => l.Split(" | "))
            .Where(p => Regex.IsMatch(name, "^(" + p[0] + ")$", RegexOptions.CultureInvariant))
            .Select(p => new Regex(p[1], RegexOptions.CultureInvariant))
            .ToList();

    /// <summary>The case's arguments as bash splits them, exactly as regenerate.sh passes them to fpm.</summary>
    private static string[] Tokenize(string arguments)
    {
        ProcessResult split = ProcessRunner.RunUtc("bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "_", arguments);
        Assert.That(split.ExitCode, Is.Zero, split.StdErr);
        return split.StdOut.Split('\0')[..^1];
    }

    private static void CopyDirectory(string from, string to)
    {
        ProcessResult copy = ProcessRunner.RunUtc("cp", "-a", from + "/.", to);
        Assert.That(copy.ExitCode, Is.Zero, copy.StdErr);
    }
}
