using ConsulPkg.Debian.Staging;
using ConsulPkg.Testing;

namespace ConsulPkg.Debian.Tests.Staging;

[TestFixture]
public class StagingTreeTests
{
    [Test]
    public void CollectsDotFilesAndNamesInOrdinalOrder()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("b/.hidden", "h");
        dir.WriteFile("b/Z", "z");
        dir.WriteFile("b/a", "a");
        dir.WriteFile(".env", "e");
        Directory.CreateDirectory(dir.Combine(".config"));

        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(dir.Path, "/opt/x");

        Assert.That(entries.Select(e => e.Path), Is.EqualTo(new[] { "/opt/x", "/opt/x/.config", "/opt/x/.env", "/opt/x/b", "/opt/x/b/.hidden", "/opt/x/b/Z", "/opt/x/b/a" }));
        Assert.That(entries.All(e => e.Owner == "root" && e.Group == "root"));
    }

    [Test]
    public void OwnerFromTheOptionsIsOnEveryEntry()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("f", "x");

        IReadOnlyList<PackageEntry> entries = StagingTree.Collect(dir.Path, "/srv", new StagingOptions { Owner = "consul", Group = "consul" });

        Assert.That(entries.Select(e => (e.Path, e.Owner, e.Group)), Is.EqualTo(new[] { ("/srv", "consul", "consul"), ("/srv/f", "consul", "consul") }));
    }
}
