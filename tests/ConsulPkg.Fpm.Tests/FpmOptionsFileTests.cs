using ConsulPkg.Debian;

namespace ConsulPkg.Fpm.Tests;

/// <summary>fpm's <c>--fpm-options-file</c>: flags read from a file into the command line at the option's place.</summary>
[TestFixture]
public sealed class FpmOptionsFileTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>The flags of this test: -n/--name take a value, -f and --verbose do not, anything else is unknown.</summary>
    private static bool? TakesValue(string flag) => flag switch
    {
        "-n" or "--name" or "--vendor" or "--fpm-options-file" => true,
        "-f" or "--verbose" => false,
        _ => null,
    };

    private IReadOnlyList<string> Expand(params string[] args) => FpmOptionsFile.Expand(args, _temp.Path, TakesValue);

    [Test]
    public void FlagsReplaceTheOptionInPlace()
    {
        _temp.WriteFile("a.opts", "-n tool --vendor 'Example Ops'\n\n# a comment\n-f --name=\"x y\" --unknown\n");
        Assert.That(Expand("-s", "dir", "--fpm-options-file", "a.opts", "-n", "later", "."),
            Is.EqualTo(new[] { "-s", "dir", "-n", "tool", "--vendor", "Example Ops", "-f", "--name=x y", "--unknown", "-n", "later", "." }));
    }

    [Test]
    public void ArgumentsWithoutTheOptionAreReturnedAsTheyAre()
    {
        string[] args = ["-s", "dir", "."];
        Assert.That(Expand(args), Is.SameAs(args));
    }

    [TestCase("a b", new[] { "a", "b" })]
    [TestCase("'a b' \"c d\"", new[] { "a b", "c d" })]
    [TestCase(@"a\ b", new[] { "a b" })]
    [TestCase(@"""a \""b\"" \$x \n""", new[] { @"a ""b"" $x \n" })]
    [TestCase("'it'\\''s'", new[] { "it's" })]
    [TestCase("  ", new string[0])]
    public void LinesSplitAsRubyShellwordsDoes(string line, string[] words) =>
        Assert.That(ShellWords.Split(line, "here"), Is.EqualTo(words));

    [Test]
    public void AnOptionsFileMayLoadAnotherOnce()
    {
        _temp.WriteFile("a.opts", "-n tool --fpm-options-file b.opts\n");
        _temp.WriteFile("b.opts", "-f\n");
        Assert.That(Expand("--fpm-options-file=a.opts"), Is.EqualTo(new[] { "-n", "tool", "-f" }));
        _temp.WriteFile("b.opts", "--fpm-options-file a.opts\n");
        var error = Assert.Throws<PackageException>(() => Expand("--fpm-options-file", "a.opts"))!;
        Assert.That(error.Message, Is.EqualTo($"--fpm-options-file '{_temp.Combine("a.opts")}' is read a second time (from '{_temp.Combine("b.opts")}' line 1): an options file may not load itself or one already loaded"));
    }

    [TestCase("-n\n", "line 1: -n needs a value on the same line")]
    [TestCase("-f\n-n tool .\n", "line 2: '.' is not a flag: an options file holds flags and their values only; give inputs on the command line")]
    [TestCase("--vendor \"open\n", "line 1: unmatched quote (\")")]
    public void ABadLineIsRefusedNamingFileAndLine(string content, string message)
    {
        _temp.WriteFile("a.opts", content);
        var error = Assert.Throws<PackageException>(() => Expand("--fpm-options-file", "a.opts"))!;
        Assert.That(error.Message, Is.EqualTo($"the --fpm-options-file file '{_temp.Combine("a.opts")}' {message}"));
    }

    [Test]
    public void AFileLargerThanFpmReadsIsRefused()
    {
        _temp.WriteFile("a.opts", new string('#', FpmOptionsFile.MaxSize + 1));
        var error = Assert.Throws<PackageException>(() => Expand("--fpm-options-file", "a.opts"))!;
        Assert.That(error.Message, Does.StartWith($"the --fpm-options-file file '{_temp.Combine("a.opts")}' is {FpmOptionsFile.MaxSize + 1} bytes, more than the {FpmOptionsFile.MaxSize} fpm reads"));
    }

    [Test]
    public void AMissingValueOrFileIsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Expand("--fpm-options-file"), Throws.TypeOf<PackageException>().With.Message.StartWith("--fpm-options-file needs a file"));
            Assert.That(() => Expand("--fpm-options-file", "missing"), Throws.TypeOf<PackageException>()
                .With.Message.EqualTo($"cannot read the --fpm-options-file file '{_temp.Combine("missing")}': no such file or directory"));
        });
    }
}
