using ConsulPkg.Debian.Tests.Building;

namespace ConsulPkg.Debian.Tests;

/// <summary>Control file validation per Debian Policy chapter 5, checked before anything is written.</summary>
[TestFixture]
public sealed class ControlFileTests
{
    [TestCase("a")]
    [TestCase("-ab")]
    [TestCase("Ab")]
    [TestCase("a_b")]
    public void RefusesAPackageNamePolicyForbids(string name)
    {
        var ex = Assert.Throws<InvalidSpecException>(() => TestTrees.Control(name).Validate())!;
        Assert.That(ex.Message, Does.Contain($"'{name}'"));
        Assert.That(ex.Field, Is.EqualTo("Package"), "a front end maps the field to its own option");
    }

    [Test]
    public void AcceptsTheShortestValidName() =>
        Assert.That(TestTrees.Control("a1").Render(), Does.StartWith("Package: a1\n"));

    [TestCase("   ")]
    [TestCase("x\ry")]
    [TestCase("x\ny")]
    public void RefusesABlankOrMultiLineValue(string value)
    {
        ControlFile control = TestTrees.Control();
        Assert.Multiple(() =>
        {
            Assert.That(() => (control with { Vendor = value }).Validate(), Throws.TypeOf<InvalidSpecException>().With.Message.Contain("Vendor"));
            Assert.That(() => (control with { Depends = [value] }).Validate(), Throws.TypeOf<InvalidSpecException>().With.Message.Contain("Depends"));
            Assert.That(() => (control with { ExtraFields = [new("X-Extra", value)] }).Validate(), Throws.TypeOf<InvalidSpecException>().With.Message.Contain("X-Extra"));
        });
    }

    [Test]
    public void WritesValuesWithoutTheBlanksDpkgWouldDrop()
    {
        ControlFile control = TestTrees.Control() with { Vendor = " haf ", ExtraFields = [new("X-Extra", "value\t")] };
        string rendered = control.Render();
        Assert.That(rendered, Does.Contain("\nVendor: haf\n").And.Contain("\nX-Extra: value\n"));
    }
}
