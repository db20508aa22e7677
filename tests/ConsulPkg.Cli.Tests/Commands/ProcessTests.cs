using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Testing.Tutorial;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>The real executable, run the way a pipeline runs it, from the directory it packages.</summary>
[TestFixture]
public sealed class ProcessTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        SeedTree.Create(_temp);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void SeedLineAsAProcess()
    {
        ProcessResult r = ConsulPkgProcess.Run(_temp.Path, SeedTree.FpmArguments);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string deb = _temp.Combine(SeedTree.PackageFile);
        ProcessResult contents = ProcessRunner.RunUtc("dpkg-deb", "-c", deb);
        Assert.Multiple(() =>
        {
            Assert.That(r.StdErr, Is.Empty);
            Assert.That(contents.ExitCode, Is.Zero);
            Assert.That(contents.StdErr, Is.Empty);
            Assert.That(contents.StdOut, Does.StartWith("drwxr-xr-x root/root         0 2016-12-05 16:53 ./\n"));
        });
    }

    [Test]
    public void OutputAndErrorToOneFileFollowEachOther()
    {
        // >log 2>&1: both descriptors share one file offset, which each write must move (a
        // stream keeping an offset of its own would write standard output over standard error).
        using var logs = new TempDirectory();
        string logFile = logs.Combine("log");
        var environment = new Dictionary<string, string?>(ProcessRunner.Utc)
        {
            ["SOURCE_DATE_EPOCH"] = SeedTree.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LOG"] = logFile,
        };
        ProcessResult r = ProcessRunner.Run("sh", ["-c", "exec dotnet \"$0\" \"$@\" >\"$LOG\" 2>&1", ConsulPkgProcess.AssemblyPath, .. SeedTree.FpmArguments, "--verbose"],
            _temp.Path, environment);
        string log = File.ReadAllText(logFile);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, log);
            Assert.That(log, Does.StartWith("Package: consul\n"), "standard error's control file first");
            Assert.That(log, Does.Contain("\nconsul-pkg: adding /usr/local/bin/consul (file, root:root)\n"));
            Assert.That(log, Does.EndWith($"\nCreated package {_temp.Combine(SeedTree.PackageFile)}\n"), "then standard output's line");
        });
    }

    [Test]
    public void UsageErrorAsAProcessExitsTwoWithOneLine()
    {
        ProcessResult r = ConsulPkgProcess.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "--nmae", "consul", ".");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: unknown option '--nmae' for 'consul-pkg fpm': it is not an fpm flag consul-pkg supports (see 'consul-pkg fpm --help')\n"));
            Assert.That(r.StdOut, Is.Empty);
        });
    }

    [Test]
    public void BadInputAsAProcessExitsOneWithOneLine()
    {
        ProcessResult r = ConsulPkgProcess.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "consul", "missing");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: cannot package '{Path.Combine(_temp.Path, "missing")}': no such file or directory\n"));
            Assert.That(Directory.GetFiles(_temp.Path, "*.deb"), Is.Empty);
        });
    }
}
