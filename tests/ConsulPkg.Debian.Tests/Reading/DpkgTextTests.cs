using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary>The one strtol behind dpkg's epochs, field widths, option integers and environment numbers.</summary>
[TestFixture]
public sealed class DpkgTextTests
{
    [TestCase("42", 10, 2, 42L, false)]
    [TestCase(" \t-7x", 10, 4, -7L, false)]
    [TestCase("+5", 10, 2, 5L, false)]
    [TestCase("", 10, 0, 0L, false)]
    [TestCase("-", 10, 0, 0L, false)]
    [TestCase("x1", 10, 0, 0L, false)]
    [TestCase("0x1F", 0, 4, 31L, false)]
    [TestCase("0x1F", 10, 1, 0L, false)]
    [TestCase("0xg", 0, 1, 0L, false)]
    [TestCase("017", 0, 3, 15L, false)]
    [TestCase("08", 0, 1, 0L, false)]
    [TestCase("9223372036854775807", 10, 19, long.MaxValue, false)]
    [TestCase("9223372036854775808", 10, 19, long.MaxValue, true)]
    [TestCase("-9223372036854775808", 10, 20, long.MinValue, false)]
    [TestCase("-9223372036854775809:", 10, 20, long.MinValue, true)]
    public void ReadsAsCsStrtol(string text, int radix, int end, long value, bool overflow)
    {
        int stopped = DpkgText.Strtol(text, radix, out long read, out bool over);
        Assert.That((stopped, read, over), Is.EqualTo((end, value, overflow)));
    }

    [Test]
    public void RefusesARadixItDoesNotRead() =>
        Assert.That(() => DpkgText.Strtol("1", 16, out _, out _), Throws.TypeOf<ArgumentOutOfRangeException>());
}
