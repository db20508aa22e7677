using System.Diagnostics;
using System.Globalization;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing of every reader command (<c>contents</c>, <c>info</c>, <c>info FIELD</c>,
/// <c>extract</c>). A run fails on an exit code other than 0 or 1 (70 is an internal error),
/// more than one line on stderr, a run longer than the time limit, more than 100 MB allocated,
/// or anything written outside the extract directory. Most cases run the CLI in-process (the
/// same code path as the executable, without .NET start-up per case); a sample runs the real
/// executable under GNU time, where a signal and the peak RSS are measured too.
/// <para>
/// Seeded and deterministic: <c>CONSUL_PKG_FUZZ_SEED</c> (default 10), <c>CONSUL_PKG_FUZZ_CASES</c>
/// (default 2500) and <c>CONSUL_PKG_FUZZ_PROCESS_CASES</c> (default 24) choose the run; a failure
/// names the seed and case, which regenerate the same bytes.
/// </para>
/// </summary>
[TestFixture]
[NonParallelizable]
[Category(TestCategories.Fuzz)]
public sealed class ReaderFuzzTests
{
    private const long MemoryLimit = 100L << 20;
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(20);

    private static readonly string[][] Commands =
    [
        ["contents", "pkg.deb"],
        ["info", "pkg.deb"],
        ["info", "pkg.deb", "Package", "Maintainer"],
        ["extract", "pkg.deb", "out"],
    ];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    [Test]
    public void ReaderCommandsFailWellOnMutatedPackagesInProcess()
    {
        int seed = Setting("CONSUL_PKG_FUZZ_SEED", 10);
        int cases = Setting("CONSUL_PKG_FUZZ_CASES", 2500);
        var mutator = new Mutator(seed);
        var failures = new List<string>();
        var exits = new SortedDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        using var temp = new TempDirectory();
        var generating = new Stopwatch();
        for (int i = 0; i < cases && failures.Count < 10; i++)
        {
            generating.Start();
            FuzzCase fuzz = mutator.Make(i);
            generating.Stop();
            string sandbox = Sandbox(temp, fuzz);
            foreach (string[] command in Commands)
            {
                string? problem = RunInProcess(sandbox, command, out int exit);
                exits[exit] = exits.GetValueOrDefault(exit) + 1;
                problem ??= EscapeCheck(sandbox, fuzz);
                if (problem is not null)
                {
                    failures.Add($"seed {seed} case {i} ({fuzz.Description}): {string.Join(' ', command)}: {problem}");
                    break;
                }
            }
            RemoveTree(sandbox);
        }
        TestContext.Progress.WriteLine(
            $"fuzz (in-process): seed {seed}, {cases} cases, {cases * Commands.Length} runs in {watch.Elapsed.TotalSeconds:F0} s ({generating.Elapsed.TotalSeconds:F0} s making cases); exit codes " +
            string.Join(", ", exits.Select(e => $"{e.Key}: {e.Value}")));
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void ReaderCommandsFailWellOnMutatedPackagesAsAProcess()
    {
        int seed = Setting("CONSUL_PKG_FUZZ_SEED", 10);
        int cases = Setting("CONSUL_PKG_FUZZ_PROCESS_CASES", 24);
        string dll = ConsulPkgProcess.AssemblyPath;
        var mutator = new Mutator(seed);
        var failures = new List<string>();
        long peak = 0;
        using var temp = new TempDirectory();
        for (int n = 0; n < cases; n++)
        {
            // Spread over the in-process run's cases, one command each in turn.
            int i = n * 97;
            FuzzCase fuzz = mutator.Make(i);
            string sandbox = Sandbox(temp, fuzz);
            string[] command = Commands[n % Commands.Length];
            string rss = Path.Combine(temp.Path, "rss");
            ProcessResult r = ProcessRunner.RunUtc("/usr/bin/time", ["-f", "%M", "-o", rss, "timeout", "-s", "KILL", TimeLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture), "dotnet", dll, .. command],
                workingDirectory: sandbox);
            string[] timeReport = File.ReadAllLines(rss);
            long kilobytes = long.Parse(timeReport[^1], CultureInfo.InvariantCulture);
            peak = Math.Max(peak, kilobytes);
            string? problem =
                r.ExitCode == 137 ? "killed at the time limit" :
                timeReport.Any(l => l.StartsWith("Command terminated by signal", StringComparison.Ordinal)) ? $"ended by a signal ({timeReport[0]})" :
                r.ExitCode is not (0 or 1) ? $"exit {r.ExitCode}: {r.StdErr}" :
                r.ErrorLines.Length > 1 ? $"{r.ErrorLines.Length} lines on stderr: {r.StdErr}" :
                kilobytes * 1024 > MemoryLimit ? $"peak RSS {kilobytes} KiB" :
                EscapeCheck(sandbox, fuzz);
            if (problem is not null)
            {
                failures.Add($"seed {seed} case {i} ({fuzz.Description}): {string.Join(' ', command)}: {problem}");
            }
            RemoveTree(sandbox);
        }
        TestContext.Progress.WriteLine($"fuzz (processes): seed {seed}, {cases} runs; highest peak RSS {peak / 1024} MiB");
        Assert.That(failures, Is.Empty);
    }

    /// <summary>A directory holding only the package and an empty "outside" that symlinks in the package point at.</summary>
    private static string Sandbox(TempDirectory temp, FuzzCase fuzz)
    {
        string sandbox = temp.Combine($"case-{fuzz.Index}");
        Directory.CreateDirectory(Path.Combine(sandbox, "outside"));
        File.WriteAllBytes(Path.Combine(sandbox, "pkg.deb"), fuzz.Deb);
        return sandbox;
    }

    /// <summary>Runs one command in-process; null when it behaved, else what went wrong.</summary>
    private static string? RunInProcess(string sandbox, string[] command, out int exit)
    {
        long before = GC.GetTotalAllocatedBytes(precise: false);
        Task<ProcessResult> run = Task.Run(() => CliRunner.Run(CliRunner.Context(sandbox), command));
        if (!run.Wait(TimeLimit))
        {
            exit = -1;
            return $"still running after {TimeLimit.TotalSeconds} s";
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        ProcessResult r = run.Result;
        exit = r.ExitCode;
        return r.ExitCode is not (0 or 1) ? $"exit {r.ExitCode}: {r.StdErr}"
            : r.ErrorLines.Length > 1 ? $"{r.ErrorLines.Length} lines on stderr: {r.StdErr}"
            : r.ExitCode == 1 && r.ErrorLines.Length == 0 ? "exit 1 without a message"
            : allocated > MemoryLimit ? $"{allocated >> 20} MiB allocated"
            : null;
    }

    /// <summary>Only the package, "out" and an empty "outside" may be in the sandbox; the package is unchanged.</summary>
    private static string? EscapeCheck(string sandbox, FuzzCase fuzz)
    {
        string[] top = Directory.EnumerateFileSystemEntries(sandbox).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        string[] allowed = ["out", "outside", "pkg.deb"];
        if (top.Except(allowed).Any())
        {
            return $"wrote outside the extract directory: {string.Join(", ", top.Except(allowed))}";
        }
        if (Directory.EnumerateFileSystemEntries(Path.Combine(sandbox, "outside")).Any())
        {
            return "wrote through a symlink into 'outside'";
        }
        return File.ReadAllBytes(Path.Combine(sandbox, "pkg.deb")).AsSpan().SequenceEqual(fuzz.Deb) ? null : "changed the package";
    }

    /// <summary>
    /// Removes a case's sandbox. Extracted directories may be read-only and extracted names need
    /// not be UTF-8, which .NET cannot name: then chmod(1) and rm(1) do it.
    /// </summary>
    private static void RemoveTree(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ProcessRunner.RunUtc("chmod", "-R", "u+rwx", path);
            ProcessResult r = ProcessRunner.RunUtc("rm", "-rf", path);
            Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        }
    }
}
