using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Debian;

namespace ConsulPkg.Cli.Tests;

[TestFixture]
public sealed class BuildTimestampTests
{
    private static DateTimeOffset Resolve(string[] args, Dictionary<string, string> environment, Func<DateTimeOffset> now)
    {
        var option = BuildTimestamp.CreateOption();
        var command = new System.CommandLine.RootCommand { option };
        System.CommandLine.ParseResult parsed = command.Parse(args);
        Assert.That(parsed.Errors, Is.Empty);
        return BuildTimestamp.Resolve(parsed.GetValue(option), CliRunner.Context("/", environment, now));
    }

    private static DateTimeOffset NoClock() => throw new AssertionException("clock read");

    [Test]
    public void EnvironmentVariableIsUsed() =>
        Assert.That(Resolve([], new() { ["SOURCE_DATE_EPOCH"] = "1480956780" }, NoClock).ToUnixTimeSeconds(), Is.EqualTo(1480956780));

    [Test]
    public void OptionWinsOverTheEnvironment() =>
        Assert.That(Resolve(["--source-date-epoch", "42"], new() { ["SOURCE_DATE_EPOCH"] = "1480956780" }, NoClock).ToUnixTimeSeconds(), Is.EqualTo(42));

    [TestCase("yesterday")]
    [TestCase("-5")]
    [TestCase("1.5")]
    [TestCase("99999999999999")]
    public void InvalidValueNamesTheValueAndTheFix(string value)
    {
        var ex = Assert.Throws<PackageException>(() => Resolve([], new() { ["SOURCE_DATE_EPOCH"] = value }, NoClock));
        Assert.That(ex!.Message, Does.StartWith($"invalid SOURCE_DATE_EPOCH '{value}': give whole seconds since 1970-01-01 UTC"));
    }

    [Test]
    public void UnsetReadsTheClockOnceAndDropsFractions()
    {
        int reads = 0;
        DateTimeOffset result = Resolve([], [], () =>
        {
            reads++;
            return DateTimeOffset.FromUnixTimeMilliseconds(1_480_956_780_999);
        });
        Assert.Multiple(() =>
        {
            Assert.That(reads, Is.EqualTo(1));
            Assert.That(result, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_480_956_780)));
        });
    }
}
