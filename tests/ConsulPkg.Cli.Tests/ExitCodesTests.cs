using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Debian;

namespace ConsulPkg.Cli.Tests;

/// <summary>
/// Each documented exit code (docs/design.md) through the real top-level handler, and the rule
/// behind them: the exit code follows the type of the error, never where it was thrown nor the
/// order of a list. 0, 1 and 2 from real command lines: <see cref="CliApplicationTests"/>; 130 and
/// 143 from real signals: <see cref="Commands.SignalTests"/>.
/// </summary>
[TestFixture]
public sealed class ExitCodesTests
{
    /// <summary>keygen reads no file: any directory will do.</summary>
    private static readonly CliContext Context = CliRunner.Context(Path.GetTempPath());

    private static IEnumerable<TestCaseData> Thrown()
    {
        yield return new TestCaseData(new InvalidPackageException("x.deb: bad", "data.tar.xz", 512), ExitCodes.Failure).SetName("Thrown(InvalidPackageException)");
        yield return new TestCaseData(new InvalidSpecException("invalid version"), ExitCodes.Failure).SetName("Thrown(InvalidSpecException)");
        yield return new TestCaseData(new PackageException("bad input"), ExitCodes.Failure).SetName("Thrown(PackageException)");
        yield return new TestCaseData(new FileNotFoundException("gone"), ExitCodes.Failure).SetName("Thrown(FileNotFoundException)");
        yield return new TestCaseData(new UnauthorizedAccessException("denied"), ExitCodes.Failure).SetName("Thrown(UnauthorizedAccessException)");
        yield return new TestCaseData(new CodecException("xz: cannot start the encoder"), ExitCodes.SystemError).SetName("Thrown(CodecException)");
        yield return new TestCaseData(new InvalidOperationException("a bug"), ExitCodes.InternalError).SetName("Thrown(InvalidOperationException)");
        yield return new TestCaseData(new ArgumentException("a bug"), ExitCodes.InternalError).SetName("Thrown(ArgumentException)");
    }

    /// <summary>The command's output fails with <paramref name="exception"/>: the handler's one line and exit code for it.</summary>
    [TestCaseSource(nameof(Thrown))]
    public void EachErrorTypeHasItsExitCode(Exception exception, int expected)
    {
        using var error = new StringWriter();
        int exitCode = CliApplication.RunAsync(["keygen"], Context, new ThrowingWriter(exception), error).GetAwaiter().GetResult();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(expected));
            Assert.That(ExitCodes.For(exception), Is.EqualTo(expected));
            Assert.That(error.ToString(), Does.StartWith(expected == ExitCodes.InternalError ? "consul-pkg: internal error: " : "consul-pkg: ")
                .And.Contain(exception.Message).And.EndWith("\n").And.Not.Contain("\n "), "one line");
        });
    }

    [TestCase(ExitCodes.Interrupted)]
    [TestCase(ExitCodes.Terminated)]
    public void ACancelledCommandExitsWithTheSignalsCode(int signalled)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var error = new StringWriter();
        int exitCode = CliApplication.RunAsync(["keygen"], Context, new ThrowingWriter(new OperationCanceledException(cancelled.Token)), error,
            () => signalled, cancelled.Token).GetAwaiter().GetResult();
        Assert.That((exitCode, error.ToString()), Is.EqualTo((signalled, "consul-pkg: interrupted; nothing was written\n")));
    }

    /// <summary>A type listed with its base type keeps its own code, in either order of the list.</summary>
    [Test]
    public void TheNearestListedTypeDecidesWhateverTheOrder()
    {
        var baseFirst = new Dictionary<Type, int> { [typeof(PackageException)] = ExitCodes.Failure, [typeof(CodecFailureSeenAsInput)] = ExitCodes.SystemError };
        var derivedFirst = new Dictionary<Type, int> { [typeof(CodecFailureSeenAsInput)] = ExitCodes.SystemError, [typeof(PackageException)] = ExitCodes.Failure };
        Assert.Multiple(() =>
        {
            Assert.That(ExitCodes.For(new CodecFailureSeenAsInput(), baseFirst), Is.EqualTo(ExitCodes.SystemError));
            Assert.That(ExitCodes.For(new CodecFailureSeenAsInput(), derivedFirst), Is.EqualTo(ExitCodes.SystemError));
            Assert.That(ExitCodes.For(new InvalidSpecException(), derivedFirst), Is.EqualTo(ExitCodes.Failure));
        });
    }

    private sealed class CodecFailureSeenAsInput : PackageException;

    /// <summary>Standard output that fails as a command writes its result.</summary>
    private sealed class ThrowingWriter(Exception exception) : StringWriter
    {
        public override void Write(char value) => throw exception;

        public override void Write(string? value) => throw exception;

        public override void WriteLine(string? value) => throw exception;
    }
}
