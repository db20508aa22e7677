using ConsulPkg.Debian.Archives;

namespace ConsulPkg.Debian.Tests.Archives;

/// <summary>The numeric header fields the tar writer writes and the reader reads back.</summary>
[TestFixture]
public sealed class TarNumberTests
{
    [TestCase(0L, "00000000000\0")]
    [TestCase(8L, "00000000010\0")]
    [TestCase(0x1_FFFF_FFFFL, "77777777777\0")]
    public void SmallValuesAreOctal(long value, string expected)
    {
        byte[] field = new byte[12];
        TarNumber.Write(field, value, "size");
        Assert.That(System.Text.Encoding.ASCII.GetString(field), Is.EqualTo(expected));
    }

    [TestCase(0L)]
    [TestCase(1L)]
    [TestCase(0x1_FFFF_FFFFL)]
    [TestCase(0x2_0000_0000L)]
    [TestCase(long.MaxValue)]
    public void WhatIsWrittenReadsBack(long value)
    {
        byte[] field = new byte[12];
        TarNumber.Write(field, value, "size");
        Assert.That(TarNumber.TryParse(field, out long read), Is.EqualTo(TarNumberStatus.Ok));
        Assert.That(read, Is.EqualTo(value));
        Assert.That(TarNumber.IsBase256(field), Is.EqualTo(value > 0x1_FFFF_FFFFL));
    }

    [TestCase("  644 \0\0", "Ok", 420L)]
    [TestCase("        ", "Invalid", 0L)] // GNU tar: "Blanks in header where numeric ... value expected"
    [TestCase("\0  0755\0", "Ok", 493L)] // one leading NUL is skipped (a writer that overflowed the previous field)
    [TestCase("\0\0\0\0\0\0\0\0", "Empty", 0L)]
    [TestCase("0000x44\0", "Invalid", 0L)]
    public void ReadsFieldsAsGnuTarDoes(string text, string status, long expected)
    {
        Assert.That(TarNumber.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out long value), Is.EqualTo(Enum.Parse<TarNumberStatus>(status)));
        Assert.That(value, Is.EqualTo(expected));
    }

    [Test]
    public void OctalThatOverflowsALongIsOutOfRange() =>
        Assert.That(TarNumber.TryParse(System.Text.Encoding.ASCII.GetBytes(new string('7', 23) + "\0"), out _), Is.EqualTo(TarNumberStatus.OutOfRange));

    [Test]
    public void ANegativeValueIsRefused() =>
        Assert.That(() => TarNumber.Write(new byte[8], -1, "uid"), Throws.TypeOf<InvalidSpecException>().With.Message.Contain("uid -1"));
}
