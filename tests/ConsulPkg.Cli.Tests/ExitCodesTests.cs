using ConsulPkg.Consul;
using ConsulPkg.Debian;

namespace ConsulPkg.Cli.Tests;

/// <summary>The exit code follows the type of the error, never where it was thrown.</summary>
[TestFixture]
public sealed class ExitCodesTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new InvalidPackageException("x.deb: bad", "data.tar.xz", 512), ExitCodes.Failure);
        yield return new TestCaseData(new InvalidSpecException("Version", "invalid version"), ExitCodes.Failure);
        yield return new TestCaseData(new ChecksumException("z.zip", "00", "11", "from SHA256SUMS"), ExitCodes.Failure);
        yield return new TestCaseData(new DownloadException(new Uri("http://127.0.0.1/x"), "not found"), ExitCodes.Failure);
        yield return new TestCaseData(new PackageException("bad input"), ExitCodes.Failure);
        yield return new TestCaseData(new FileNotFoundException("gone"), ExitCodes.Failure);
        yield return new TestCaseData(new CodecException("xz: cannot start the encoder"), ExitCodes.SystemError);
    }

    [TestCaseSource(nameof(Cases))]
    public void EachErrorTypeHasItsExitCode(Exception exception, int expected) =>
        Assert.That(ExitCodes.For(exception), Is.EqualTo(expected));

    [Test]
    public void OurOwnBugsAreNotReportedAsBadInput()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ExitCodes.For(new InvalidOperationException()), Is.Null);
            Assert.That(ExitCodes.For(new ArgumentException()), Is.Null);
        });
    }
}
