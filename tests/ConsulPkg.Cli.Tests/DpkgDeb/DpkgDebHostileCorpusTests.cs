using System.Globalization;
using System.Text;
using ConsulPkg.Cli.Tests.Fuzzing;

namespace ConsulPkg.Cli.Tests.DpkgDeb;

/// <summary>
/// The fuzzer's damaged and hostile packages (<see cref="Mutator"/>, same seed) through
/// <c>consul-pkg dpkg-deb</c> and the real dpkg-deb: where dpkg-deb succeeds ours succeeds with
/// the same output and tree, where it fails ours fails with one line. The documented
/// deliberate differences are the only ones allowed: names with a leading "/" or a ".." and GNU
/// sparse members are refused by -x, not stripped or written, and extension headers over 1 MiB
/// are refused rather than held in memory (docs/inspection.md).
/// <c>CONSUL_PKG_DPKGDEB_CASES</c> (default 120) chooses how many cases run;
/// <c>CONSUL_PKG_DPKGDEB_KEEP=DIR</c> keeps each failing package there.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DpkgDebHostileCorpusTests
{
    private static readonly string[][] Operations =
    [
        ["-c", "pkg.deb"],
        ["-I", "pkg.deb"],
        ["-f", "pkg.deb", "Package", "Version", "Depends"],
        ["-W", "pkg.deb"],
        ["--ctrl-tarfile", "pkg.deb"],
        ["--fsys-tarfile", "pkg.deb"],
        ["-x", "pkg.deb", "out"],
    ];

    /// <summary>What ours may refuse although GNU tar goes on (with a warning, or silently writing something else).</summary>
    private static readonly string[] DeliberatelyStricter = ["refusing to extract", "GNU sparse", "exceeds the limit of"];

    [Test]
    public void DamagedPackagesGetWhatDpkgDebGives()
    {
        int seed = Setting("CONSUL_PKG_FUZZ_SEED", 10);
        int cases = Setting("CONSUL_PKG_DPKGDEB_CASES", 120);
        var mutator = new Mutator(seed);
        var failures = new List<string>();
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < cases && failures.Count < 20; i++)
        {
            FuzzCase fuzz = mutator.Make(i * 13);
            foreach (string[] args in Operations)
            {
                string? problem = Compare(fuzz.Deb, args, out string outcome);
                tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
                if (problem is not null)
                {
                    if (Environment.GetEnvironmentVariable("CONSUL_PKG_DPKGDEB_KEEP") is { Length: > 0 } keep)
                    {
                        File.WriteAllBytes(Path.Combine(keep, $"case-{fuzz.Index}.deb"), fuzz.Deb);
                    }
                    failures.Add($"seed {seed} case {fuzz.Index} ({fuzz.Description}): dpkg-deb {string.Join(' ', args)}: {problem}");
                }
            }
        }
        TestContext.Progress.WriteLine($"dpkg-deb on damaged packages: seed {seed}, {cases} cases: " + string.Join(", ", tally.Select(t => $"{t.Key} {t.Value}")));
        Assert.That(failures, Is.Empty);
    }

    private static string? Compare(byte[] deb, string[] args, out string outcome)
    {
        string theirsDirectory = DpkgDebCorpus.Instance.Sandbox("hostile-theirs");
        string oursDirectory = DpkgDebCorpus.Instance.Sandbox("hostile-ours");
        try
        {
            File.WriteAllBytes(Path.Combine(theirsDirectory, "pkg.deb"), deb);
            File.WriteAllBytes(Path.Combine(oursDirectory, "pkg.deb"), deb);
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
            Outcome theirs = DpkgDebRunner.Theirs(theirsDirectory, args);
            Outcome ours = DpkgDebRunner.Ours(oursDirectory, args);
            outcome = (theirs.ExitCode == 0 ? "both-ok" : "both-fail") + (theirs.ExitCode == ours.ExitCode ? "" : "-MISMATCH");
            if (ours.ExitCode is not (0 or 2))
            {
                return $"exit {ours.ExitCode}: {ours.Stderr}";
            }
            if (theirs.ExitCode != 0)
            {
                // Our error is one line, after any warnings tar would have printed first.
                string[] lines = ours.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                return ours.ExitCode == 0 ? $"dpkg-deb failed ({theirs.Stderr.Trim()}), ours did not"
                    : lines.Length == 0 || !lines[^1].StartsWith("dpkg-deb: error: ", StringComparison.Ordinal) || lines[..^1].Any(l => !l.StartsWith("tar: ", StringComparison.Ordinal))
                        ? $"our error is not one line after tar's warnings: {ours.Stderr}"
                    : null;
            }
            if (ours.ExitCode != 0)
            {
                if (DeliberatelyStricter.Any(ours.Stderr.Contains))
                {
                    outcome = "deliberately-stricter";
                    return null;
                }
                return $"dpkg-deb succeeded, ours failed: {ours.Stderr.Trim()}";
            }
            if (!ours.Stdout.AsSpan().SequenceEqual(theirs.Stdout))
            {
                return $"different output:\n--- dpkg-deb\n{Encoding.UTF8.GetString(theirs.Stdout)}\n--- ours\n{Encoding.UTF8.GetString(ours.Stdout)}";
            }
            if (ours.StderrLines != theirs.StderrLines)
            {
                return $"{ours.StderrLines} stderr lines, dpkg-deb {theirs.StderrLines}:\n{theirs.Stderr}\n---\n{ours.Stderr}";
            }
            string theirTree = DpkgDebRunner.DescribeTree(Path.Combine(theirsDirectory, "out"), now);
            string ourTree = DpkgDebRunner.DescribeTree(Path.Combine(oursDirectory, "out"), now);
            return theirTree == ourTree ? null : $"different trees:\n--- dpkg-deb\n{theirTree}\n--- ours\n{ourTree}";
        }
        finally
        {
            DpkgDebRunner.Remove(theirsDirectory);
            DpkgDebRunner.Remove(oursDirectory);
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
