using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>Issue 4, test 9: lintian's verdict on both layouts that <c>consul-pkg build</c> makes.</summary>
[Category("Install")]
public sealed class LintianTests
{
    private FakeConsulRelease release = null!;

    [OneTimeSetUp]
    public void StartRelease() => release = new FakeConsulRelease();

    [OneTimeTearDown]
    public void StopRelease() => release.Dispose();

    [Test]
    public void DebianLayoutHasNoErrorsAndNoWarnings()
    {
        var deb = release.Build(layout: "debian");

        var lintian = Lintian(deb);

        Assert.Multiple(() =>
        {
            Assert.That(lintian.ExitCode, Is.Zero, lintian.ToString());
            Assert.That(Tags(lintian, "E", "W"), Is.Empty, lintian.ToString());
        });
    }

    [Test]
    public void SeedLayoutShowsOnlyTheTagsItsShippedOverridesExplain()
    {
        var deb = release.Build(layout: "seed");

        var lintian = Lintian(deb);
        var shown = LintianShowingOverrides(deb);
        var overrides = ProcessRunner.Run("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - ./usr/share/lintian/overrides/consul", "sh", deb);

        // Overridden tags show as "O:" with --show-overrides; every one must be explained in the
        // override file, and nothing else may reach error or warning.
        var overridden = Tags(shown, "O").Select(TagName).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lintian.ExitCode, Is.Zero, lintian.ToString());
            Assert.That(Tags(lintian, "E", "W"), Is.Empty, lintian.ToString());
            Assert.That(overrides.ExitCode, Is.Zero, "the seed layout ships /usr/share/lintian/overrides/consul\n" + overrides);
            Assert.That(shown.ExitCode, Is.Zero, shown.ToString());
            Assert.That(Tags(shown, "E", "W"), Is.Empty, shown.ToString());
            Assert.That(overridden, Is.Not.Empty, shown.ToString());
            Assert.That(overridden, Is.SubsetOf(OverriddenTags(overrides.StdOut)), shown.ToString());
            Assert.That(Tags(lintian, "I").Select(TagName), Does.Not.Contain("unused-override"), lintian.ToString());
        });
    }

    /// <summary>
    /// The verdict: exit status 2 when an error or warning is left after the package's overrides.
    /// Not combined with --show-overrides: lintian 2.116 then counts overridden tags towards
    /// --fail-on too (Lintian::Pool), so any override at all would fail the run.
    /// </summary>
    private static ProcessResult Lintian(string deb)
    {
        var result = ProcessRunner.Run("lintian", "--fail-on", "error,warning", "--tag-display-limit", "0", "--info", deb);
        TestContext.Out.WriteLine(result);
        return result;
    }

    /// <summary>The same check listing overridden tags as "O:" lines (with their comments as "N:").</summary>
    private static ProcessResult LintianShowingOverrides(string deb)
    {
        var result = ProcessRunner.Run("lintian", "--fail-on", "none", "--show-overrides", "--tag-display-limit", "0", "--info", deb);
        TestContext.Out.WriteLine(result);
        return result;
    }

    /// <summary>Output lines of the given severities ("E: consul: tag-name ...").</summary>
    private static List<string> Tags(ProcessResult lintian, params string[] severities) =>
        lintian.StdOut.Split('\n').Where(l => severities.Any(s => l.StartsWith(s + ": ", StringComparison.Ordinal))).ToList();

    private static string TagName(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

    private static HashSet<string> OverriddenTags(string overrideFile) =>
        overrideFile.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            .ToHashSet(StringComparer.Ordinal);
}
