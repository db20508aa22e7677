namespace ConsulPkg.Debian.Tests;

/// <summary>
/// The field table against dpkg's own: the orders against Dpkg::Control::FieldsCore of the
/// installed dpkg-dev, the obsolete names against what dpkg-deb reads them as.
/// </summary>
[TestFixture]
public sealed class ControlFieldTests
{
    [TestCase(ControlType.PackagesIndex, "CTRL_INDEX_PKG")]
    [TestCase(ControlType.Changes, "CTRL_FILE_CHANGES")]
    public void OrderIsDpkgs(ControlType type, string dpkgType) =>
        Assert.That(Names(type), Is.EqualTo(DpkgOrder(dpkgType)));

    [Test]
    public void ReleaseOrderIsDpkgsWithSha512AfterSha256() =>
        Assert.That(Names(ControlType.Release), Is.EqualTo(DpkgOrder("CTRL_REPO_RELEASE").Append("SHA512")));

    /// <summary>
    /// FieldsCore's status order starts with the fields of lib/dpkg/parse.c, which also knows the
    /// available file's Filename, Size, MD5sum and MSDOS-Filename and the obsolete Revision.
    /// </summary>
    [Test]
    public void DpkgDatabaseIsTheFieldsDpkgsParserKnowsInTheStatusFilesOrder()
    {
        string[] status = DpkgOrder("CTRL_FILE_STATUS");
        string[] parsed = status[..(Array.IndexOf(status, "Triggers-Awaited") + 1)];
        string[] availableOnly = ["Revision", "Filename", "Size", "MD5sum", "MSDOS-Filename"];
        Assert.That(Names(ControlType.DpkgDatabase).Except(availableOnly), Is.EqualTo(parsed));
    }

    [Test]
    public void TheBinaryControlFileKeepsFpmsOrderWithOtherFieldsBeforeTheDescription()
    {
        List<KeyValuePair<string, string>> ordered = ControlField.InOrder(ControlType.DebControl,
        [
            new("description", "d"), new("X-Two", "2"), new("maintainer", "m"), new("X-One", "1"), new("PACKAGE", "p"),
        ]);
        Assert.That(ordered.Select(f => f.Key), Is.EqualTo(new[] { "Package", "Maintainer", "X-Two", "X-One", "Description" }),
            "known fields spelled as the table spells them, the others in the order given");
    }

    [Test]
    public void AFieldGivenTwiceIsABug() =>
        Assert.That(() => ControlField.InOrder(ControlType.Changes, [new("Date", "a"), new("date", "b")]), Throws.ArgumentException);

    [Test]
    public void FindsOnlyTheFieldsOfTheType()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ControlField.Find("pre-depends", ControlType.DebControl), Is.SameAs(ControlField.PreDepends));
            Assert.That(ControlField.Find("Essential", ControlType.DebControl), Is.Null, "consul-pkg writes Essential as any other field");
            Assert.That(ControlField.Find("Essential", ControlType.DpkgDatabase), Is.SameAs(ControlField.Essential));
        });
    }

    public static IEnumerable<TestCaseData> ObsoleteNames() =>
        ControlField.Order(ControlType.DpkgDatabase).SelectMany(field => field.ObsoleteNames.Select(name =>
            new TestCaseData(name, field).SetName($"DpkgReadsTheObsoleteNameAsItsField({name})")));

    [TestCaseSource(nameof(ObsoleteNames))]
    public void DpkgReadsTheObsoleteNameAsItsField(string obsolete, ControlField field)
    {
        Assert.That(ControlField.FindObsolete(obsolete), Is.SameAs(field));

        // A revision given on its own is appended to the Version; dpkg prints no Revision field.
        bool revision = field == ControlField.Revision;
        string value = revision ? "3" : field.Kind == ControlFieldKind.Relation ? "curl" : "extra";
        using var temp = new TempDirectory();
        string debian = Directory.CreateDirectory(temp.Combine("tree", "DEBIAN")).FullName;
        File.WriteAllText(Path.Combine(debian, "control"),
            $"Package: old\nVersion: 1.0\nArchitecture: all\nMaintainer: Me <me@example.org>\nDescription: d\n{obsolete}: {value}\n");
        string deb = temp.Combine("old.deb");
        ProcessRunner.Run("dpkg-deb", ["--root-owner-group", "-b", temp.Combine("tree"), deb]).EnsureSuccess();
        ProcessResult printed = ProcessRunner.Run("dpkg-deb", ["-f", deb, revision ? "Version" : field.Name]).EnsureSuccess();
        Assert.That(printed.StdOut, Is.EqualTo((revision ? "1.0-3" : value) + "\n"));
    }

    private static string[] Names(ControlType type) => [.. ControlField.Order(type).Select(f => f.Name)];

    private static string[] DpkgOrder(string dpkgType) =>
        ProcessRunner.Run("perl", ["-MDpkg::Control::FieldsCore", "-MDpkg::Control::Types", "-e", $"print join(\"\\n\", field_ordered_list({dpkgType}))"])
            .EnsureSuccess().StdOut.Split('\n');
}
