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

        var lintian = Lintian.Check(deb);

        Assert.Multiple(() =>
        {
            Assert.That(lintian.ExitCode, Is.Zero, lintian.ToString());
            Assert.That(Lintian.Tags(lintian, "E", "W"), Is.Empty, lintian.ToString());
        });
    }

    [Test]
    public void SeedLayoutShowsOnlyTheTagsItsShippedOverridesExplain()
    {
        var deb = release.Build(layout: "seed");

        var lintian = Lintian.Check(deb);
        var shown = Lintian.CheckShowingOverrides(deb);
        var overrides = ProcessRunner.Run("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - ./usr/share/lintian/overrides/consul", "sh", deb);

        // Overridden tags show as "O:" with --show-overrides; every one must be explained in the
        // override file, and nothing else may reach error or warning.
        var overridden = Lintian.Tags(shown, "O").Select(Lintian.TagName).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lintian.ExitCode, Is.Zero, lintian.ToString());
            Assert.That(Lintian.Tags(lintian, "E", "W"), Is.Empty, lintian.ToString());
            Assert.That(overrides.ExitCode, Is.Zero, "the seed layout ships /usr/share/lintian/overrides/consul\n" + overrides);
            Assert.That(shown.ExitCode, Is.Zero, shown.ToString());
            Assert.That(Lintian.Tags(shown, "E", "W"), Is.Empty, shown.ToString());
            Assert.That(overridden, Is.Not.Empty, shown.ToString());
            Assert.That(overridden, Is.SubsetOf(Lintian.OverriddenTags(overrides.StdOut)), shown.ToString());
            Assert.That(Lintian.Tags(lintian, "I").Select(Lintian.TagName), Does.Not.Contain("unused-override"), lintian.ToString());
        });
    }

    [Test]
    public void AKeyFreePackageWithItsDebconfQuestionsHasNoErrorsAndNoWarnings()
    {
        var deb = release.Build(layout: "debian", delivery: ConsulPkg.Consul.GossipKeyDelivery.AtInstall);

        var lintian = Lintian.Check(deb);

        Assert.Multiple(() =>
        {
            Assert.That(lintian.ExitCode, Is.Zero, lintian.ToString());
            Assert.That(Lintian.Tags(lintian, "E", "W"), Is.Empty, lintian.ToString());
            Assert.That(ProcessRunner.Run("dpkg-deb", "-I", deb, "templates").StdOut, Does.Contain("Template: consul/gossip-key"), "the check saw the debconf templates");
        });
    }
}
