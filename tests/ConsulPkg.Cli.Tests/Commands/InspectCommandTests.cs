using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Testing.Tutorial;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary><c>contents</c>, <c>info</c> and <c>extract</c> on the command line, against dpkg-deb's own output.</summary>
[TestFixture]
public sealed class InspectCommandTests
{
    private TempDirectory _temp = null!;
    private string _deb = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        SeedTree.Create(_temp);
        ProcessResult built = CliRunner.Run(_temp.Path, SeedTree.FpmArguments);
        Assert.That(built.ExitCode, Is.Zero, built.StdErr);
        _deb = _temp.Combine(SeedTree.PackageFile);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("contents", "-c")]
    [TestCase("info", "-I")]
    [TestCase("info", "-f")]
    public void OutputEqualsDpkgDeb(string command, string dpkgOption)
    {
        ProcessResult ours = ConsulPkgProcess.Run(_temp.Path, command, SeedTree.PackageFile);
        ProcessResult theirs = ProcessRunner.RunUtc("dpkg-deb", [dpkgOption == "-f" ? "-I" : dpkgOption, SeedTree.PackageFile], null, _temp.Path);
        Assert.Multiple(() =>
        {
            Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
            Assert.That(theirs.ExitCode, Is.Zero, theirs.StdErr);
            Assert.That(ours.StdOut, Is.EqualTo(theirs.StdOut));
        });
    }

    [Test]
    public void InfoWithFieldsEqualsDpkgDebF()
    {
        ProcessResult ours = CliRunner.Run(_temp.Path, "info", SeedTree.PackageFile, "Package", "Version");
        ProcessResult theirs = ProcessRunner.RunUtc("dpkg-deb", ["-f", _deb, "Package", "Version"]);
        Assert.Multiple(() =>
        {
            Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
            Assert.That(ours.StdOut, Is.EqualTo(theirs.StdOut));
            Assert.That(ours.StdOut, Is.EqualTo("Package: consul\nVersion: 0.7.2-1\n"));
        });
    }

    [Test]
    public void ExtractEqualsDpkgDebX()
    {
        ProcessResult ours = CliRunner.Run(_temp.Path, "extract", SeedTree.PackageFile, "ours");
        ProcessResult theirs = ProcessRunner.RunUtc("dpkg-deb", "-x", _deb, _temp.Combine("theirs"));
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        Assert.That(theirs.ExitCode, Is.Zero, theirs.StdErr);
        Assert.That(Describe(_temp.Combine("ours")), Is.EqualTo(Describe(_temp.Combine("theirs"))));
        Assert.That(Describe(_temp.Combine("ours")), Has.Some.StartsWith("usr/local/bin/consul 755 "));
    }

    private static string[] Describe(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(root, p)} {Convert.ToString((int)File.GetUnixFileMode(p), 8)} {(File.Exists(p) ? Convert.ToHexString(File.ReadAllBytes(p)) : "dir")}")
            .Order(StringComparer.Ordinal)
            .ToArray();

    [TestCase("contents")]
    [TestCase("info")]
    public void NotAPackageIsOneLineNamingTheFile(string command)
    {
        File.WriteAllText(_temp.Combine("bogus.deb"), "not an archive\n");
        ProcessResult r = CliRunner.Run(_temp.Path, command, "bogus.deb");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: bogus.deb: "));
        });
    }

    [Test]
    public void MissingPackageIsOneLine()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, "extract", "missing.deb", "out");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: missing.deb: cannot open: no such file or directory\n"));
            Assert.That(_temp.Combine("out"), Does.Not.Exist);
        });
    }
}
