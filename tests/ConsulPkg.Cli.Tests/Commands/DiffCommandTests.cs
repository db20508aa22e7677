using System.Text;
using System.Text.Json;
using ConsulPkg.Cli.Tests.DpkgDeb;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>
/// <c>consul-pkg diff OLD NEW</c> on packages dpkg-deb built: a rebuild of the same tree is equal
/// whatever made it; a changed tree shows each change once, in text and in JSON; exit 0, 1, 2 as
/// diff(1).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DiffCommandTests
{
    private static readonly Lazy<string> Changed = new(BuildChanged);

    private static DpkgDebCorpus Corpus => DpkgDebCorpus.Instance;

    [TestCase("varied-gzip", "ours-gzip")]
    [TestCase("varied-none", "ours-none")]
    public void TheSameTreeBuiltTwiceIsEqual(string old, string now)
    {
        Outcome r = Diff(Corpus.Packages[old], Corpus.Packages[now]);
        Assert.That((r.ExitCode, r.Stdout.Length, r.Stderr), Is.EqualTo((0, 0, "")));
    }

    [Test]
    public void SignatureMembersAddedAreShown()
    {
        Outcome r = Diff(Corpus.Packages["varied-gzip"], Corpus.Packages["varied-signed"]);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(Text(r).Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..], Is.EqualTo(new[]
        {
            "member _gpgbuilder: added (_gpgbuilder)",
            "member _gpgorigin: added (_gpgorigin)",
        }));
    }

    [Test]
    public void AnotherCompressionIsAMemberChangeOnly()
    {
        Outcome r = Diff(Corpus.Packages["varied-xz"], Corpus.Packages["varied-zstd"]);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(Text(r).Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..], Is.EqualTo(new[]
        {
            "member control.tar: control.tar.xz, xz -> control.tar.zst, zstd",
            "member data.tar: data.tar.xz, xz -> data.tar.zst, zstd",
        }));
    }

    [Test]
    public void EachChangeIsOneLineAndScriptsAreUnifiedDiffs()
    {
        Outcome r = Diff(Corpus.Packages["varied-xz"], Changed.Value);
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Stderr);
        string text = Text(r);
        string[] lines = text.Split('\n');
        Assert.That(lines[0], Is.EqualTo("--- " + Corpus.Packages["varied-xz"]));
        Assert.That(lines[1], Is.EqualTo("+++ " + Changed.Value));
        Assert.That(lines[2..4], Is.EqualTo(new[] { "member control.tar: control.tar.xz, xz -> control.tar.gz, gzip", "member data.tar: data.tar.xz, xz -> data.tar.gz, gzip" }));
        Assert.That(text, Does.Contain("\nfield Version: 1:2.3-4 -> 1:2.3-5\n"));
        Assert.That(text, Does.Contain("\nfield Recommends: removed (bar)\n"));
        Assert.That(text, Does.Contain("\nfield Breaks: added (old-varied)\n"));
        Assert.That(text, Does.Contain("\nfile /usr/bin/tool: size, sha256 changed: file 0755 root/root 5000 bytes sha256 "));
        Assert.That(text, Does.Contain("\nfile /usr/share/varied/readonly: mode changed: file 0444 "));
        Assert.That(text, Does.Contain("\nfile /usr/bin/tool-link: link changed: "));
        Assert.That(text, Does.Contain("\nfile /usr/share/varied/empty: removed (file 0644 root/root 0 bytes sha256 e3b0c442"));
        Assert.That(text, Does.Contain("\nfile /usr/share/varied/new-file: added (file 0644 root/root 4 bytes sha256 "));
        Assert.That(text, Does.Contain("\nconffile /etc/varied/new.conf: added (listed)\n"));
        Assert.That(text, Does.Contain("\ncontrol file postinst: changed\n--- a/postinst\n+++ b/postinst\n@@ -1,3 +1,3 @@\n #!/bin/sh -e\n-# configure\n+# configure again\n exit 0\n"));
        Assert.That(text, Does.Contain("\ncontrol file prerm: removed ("));
        Assert.That(text, Does.Not.Contain("DEBIAN"), "the control area is not in the files");
        Assert.That(lines.Count(l => l.StartsWith("file ", StringComparison.Ordinal)), Is.EqualTo(6), "the tool's hard links are the same links, its digest changed once");
    }

    [Test]
    public void JsonHasTheSameChanges()
    {
        Outcome r = Diff(Corpus.Packages["varied-xz"], Changed.Value, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Stderr);
        using JsonDocument document = JsonDocument.Parse(r.Stdout);
        JsonElement root = document.RootElement;
        Assert.That((root.GetProperty("schema").GetInt32(), root.GetProperty("equal").GetBoolean()), Is.EqualTo((1, false)));
        JsonElement version = root.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Version");
        Assert.That((version.GetProperty("change").GetString(), version.GetProperty("old").GetString(), version.GetProperty("new").GetString()), Is.EqualTo(("changed", "1:2.3-4", "1:2.3-5")));
        JsonElement tool = root.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "/usr/bin/tool");
        Assert.That(tool.GetProperty("differences").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "size", "sha256" }));
        JsonElement added = root.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "/usr/share/varied/new-file");
        Assert.That((added.GetProperty("change").GetString(), added.GetProperty("old").ValueKind), Is.EqualTo(("added", JsonValueKind.Null)));
        Assert.That(root.GetProperty("control_files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "postinst").GetProperty("diff").GetString(), Does.StartWith("--- a/postinst\n"));
        Assert.That(root.GetProperty("members").GetArrayLength(), Is.EqualTo(2));

        Outcome equal = Diff(Corpus.Packages["varied-gzip"], Corpus.Packages["ours-gzip"], "--json");
        Assert.That(equal.ExitCode, Is.Zero);
        using JsonDocument same = JsonDocument.Parse(equal.Stdout);
        Assert.That(same.RootElement.GetProperty("equal").GetBoolean(), Is.True);
        Assert.That(same.RootElement.GetProperty("files").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void StandardInputIsOneSide()
    {
        Outcome r = DpkgDebRunner.Native(Corpus.Sandbox("diff"), ["diff", "-", Corpus.Packages["ours-zstd"]], File.ReadAllBytes(Corpus.Packages["varied-zstd"]));
        Assert.That((r.ExitCode, r.Stderr), Is.EqualTo((0, "")));
    }

    [TestCase("missing")]
    [TestCase("not-a-deb")]
    public void AnErrorIsExitTwoWithOneLine(string what)
    {
        string sandbox = Corpus.Sandbox("diff");
        string path = Path.Combine(sandbox, what);
        if (what == "not-a-deb")
        {
            File.WriteAllText(path, "plain text\n");
        }
        Outcome r = Diff(Corpus.Packages["varied-gzip"], path);
        Assert.That((r.ExitCode, r.StderrLines, r.Stdout.Length), Is.EqualTo((2, 1, 0)), r.Stderr);
    }

    private static Outcome Diff(string old, string now, params string[] options) =>
        DpkgDebRunner.Native(Corpus.Sandbox("diff"), ["diff", .. options, old, now]);

    private static string Text(Outcome r) => Encoding.UTF8.GetString(r.Stdout);

    /// <summary>The varied tree changed in each way a diff shows, built by dpkg-deb in gzip (the original is xz).</summary>
    private static string BuildChanged()
    {
        string sandbox = Corpus.Sandbox("diff-tree");
        string tree = Path.Combine(sandbox, "tree");
        ProcessRunner.Run("cp", "-a", Corpus.VariedTree, tree).EnsureSuccess();
        string control = File.ReadAllText(Path.Combine(tree, "DEBIAN/control"))
            .Replace("Version: 1:2.3-4\n", "Version: 1:2.3-5\n", StringComparison.Ordinal)
            .Replace("Recommends: bar\n", "Breaks: old-varied\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(tree, "DEBIAN/control"), control);
        File.WriteAllText(Path.Combine(tree, "DEBIAN/postinst"), "#!/bin/sh -e\n# configure again\nexit 0\n");
        File.Delete(Path.Combine(tree, "DEBIAN/prerm"));
        File.AppendAllText(Path.Combine(tree, "DEBIAN/conffiles"), "/etc/varied/new.conf\n");
        File.WriteAllText(Path.Combine(tree, "etc/varied/new.conf"), "new\n");
        // Written in place, so the tool's hard links keep sharing it.
        File.AppendAllText(Path.Combine(tree, "usr/bin/tool"), "more");
        File.SetUnixFileMode(Path.Combine(tree, "usr/share/varied/readonly"), (UnixFileMode)0x1a4);
        File.Delete(Path.Combine(tree, "usr/bin/tool-link"));
        File.CreateSymbolicLink(Path.Combine(tree, "usr/bin/tool-link"), "./tool");
        ProcessRunner.Run("chown", "-h", "daemon:daemon", Path.Combine(tree, "usr/bin/tool-link")).EnsureSuccess();
        File.Delete(Path.Combine(tree, "usr/share/varied/empty"));
        File.WriteAllText(Path.Combine(tree, "usr/share/varied/new-file"), "new\n");
        string deb = Path.Combine(sandbox, "changed.deb");
        Outcome built = DpkgDebRunner.Theirs(sandbox, ["-Zgzip", "-b", tree, deb]);
        Assert.That(built.ExitCode, Is.Zero, built.ToString());
        return deb;
    }
}
