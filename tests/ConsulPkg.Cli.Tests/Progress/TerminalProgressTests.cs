using ConsulPkg.Testing.Time;

namespace ConsulPkg.Cli.Tests.Progress;

/// <summary>The progress bar's line and its timing, on a clock the test moves (no test waits for time to pass).</summary>
[TestFixture]
public sealed class TerminalProgressTests
{
    private const string Clear = TerminalProgress.ClearToEndOfLine;

    private ManualClock _clock = null!;
    private StringWriter _terminal = null!;
    private TerminalProgress _bar = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock();
        _terminal = new StringWriter();
        _bar = new TerminalProgress(_terminal, _clock);
    }

    [TearDown]
    public void TearDown() => _terminal.Dispose();

    [Test]
    public void WorkUnderASecondDrawsNothing()
    {
        _bar.Begin("pkg.deb", 1_000_000);
        _bar.Report(400_000);
        _clock.Advance(TimeSpan.FromMilliseconds(900));
        _bar.Report(1_000_000);
        _bar.Finish();
        Assert.That(_terminal.ToString(), Is.Empty);
    }

    [Test]
    public void AfterASecondTheBarIsDrawnAndRedrawnInPlaceThenLeftWithANewline()
    {
        _bar.Begin("pkg.deb", 1_000_000);
        _bar.Report(250_000);
        _clock.Advance(TimeSpan.FromSeconds(1));
        string first = "\rpkg.deb                   25% [##        ] 244.1/976.6 KiB  244.1 KiB/s  0:03 left" + Clear;
        Assert.That(_terminal.ToString(), Is.EqualTo(first), "drawn by the clock, with no new bytes reported");

        _bar.Report(500_000); // too soon after the last redraw: nothing yet
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        string second = "\rpkg.deb                   50% [#####     ] 488.3/976.6 KiB  390.6 KiB/s  0:02 left" + Clear;
        Assert.That(_terminal.ToString(), Is.EqualTo(first + second));

        _bar.Report(1_000_000);
        _bar.Finish();
        Assert.That(_terminal.ToString()[(first + second).Length..], Does.Match(@"^\rpkg\.deb {18}100% \[##########\] 976\.6/976\.6 KiB  [0-9.]+ KiB/s  0:00 left\x1b\[K\n$"));
    }

    [Test]
    public void WithoutATotalTheBarShowsBytesAndRate()
    {
        _bar.Begin("a-rather-long-package-name_1.0-1_amd64.deb", null);
        _bar.Report(3 << 20);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(_terminal.ToString(), Is.EqualTo("\ra-rather-long-package-n… 3.0 MiB  1.5 MiB/s" + Clear));
    }

    [Test]
    public void ANoteGoesAboveTheBar()
    {
        _bar.Begin("consul.zip", 2048);
        _bar.Note("retrying before the bar");
        _bar.Report(1024);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _bar.Note("retrying http://127.0.0.1/consul.zip (HTTP 503)");
        string bar = "\rconsul.zip                50% [#####     ] 1.0/2.0 KiB  1.0 KiB/s  0:01 left" + Clear;
        Assert.That(_terminal.ToString(), Is.EqualTo(
            "retrying before the bar\n" + bar + "\r" + Clear + "retrying http://127.0.0.1/consul.zip (HTTP 503)\n" + bar));
    }
}
