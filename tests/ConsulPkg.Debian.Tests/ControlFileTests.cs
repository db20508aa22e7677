using System.Text;
using ConsulPkg.Debian.Reading;
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

    [Test]
    public void EveryStandardFieldIsWrittenInTheTablesOrderAndReadBackTheSame()
    {
        ControlFile control = TestTrees.Control() with
        {
            InstalledSize = 12,
            PreDepends = ["adduser"],
            Depends = ["libc6 (>= 2.17)", "a | b"],
            Recommends = ["c"],
            Suggests = ["d"],
            Conflicts = ["e"],
            Breaks = ["f (<< 2)"],
            Provides = ["g"],
            Replaces = ["h"],
            ExtraFields = [new("X-Extra", "value")],
        };
        string rendered = control.Render();
        string[] names = [.. Deb822Paragraph.ParseAll(Encoding.UTF8.GetBytes(rendered), "rendered").Single().Fields.Select(f => f.Key)];
        string[] expected = [.. ControlField.Order(ControlType.DebControl).Where(f => f != ControlField.Description).Select(f => f.Name), "X-Extra", "Description"];
        ControlFile read = ControlFile.Parse(ControlFields.Parse(Encoding.UTF8.GetBytes(rendered), "test"), "test");
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(expected), "every row of the table, extra fields before the Description");
            Assert.That(read, Is.EqualTo(control));
            Assert.That(read.Render(), Is.EqualTo(rendered));
        });
    }

    [Test]
    public void ParsingNamesAMissingRequiredField()
    {
        byte[] text = "Package: x1\nVersion: 1.0\nArchitecture: all\n"u8.ToArray();
        var ex = Assert.Throws<InvalidSpecException>(() => ControlFile.Parse(ControlFields.Parse(text, "the file"), "the file", [ControlField.Maintainer]))!;
        Assert.That(ex.Message, Is.EqualTo("the file has no Maintainer field: add 'Maintainer: ...'"));
    }
}
