using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests;

/// <summary>The top-level error policy: one line on stderr, exit 1 for bad input, 2 for bad usage.</summary>
[TestFixture]
public sealed class CliApplicationTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void UnknownRootOptionIsAUsageErrorOnOneLine()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, "--bogus");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: unknown option '--bogus'"));
            Assert.That(r.StdOut, Is.Empty);
        });
    }

    [Test]
    public void UnknownCommandIsAUsageError()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, "frobnicate");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.StdErr, Does.Contain("frobnicate"));
        });
    }

    [Test]
    public void HelpGoesToTheCapturedOutput()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, "--help");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero);
            Assert.That(r.StdOut, Does.Contain("fpm"));
            Assert.That(r.StdErr, Is.Empty);
        });
    }

    [Test]
    public void PackageExceptionIsOneLineWithExitCodeOne()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "consul", "missing");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: cannot package '{_temp.Combine("missing")}': no such file or directory\n"));
        });
    }

    [Test]
    public void VerboseAddsTheStackTrace()
    {
        ProcessResult r = CliRunner.Run(_temp.Path, "fpm", "--verbose", "-s", "dir", "-t", "deb", "-n", "consul", "missing");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.ErrorLines[0], Does.StartWith("consul-pkg: cannot package"));
            Assert.That(r.StdErr, Does.Contain("ConsulPkg.Debian.PackageException").And.Contain(" at "));
        });
    }
}
