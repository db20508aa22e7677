namespace ConsulPkg.Install.Tests.Support;

/// <summary>lintian run on a package, and its output read as tags.</summary>
public static class Lintian
{
    /// <summary>
    /// The verdict: exit status 2 when an error or warning is left after the package's overrides.
    /// Not combined with --show-overrides: lintian 2.116 then counts overridden tags towards
    /// --fail-on too (Lintian::Pool), so any override at all would fail the run.
    /// </summary>
    public static ProcessResult Check(string deb)
    {
        var result = ProcessRunner.Run("lintian", "--fail-on", "error,warning", "--tag-display-limit", "0", "--info", deb);
        TestContext.Out.WriteLine(result);
        return result;
    }

    /// <summary>The same check listing overridden tags as "O:" lines (with their comments as "N:").</summary>
    public static ProcessResult CheckShowingOverrides(string deb)
    {
        var result = ProcessRunner.Run("lintian", "--fail-on", "none", "--show-overrides", "--tag-display-limit", "0", "--info", deb);
        TestContext.Out.WriteLine(result);
        return result;
    }

    /// <summary>Output lines of the given severities ("E: consul: tag-name ...").</summary>
    public static List<string> Tags(ProcessResult lintian, params string[] severities)
    {
        ArgumentNullException.ThrowIfNull(lintian);
        return lintian.StdOut.Split('\n').Where(l => severities.Any(s => l.StartsWith(s + ": ", StringComparison.Ordinal))).ToList();
    }

    public static string TagName(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
    }

    /// <summary>The tags an override file overrides.</summary>
    public static HashSet<string> OverriddenTags(string overrideFile)
    {
        ArgumentNullException.ThrowIfNull(overrideFile);
        return overrideFile.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Override lines not directly below a comment line (the one-line reason).</summary>
    public static List<string> UnexplainedOverrides(string overrideFile)
    {
        ArgumentNullException.ThrowIfNull(overrideFile);
        string[] lines = overrideFile.Split('\n');
        return lines.Where((l, i) => l.Length > 0 && !l.StartsWith('#') && (i == 0 || !lines[i - 1].StartsWith("# ", StringComparison.Ordinal))).ToList();
    }
}
