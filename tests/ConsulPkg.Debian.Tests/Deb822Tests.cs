using System.Text;

namespace ConsulPkg.Debian.Tests;

/// <summary>The one deb822 reader and writer: paragraphs, continuation lines, names in any case, bytes kept.</summary>
[TestFixture]
public sealed class Deb822Tests
{
    [Test]
    public void ReadsParagraphsAsDpkgDoes()
    {
        byte[] text = "\n\nPackage:  tool \nDescription: a tool  \n more text\n .\n\t tabbed  \n  \nPACKAGE: second\nFiles:\n a b c\n"u8.ToArray();
        List<Deb822Paragraph> paragraphs = Deb822Paragraph.ParseAll(text, "test");
        Assert.Multiple(() =>
        {
            Assert.That(paragraphs, Has.Count.EqualTo(2));
            Assert.That(paragraphs[0]["package"], Is.EqualTo("tool"), "blanks around a one-line value are dropped");
            Assert.That(paragraphs[0]["Description"], Is.EqualTo("a tool  \n more text\n .\n\t tabbed"), "continuation lines as they stand, trailing blanks of the value dropped");
            Assert.That(paragraphs[0].Text, Is.EqualTo("Package:  tool \nDescription: a tool  \n more text\n .\n\t tabbed  \n"));
            Assert.That(paragraphs[0].LineNumber, Is.EqualTo(3));
            Assert.That(paragraphs[1].Fields, Is.EqualTo(new KeyValuePair<string, string>[] { new("PACKAGE", "second"), new("Files", "\n a b c") }));
            Assert.That(paragraphs[1].LineNumber, Is.EqualTo(9));
        });
    }

    [Test]
    public void AValueIsBytes()
    {
        // "à" is C3 A0 in UTF-8; read as Latin-1, A0 is a no-break space, which must not be trimmed.
        byte[] text = [.. "X-Name: Andr\u00e9 \u00e0\nX-Latin1: Andr"u8, 0xe9, .. "\n"u8];
        Deb822Paragraph paragraph = Deb822Paragraph.ParseAll(text, "test").Single();
        Assert.Multiple(() =>
        {
            Assert.That(paragraph["X-Name"], Is.EqualTo("Andr\u00e9 \u00e0"));
            Assert.That(Encoding.Latin1.GetBytes(paragraph.Raw("X-Latin1")!), Is.EqualTo("Andr"u8.ToArray().Append((byte)0xe9)));
        });
    }

    [Test]
    public void AParagraphMayLackItsFinalNewline()
    {
        Deb822Paragraph paragraph = Deb822Paragraph.ParseAll("A: 1\nB: 2"u8.ToArray(), "test").Single();
        Assert.That((paragraph["B"], paragraph.Text), Is.EqualTo(("2", "A: 1\nB: 2\n")));
    }

    [Test]
    public void ReadsOneParagraphAtATimeWithItsBytes()
    {
        byte[] text = "A: 1\n\nB: 2\n bad\n\nC: 3"u8.ToArray();
        using IEnumerator<Deb822Paragraph> read = Deb822Paragraph.Read(text, "test").GetEnumerator();
        Assert.That(read.MoveNext(), Is.True);
        Deb822Paragraph first = read.Current;
        Assert.That(read.MoveNext(), Is.True);
        Deb822Paragraph second = read.Current;
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(first.Bytes.Span), Is.EqualTo("A: 1\n"), "the paragraph's own bytes, no blank line");
            Assert.That(Encoding.UTF8.GetString(second.Bytes.Span), Is.EqualTo("B: 2\n bad\n"));
            Assert.That(second.LineNumber, Is.EqualTo(3), "line numbers count from the start of the content");
            Assert.That(read.MoveNext(), Is.True);
            Assert.That(Encoding.UTF8.GetString(read.Current.Bytes.Span), Is.EqualTo("C: 3"), "the last paragraph as it ends");
            Assert.That(read.MoveNext(), Is.False);
        });
    }

    [Test]
    public void ReadingLazilyReportsAnErrorWhenItIsReached()
    {
        byte[] text = "A: 1\n\nno colon\n"u8.ToArray();
        using IEnumerator<Deb822Paragraph> read = Deb822Paragraph.Read(text, "test").GetEnumerator();
        Assert.That(read.MoveNext(), Is.True, "the first paragraph is read before the bad line is");
        Assert.That(() => read.MoveNext(), Throws.TypeOf<InvalidPackageException>().With.Message.EqualTo("test: line 3: expected \"Field: value\", got 'no colon'"));
    }

    [TestCase(" continuation first\n", "test: line 1: continuation line without a field")]
    [TestCase("A: 1\n\n more\n", "test: line 3: continuation line without a field")]
    [TestCase("A: 1\nno colon here\n", "test: line 2: expected \"Field: value\", got 'no colon here'")]
    [TestCase("A: 1\nTwo Words: x\n", "test: line 2: expected \"Field: value\", got 'Two Words: x'")]
    [TestCase(": x\n", "test: line 1: expected \"Field: value\", got ': x'")]
    [TestCase("Name: a\nB: 2\nname: b\n", "test: line 3: duplicate field 'name'")]
    [TestCase("# a comment\nA: 1\n", "test: line 1: expected \"Field: value\", got '# a comment'")]
    public void ALineThatIsNoFieldIsRefusedByNumber(string text, string message)
    {
        var error = Assert.Throws<InvalidPackageException>(() => Deb822Paragraph.ParseAll(Encoding.UTF8.GetBytes(text), "test"))!;
        Assert.That(error.Message, Is.EqualTo(message));
    }

    [Test]
    public void CommentsOnlyWhereTheFormatHasThem()
    {
        byte[] text = "# header\nA: 1\n# inside\n more\nB: 2\n"u8.ToArray();
        Deb822Paragraph paragraph = Deb822Paragraph.ParseAll(text, "sources", comments: true).Single();
        Assert.That(paragraph.Fields, Is.EqualTo(new KeyValuePair<string, string>[] { new("A", "1\n more"), new("B", "2") }));
    }

    [Test]
    public void WhatTheWriterWritesReadsBack()
    {
        KeyValuePair<string, string>[] fields =
        [
            new("Description", "\n tool - a tool"),
            new("X-Other", "kept"),
            new("format", "1.8"),
            new("Changes", "\n tool (1.0) stable; urgency=medium\n .\n   * Packaged."),
        ];
        string text = Deb822Writer.Render(ControlType.Changes, fields);
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("Format: 1.8\nDescription:\n tool - a tool\nChanges:\n tool (1.0) stable; urgency=medium\n .\n   * Packaged.\nX-Other: kept\n"));
            Assert.That(Deb822Paragraph.ParseAll(Encoding.UTF8.GetBytes(text), "written").Single().Fields,
                Is.EquivalentTo(fields.Select(f => f.Key == "format" ? new KeyValuePair<string, string>("Format", f.Value) : f)));
        });
    }

    [TestCase("first\nsecond")]
    [TestCase("first\n \n more")]
    [TestCase("first\n")]
    public void TheWriterRefusesAValueThatWouldNotReadBack(string value) =>
        Assert.That(() => Deb822Writer.Render(ControlType.DebControl, [new("X-Field", value)]), Throws.ArgumentException.With.Message.Contain("X-Field"));
}
