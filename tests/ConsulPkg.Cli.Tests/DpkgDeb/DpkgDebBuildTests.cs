using System.Text;

namespace ConsulPkg.Cli.Tests.DpkgDeb;

/// <summary>
/// <c>consul-pkg dpkg-deb -b</c> against the real dpkg-deb on the same trees with the same
/// SOURCE_DATE_EPOCH: without compression the packages are byte for byte the same; compressed,
/// the members have the same names and decompress to the same tars (read back by the real
/// dpkg-deb). What each prints and how it exits is the same too, refusals included.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DpkgDebBuildTests
{
    private static IEnumerable<TestCaseData> Builds()
    {
        string[][] options =
        [
            ["-Znone"],
            ["-Znone", "--root-owner-group"],
            ["-Zgzip"],
            ["-Zgzip", "-z1", "--root-owner-group"],
            ["-Zgzip", "-z0"],
            ["-Zgzip", "-Sfiltered"],
            ["-Zgzip", "-Shuffman", "--threads-max=1"],
            ["-Zgzip", "-Srle"],
            ["-Zgzip", "-Sfixed"],
            [],
            ["-Zxz", "-z0", "-Sextreme"],
            ["-Zzstd"],
            ["-Zzstd", "-z19", "--no-uniform-compression"],
            ["--deb-format=0.939000", "-Zgzip"],
            ["--deb-format=0.939000", "-Znone"],
            ["-v", "-D", "--uniform-compression", "-Znone"],
        ];
        foreach (string tree in new[] { "varied", "odd" })
        {
            foreach (string[] option in options)
            {
                yield return new TestCaseData(tree, option).SetName($"Build_{tree}_{(option.Length == 0 ? "default" : string.Join("_", option))}");
            }
        }
    }

    [TestCaseSource(nameof(Builds))]
    public void BuildsWhatDpkgDebBuilds(string tree, string[] options)
    {
        string source = tree == "varied" ? DpkgDebCorpus.Instance.VariedTree : DpkgDebCorpus.Instance.OddTree;
        string directory = DpkgDebCorpus.Instance.Sandbox("build");
        string[] args = [.. options, "-b", source, "package.deb"];
        (Outcome theirs, byte[] theirDeb, Outcome ours, byte[] ourDeb) = BuildBoth(directory, args);
        AssertSameOutcome(theirs, ours, args);
        AssertSamePackage(directory, theirDeb, ourDeb, plain: options.Contains("-Znone"), args);
        DpkgDebRunner.Remove(directory);
    }

    [TestCase("gzip", "1", null, "")]
    [TestCase("zstd", null, "2", "")]
    [TestCase("none", null, null, "")]
    [TestCase("none", "5", null, "-Zgzip")]
    [TestCase("xz", null, "1", "-z0")]
    [TestCase("bzip2", null, null, "")]
    [TestCase("gzip", "x", null, "")]
    [TestCase("gzip", "10", null, "")]
    [TestCase("gzip", null, "0", "")]
    public void TakesTheCompressorAndThreadsFromTheEnvironmentAsDpkgDeb(string type, string? level, string? threads, string option)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DPKG_DEB_COMPRESSOR_TYPE"] = type,
            ["DPKG_DEB_COMPRESSOR_LEVEL"] = level,
            ["DPKG_DEB_THREADS_MAX"] = threads,
        };
        string directory = DpkgDebCorpus.Instance.Sandbox("build-environment");
        string[] args = [.. option.Length > 0 ? new[] { option } : [], "-b", DpkgDebCorpus.Instance.OddTree, "package.deb"];
        (Outcome theirs, byte[] theirDeb, Outcome ours, byte[] ourDeb) = BuildBoth(directory, args, environment);
        AssertSameOutcome(theirs, ours, args);
        if (theirs.ExitCode == 0)
        {
            AssertSamePackage(directory, theirDeb, ourDeb, plain: type == "none" && option.Length == 0, args);
            Assert.That(DpkgDebCorpus.ArMembers(ourDeb).Select(m => m.Name), Is.EqualTo(DpkgDebCorpus.ArMembers(theirDeb).Select(m => m.Name)), "the environment's compressor, or the option's over it");
        }
        else
        {
            Assert.That((ours.StderrLines, ourDeb.Length), Is.EqualTo((1, 0)), ours.Stderr);
        }
        DpkgDebRunner.Remove(directory);
    }

    [Test]
    public void NamesThePackageFromItsControlFileWhenTheDestinationIsADirectory()
    {
        string directory = DpkgDebCorpus.Instance.Sandbox("build-dir");
        Directory.CreateDirectory(Path.Combine(directory, "dist"));
        Outcome theirs = DpkgDebRunner.Theirs(directory, ["-Znone", "--build", DpkgDebCorpus.Instance.OddTree, "dist/"]);
        string[] theirFiles = Directory.GetFiles(Path.Combine(directory, "dist")).Select(Path.GetFileName).ToArray()!;
        byte[] theirDeb = File.ReadAllBytes(Path.Combine(directory, "dist", theirFiles.Single()));
        File.Delete(Path.Combine(directory, "dist", theirFiles.Single()));
        Outcome ours = DpkgDebRunner.Ours(directory, ["-Znone", "--build", DpkgDebCorpus.Instance.OddTree, "dist/"]);
        string[] ourFiles = Directory.GetFiles(Path.Combine(directory, "dist")).Select(Path.GetFileName).ToArray()!;

        Assert.That(theirFiles, Is.EqualTo(new[] { "odd-name_1.0-7_all.deb" }), "dpkg-deb lowercases the name and drops the zero epoch");
        Assert.That(ourFiles, Is.EqualTo(theirFiles));
        AssertSameOutcome(theirs, ours, ["-b", "odd", "dist/"]);
        Assert.That(File.ReadAllBytes(Path.Combine(directory, "dist", ourFiles[0])), Is.EqualTo(theirDeb));
        DpkgDebRunner.Remove(directory);
    }

    [Test]
    public void WithoutADestinationWritesBesideTheTree()
    {
        string directory = DpkgDebCorpus.Instance.Sandbox("build-beside");
        ProcessRunner.Run("cp", "-a", DpkgDebCorpus.Instance.OddTree, Path.Combine(directory, "tree")).EnsureSuccess();
        Outcome theirs = DpkgDebRunner.Theirs(directory, ["-Znone", "-b", "tree/."]);
        byte[] theirDeb = File.ReadAllBytes(Path.Combine(directory, "tree.deb"));
        File.Delete(Path.Combine(directory, "tree.deb"));
        Outcome ours = DpkgDebRunner.Ours(directory, ["-Znone", "-b", "tree/."]);
        AssertSameOutcome(theirs, ours, ["-b", "tree/."]);
        Assert.That(File.ReadAllBytes(Path.Combine(directory, "tree.deb")), Is.EqualTo(theirDeb));
        DpkgDebRunner.Remove(directory);
    }

    private static IEnumerable<TestCaseData> BadTrees()
    {
        const string Control = "Package: bad\nVersion: 1.0\nArchitecture: all\nMaintainer: M <m@example.org>\nDescription: d\n";
        yield return new TestCaseData("no-control", null, null, 0x1ed).SetName("BuildRefuses_no_control_file");
        yield return new TestCaseData("no-version", "Package: bad\nArchitecture: all\n", null, 0x1ed).SetName("BuildRefuses_missing_version");
        yield return new TestCaseData("no-architecture", "Package: bad\nVersion: 1\n", null, 0x1ed).SetName("BuildRefuses_missing_architecture");
        yield return new TestCaseData("bad-name", Control.Replace("Package: bad", "Package: bad_name", StringComparison.Ordinal), null, 0x1ed).SetName("BuildRefuses_underscore_in_name");
        yield return new TestCaseData("bad-version", Control.Replace("1.0", "a1.0", StringComparison.Ordinal), null, 0x1ed).SetName("BuildRefuses_version_not_starting_with_a_digit");
        yield return new TestCaseData("blank-line", "Package: bad\nDescription: a\n\n b\nVersion: 1\n", null, 0x1ed).SetName("BuildRefuses_blank_line_in_a_value");
        yield return new TestCaseData("mode", Control, null, 0x1c0).SetName("BuildRefuses_control_directory_0700");
        yield return new TestCaseData("script", Control, "postinst:0644", 0x1ed).SetName("BuildRefuses_script_not_executable");
        yield return new TestCaseData("conffile", Control, "conffiles:/etc/missing\n", 0x1ed).SetName("BuildRefuses_missing_conffile");
        yield return new TestCaseData("conffile-relative", Control, "conffiles:etc/x\n", 0x1ed).SetName("BuildRefuses_relative_conffile");
        yield return new TestCaseData("conffile-flag", Control, "conffiles:bogus-flag /etc/x\n", 0x1ed).SetName("BuildRefuses_unknown_conffile_flag");
        yield return new TestCaseData("warnings", Control.Replace("Description: d\n", "Priority: whenever\nDepends: a (> 1)\n", StringComparison.Ordinal), "conffiles:/etc/dup\n/etc/dup\n", 0x1ed).SetName("BuildWarnsAsDpkgDeb_user_priority_obsolete_operator_duplicate_conffile_missing_description");
        yield return new TestCaseData("newline", Control, "newline", 0x1ed).SetName("BuildRefuses_newline_in_a_file_name");
    }

    [TestCaseSource(nameof(BadTrees))]
    public void RefusesAndWarnsAsDpkgDebDoes(string name, string? control, string? extra, int controlMode)
    {
        string directory = DpkgDebCorpus.Instance.Sandbox("bad-" + name);
        string tree = Path.Combine(directory, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc/dup"), "x\n");
        if (control is not null)
        {
            File.WriteAllText(Path.Combine(tree, "DEBIAN/control"), control);
        }
        if (extra is "newline")
        {
            File.WriteAllText(Path.Combine(tree, "etc/new\nline"), "x\n");
        }
        else if (extra?.Split(':', 2) is [string file, string content])
        {
            File.WriteAllText(Path.Combine(tree, "DEBIAN", file), file == "postinst" ? "#!/bin/sh\n" : content);
            File.SetUnixFileMode(Path.Combine(tree, "DEBIAN", file), file == "postinst" ? (UnixFileMode)0x1a4 : (UnixFileMode)0x1a4);
        }
        File.SetUnixFileMode(Path.Combine(tree, "DEBIAN"), (UnixFileMode)controlMode);
        string[] args = ["-Znone", "-b", "tree", "out.deb"];
        (Outcome theirs, byte[] theirDeb, Outcome ours, byte[] ourDeb) = BuildBoth(directory, args);
        AssertSameOutcome(theirs, ours, args);
        if (theirs.ExitCode == 0)
        {
            Assert.That(ourDeb, Is.EqualTo(theirDeb));
        }
        else
        {
            Assert.That(ours.StderrLines, Is.EqualTo(1), ours.Stderr);
            Assert.That(File.Exists(Path.Combine(directory, "out.deb")), Is.False, "nothing half-written");
        }
        if (extra is "newline")
        {
            // --nocheck lets both build it, byte for byte the same.
            (theirs, theirDeb, ours, ourDeb) = BuildBoth(directory, ["--nocheck", .. args]);
            AssertSameOutcome(theirs, ours, ["--nocheck", .. args]);
            Assert.That(theirs.ExitCode, Is.Zero);
            Assert.That(ourDeb, Is.EqualTo(theirDeb));
        }
        DpkgDebRunner.Remove(directory);
    }

    private static (Outcome Theirs, byte[] TheirDeb, Outcome Ours, byte[] OurDeb) BuildBoth(string directory, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string output = Path.Combine(directory, args[^1].EndsWith(".deb", StringComparison.Ordinal) ? args[^1] : "none");
        Outcome theirs = DpkgDebRunner.Theirs(directory, args, environment: environment);
        byte[] theirDeb = File.Exists(output) ? File.ReadAllBytes(output) : [];
        File.Delete(output);
        Outcome ours = DpkgDebRunner.Ours(directory, args, environment: environment);
        byte[] ourDeb = File.Exists(output) ? File.ReadAllBytes(output) : [];
        return (theirs, theirDeb, ours, ourDeb);
    }

    private static void AssertSameOutcome(Outcome theirs, Outcome ours, string[] args)
    {
        string context = $"dpkg-deb {string.Join(' ', args)}\n theirs: {theirs}\n ours: {ours}";
        Assert.That(ours.ExitCode, Is.EqualTo(theirs.ExitCode), context);
        if (theirs.ExitCode == 0)
        {
            Assert.That(Encoding.UTF8.GetString(ours.Stdout), Is.EqualTo(Encoding.UTF8.GetString(theirs.Stdout)), context);
            Assert.That(ours.StderrLines, Is.EqualTo(theirs.StderrLines), context);
        }
    }

    /// <summary>Byte for byte when uncompressed; otherwise the same member names and the same tars inside.</summary>
    private static void AssertSamePackage(string directory, byte[] theirs, byte[] ours, bool plain, string[] args)
    {
        string context = "dpkg-deb " + string.Join(' ', args);
        Assert.That(theirs, Is.Not.Empty, context);
        if (plain)
        {
            Assert.That(ours, Is.EqualTo(theirs), context);
            return;
        }
        if (theirs.AsSpan().StartsWith("!<arch>\n"u8))
        {
            Assert.That(DpkgDebCorpus.ArMembers(ours).Select(m => m.Name), Is.EqualTo(DpkgDebCorpus.ArMembers(theirs).Select(m => m.Name)), context);
        }
        foreach (string part in new[] { "--ctrl-tarfile", "--fsys-tarfile" })
        {
            byte[] theirTar = Unpack(directory, theirs, part);
            Assert.That(theirTar, Is.Not.Empty, context);
            Assert.That(Unpack(directory, ours, part), Is.EqualTo(theirTar), $"{part}: {context}");
        }
    }

    private static byte[] Unpack(string directory, byte[] deb, string part)
    {
        string path = Path.Combine(directory, "unpack.deb");
        File.WriteAllBytes(path, deb);
        return ProcessRunner.Run("dpkg-deb", [part, path]).EnsureSuccess().StdOutBytes;
    }
}
