using System.Text;
using System.Text.Json;
using ConsulPkg.Cli.Tests.DpkgDeb;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>
/// The native inspection commands where they go past dpkg-deb's words: standard input,
/// control files by name, dpkg's renaming of obsolete fields, control, show, the old format,
/// and the JSON of contents, info and show, read back with a JSON parser.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NativeInspectionTests
{
    private static DpkgDebCorpus Corpus => DpkgDebCorpus.Instance;

    [TestCase("contents", "-c")]
    [TestCase("info", "-I")]
    public void ReadsStandardInputAsDpkgDeb(string command, string option)
    {
        byte[] deb = File.ReadAllBytes(Corpus.Packages["varied-xz"]);
        Outcome ours = Native(Corpus.Sandbox("stdin"), [command, "-"], deb);
        Outcome theirs = DpkgDebRunner.Theirs(Corpus.Sandbox("stdin"), [option, "-"], deb);
        Assert.That(ours.ExitCode, Is.Zero, ours.Stderr);
        Assert.That(ours.Stdout, Is.EqualTo(theirs.Stdout));
        Assert.That(Encoding.UTF8.GetString(ours.Stdout), Does.Contain(command == "info" ? " size 0 bytes" : "./usr/bin/tool"), "a pipe has no size, as dpkg-deb says");
    }

    [Test]
    public void ExtractsStandardInputAsDpkgDeb()
    {
        byte[] deb = File.ReadAllBytes(Corpus.Packages["varied-zstd"]);
        string ours = Corpus.Sandbox("stdin-extract");
        string theirs = Corpus.Sandbox("stdin-extract");
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        Assert.That(Native(ours, ["extract", "-", "out"], deb).ExitCode, Is.Zero);
        Assert.That(DpkgDebRunner.Theirs(theirs, ["-x", "-", "out"], deb).ExitCode, Is.Zero);
        Assert.That(DpkgDebRunner.DescribeTree(Path.Combine(ours, "out"), now), Is.EqualTo(DpkgDebRunner.DescribeTree(Path.Combine(theirs, "out"), now)));
    }

    [Test]
    public void FieldsGetDpkgsRenamingOfObsoleteNames()
    {
        string deb = Corpus.Packages["odd-xz"];
        Outcome ours = Native(Corpus.Sandbox("fields"), ["info", deb, "Version"]);
        Outcome many = Native(Corpus.Sandbox("fields"), ["info", deb, "Package", "Version", "Recommends", "Suggests", "Priority", "Revision"]);
        Assert.That(Encoding.UTF8.GetString(ours.Stdout), Is.EqualTo("1.0-7\n"), "Revision: 7 is the version's revision");
        Assert.That(many.Stdout, Is.EqualTo(DpkgDebRunner.Theirs(Corpus.Sandbox("fields"), ["-f", deb, "Package", "Version", "Recommends", "Suggests", "Priority", "Revision"]).Stdout));
        Assert.That(Encoding.UTF8.GetString(many.Stdout), Does.Contain("Recommends: foo\nSuggests: bar (<= 2), baz (>= 1.0)\nPriority: extra\n"));
    }

    [Test]
    public void InfoWithTheNameOfAControlFilePrintsItAsDpkgDebI()
    {
        string deb = Corpus.Packages["varied-gzip"];
        Outcome ours = Native(Corpus.Sandbox("member"), ["info", deb, "postinst", "conffiles"]);
        Outcome theirs = DpkgDebRunner.Theirs(Corpus.Sandbox("member"), ["-I", deb, "postinst", "conffiles"]);
        Assert.That(ours.ExitCode, Is.Zero, ours.Stderr);
        Assert.That(ours.Stdout, Is.EqualTo(theirs.Stdout));
        Assert.That(Encoding.UTF8.GetString(ours.Stdout), Does.StartWith("#!/bin/sh -e\n"));

        Outcome missing = Native(Corpus.Sandbox("member"), ["info", deb, "postinst", "nonexistent"]);
        Assert.That(missing.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(missing.StderrLines, Is.EqualTo(1));
        Assert.That(missing.Stderr, Does.Contain("'nonexistent'"));
    }

    [Test]
    public void ControlUnpacksTheControlAreaAsDpkgDebE()
    {
        string deb = Corpus.Packages["varied-xz"];
        string ours = Corpus.Sandbox("control");
        string theirs = Corpus.Sandbox("control");
        Assert.That(Native(ours, ["control", deb]).ExitCode, Is.Zero, "DEBIAN by default");
        Assert.That(Native(ours, ["control", deb, "named"]).ExitCode, Is.Zero);
        DpkgDebRunner.Theirs(theirs, ["-e", deb]);
        DpkgDebRunner.Theirs(theirs, ["-e", deb, "named"]);
        foreach (string directory in new[] { "DEBIAN", "named" })
        {
            Assert.That(DpkgDebRunner.DescribeTree(Path.Combine(ours, directory)), Is.EqualTo(DpkgDebRunner.DescribeTree(Path.Combine(theirs, directory))));
        }
        Assert.That(File.Exists(Path.Combine(ours, "DEBIAN", "postinst")), Is.True);
    }

    [TestCase("${Package}_${Version}_${Architecture}.deb\\n")]
    [TestCase("${binary:Package} ${source:Version} ${Installed-Size;8}|${Maintainer;-10}|\\t${X-Custom}\\n")]
    public void ShowPrintsWhatDpkgDebWPrints(string format)
    {
        string deb = Corpus.Packages["varied-zstd"];
        Outcome ours = Native(Corpus.Sandbox("show"), ["show", deb, "--format", format]);
        Outcome theirs = DpkgDebRunner.Theirs(Corpus.Sandbox("show"), ["-W", "--showformat=" + format, deb]);
        Assert.That(ours.ExitCode, Is.Zero, ours.Stderr);
        Assert.That(ours.Stdout, Is.EqualTo(theirs.Stdout));
        Assert.That(Native(Corpus.Sandbox("show"), ["show", deb]).Stdout, Is.EqualTo(Encoding.UTF8.GetBytes("varied\t1:2.3-4\n")));
    }

    [Test]
    public void ShowRefusesABadFormatBeforeReadingAnything()
    {
        Outcome bad = Native(Corpus.Sandbox("show"), ["show", "no-such.deb", "--format", "${Package"]);
        Assert.That(bad.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(bad.StderrLines, Is.EqualTo(1));
        Assert.That(bad.Stderr, Does.Contain("missing closing brace"));
    }

    [TestCase("contents", "-c")]
    [TestCase("info", "-I")]
    public void ReadsTheOldFormatAsDpkgDeb(string command, string option)
    {
        string deb = Corpus.Packages["varied-old-format"];
        Outcome ours = Native(Corpus.Sandbox("old"), [command, deb]);
        Outcome theirs = DpkgDebRunner.Theirs(Corpus.Sandbox("old"), [option, deb]);
        Assert.That(ours.ExitCode, Is.Zero, ours.Stderr);
        Assert.That(ours.Stdout, Is.EqualTo(theirs.Stdout));
        if (command == "info")
        {
            Assert.That(Encoding.UTF8.GetString(ours.Stdout), Does.StartWith(" old Debian package, version 0.939000.\n"));
        }
    }

    [Test]
    public void RefusesTheOldFormatsBefore0939000WithOneLine()
    {
        byte[] deb = File.ReadAllBytes(Corpus.Packages["varied-old-format"]);
        Encoding.ASCII.GetBytes("0.932000").CopyTo(deb, 0);
        string path = Path.Combine(Corpus.Sandbox("old"), "old932.deb");
        File.WriteAllBytes(path, deb);
        Outcome ours = Native(Path.GetDirectoryName(path)!, ["info", path]);
        Assert.That(ours.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(ours.StderrLines, Is.EqualTo(1));
        Assert.That(ours.Stderr, Does.Contain("0.932000").And.Contain("0.939000"));
        Assert.That(DpkgDebRunner.Theirs(Path.GetDirectoryName(path)!, ["-I", path]).ExitCode, Is.Not.Zero, "dpkg-deb cannot use it either");
    }

    [Test]
    public void ContentsJsonHasEveryFileWithItsFacts()
    {
        JsonElement json = Json(["contents", "--json", Corpus.Packages["varied-xz"]]);
        Assert.That(json.GetProperty("schema").GetInt32(), Is.EqualTo(1));
        JsonElement[] files = [.. json.GetProperty("files").EnumerateArray()];
        JsonElement tool = files.Single(f => f.GetProperty("name").GetString() == "./usr/bin/tool");
        Assert.That(tool.GetProperty("type").GetString(), Is.EqualTo("file"));
        Assert.That(tool.GetProperty("mode").GetString(), Is.EqualTo("0755"));
        Assert.That(tool.GetProperty("size").GetInt64(), Is.EqualTo(5000));
        Assert.That(tool.GetProperty("mtime").GetInt64(), Is.EqualTo(1480956787));
        Assert.That(files.Single(f => f.GetProperty("name").GetString() == "./usr/bin/tool-link").GetProperty("link").GetString(), Is.EqualTo("tool"));
        Assert.That(files.Single(f => f.GetProperty("name").GetString() == "./usr/bin/tool-hardlink").GetProperty("type").GetString(), Is.EqualTo("hardlink"));
        JsonElement numeric = files.Single(f => f.GetProperty("name").GetString() == "./usr/share/varied/numeric-owner");
        Assert.That((numeric.GetProperty("uid").GetInt64(), numeric.GetProperty("owner").GetString()), Is.EqualTo((12345L, "")));
        Assert.That(files.Single(f => f.GetProperty("name").GetString() == "./usr/share/varied/null-device").GetProperty("major").GetInt32(), Is.EqualTo(1));
        JsonElement latin1 = files.Single(f => f.TryGetProperty("name_base64", out _));
        Assert.That(Convert.FromBase64String(latin1.GetProperty("name_base64").GetString()!), Is.EqualTo(Encoding.Latin1.GetBytes("./usr/share/varied/caf\u00e9")));
        Assert.That(files, Has.Length.EqualTo(Encoding.UTF8.GetString(DpkgDebRunner.Theirs(Corpus.Sandbox("json"), ["-c", Corpus.Packages["varied-xz"]]).Stdout).Count(c => c == '\n')));
    }

    [Test]
    public void InfoJsonHasMembersControlFilesAndFields()
    {
        JsonElement json = Json(["info", "--json", Corpus.Packages["varied-signed"]]);
        Assert.That(json.GetProperty("format").GetString(), Is.EqualTo("2.0"));
        string[] members = [.. json.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];
        Assert.That(members, Is.EqualTo(new[] { "debian-binary", "_gpgorigin", "control.tar.gz", "data.tar.gz", "_gpgbuilder" }), "signature members are listed where they are");
        Assert.That(json.GetProperty("members")[2].GetProperty("compression").GetString(), Is.EqualTo("gzip"));
        JsonElement postinst = json.GetProperty("control").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "postinst");
        Assert.That((postinst.GetProperty("executable").GetBoolean(), postinst.GetProperty("interpreter").GetString(), postinst.GetProperty("lines").GetInt32()), Is.EqualTo((true, "#!/bin/sh", 3)));
        Assert.That(json.GetProperty("control").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "extra.d").GetProperty("type").GetString(), Is.EqualTo("other"));
        JsonElement fields = json.GetProperty("fields");
        Assert.That(fields.GetProperty("Version").GetString(), Is.EqualTo("1:2.3-4"));
        Assert.That(fields.GetProperty("X-Custom").GetString(), Is.EqualTo("first line\n second line"));
    }

    [Test]
    public void ShowJsonHasTheFieldsAsDpkgWritesThem()
    {
        JsonElement fields = Json(["show", "--json", Corpus.Packages["odd-xz"]]).GetProperty("fields");
        Assert.That(fields.GetProperty("Package").GetString(), Is.EqualTo("odd-name"));
        Assert.That(fields.GetProperty("Version").GetString(), Is.EqualTo("1.0-7"));
        Assert.That(fields.GetProperty("Essential").GetString(), Is.EqualTo("yes"));
        Assert.That(fields.GetProperty("Depends").GetString(), Is.EqualTo("a (= 1.0), b (>= 2), c"));
        Assert.That(fields.TryGetProperty("Revision", out _), Is.False, "renamed, as dpkg does");
        string[] order = [.. fields.EnumerateObject().Select(p => p.Name)];
        Assert.That(order.Take(3), Is.EqualTo(new[] { "Package", "Essential", "Priority" }), "dpkg's own order");
    }

    [Test]
    public void JsonWithNamesIsAUsageError()
    {
        Outcome r = Native(Corpus.Sandbox("json"), ["info", "--json", Corpus.Packages["varied-xz"], "Version"]);
        Assert.That((r.ExitCode, r.StderrLines), Is.EqualTo((ExitCodes.Usage, 1)));
    }

    private static JsonElement Json(string[] args)
    {
        Outcome r = Native(Corpus.Sandbox("json"), args);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using JsonDocument document = JsonDocument.Parse(r.Stdout);
        return document.RootElement.Clone();
    }

    private static Outcome Native(string directory, string[] args, byte[]? stdin = null) => DpkgDebRunner.Native(directory, args, stdin);
}
