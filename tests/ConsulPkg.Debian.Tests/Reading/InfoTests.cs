using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Tests.Support;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary><c>info</c> must print exactly what <c>dpkg-deb -I</c> and <c>dpkg-deb -f</c> print.</summary>
[TestFixture]
public sealed class InfoTests
{
    private static readonly Dictionary<string, string?> CLocale = DpkgComparison.Environment("UTC", utf8: false);

    private static string[] Compressions() => PackageFixtures.Compressions;

    [TestCaseSource(nameof(Compressions))]
    public void InfoEqualsDpkgDebInfo(string compression)
    {
        string deb = PackageFixtures.Instance.Packages[compression];
        DpkgComparison.AssertSame(OurInfo(File.OpenRead(deb), deb), ProcessRunner.Run("dpkg-deb", ["-I", deb], environment: CLocale).EnsureSuccess().StdOutBytes);
    }

    [Test]
    public void InfoOnAnUnseekableStreamCountsTheWholeFile()
    {
        string deb = PackageFixtures.Instance.Packages["gzip"];
        DpkgComparison.AssertSame(OurInfo(new ForwardOnlyStream(File.OpenRead(deb)), deb), ProcessRunner.Run("dpkg-deb", ["-I", deb], environment: CLocale).EnsureSuccess().StdOutBytes);
    }

    [Test]
    public void InfoReproducesDpkgQuirksForOddControlFiles()
    {
        using var temp = new TempDirectory();
        string control = temp.Combine("control");
        Directory.CreateDirectory(Path.Combine(control, "sub"));
        File.WriteAllText(Path.Combine(control, "sub", "inner"), "x\n");
        var files = new Dictionary<string, string>
        {
            ["control"] = "Package: odd\nVersion: 1.0\nArchitecture: all\nDescription: no final newline",
            ["bang"] = "#!",
            ["hash"] = "#\n\nx",
            ["nl"] = "\n\n",
            ["spaced"] = "#!  /usr/bin/env  python3\nprint()\n",
            ["tabbed"] = "#!/bin/sh\t-e\n",
            ["empty"] = "",
            ["long-interpreter"] = "#!/" + new string('i', 300) + "\n",
            ["a-name-that-is-longer-than-twenty"] = "#!/bin/bash\n",
        };
        foreach ((string name, string content) in files)
        {
            File.WriteAllText(Path.Combine(control, name), content);
            File.SetUnixFileMode(Path.Combine(control, name), name is "bang" or "spaced" ? (UnixFileMode)0x1ed : (UnixFileMode)0x1a4);
        }
        ProcessRunner.Run("tar", ["--format=gnu", "-C", control, "-czf", temp.Combine("control.tar.gz"), "."]).EnsureSuccess();
        File.WriteAllBytes(temp.Combine("debian-binary"), "2.5\nignored\n"u8.ToArray());
        File.WriteAllBytes(temp.Combine("data.tar"), new RawTarBuilder().Add("./", '5', 0x1ed).Build());
        string deb = temp.Combine("odd.deb");
        ProcessRunner.Run("ar", ["rc", deb, "debian-binary", "_gpgorigin", "control.tar.gz", "data.tar"], workingDirectory: CreateSignature(temp)).EnsureSuccess();
        DpkgComparison.AssertSame(OurInfo(File.OpenRead(deb), deb), ProcessRunner.Run("dpkg-deb", ["-I", deb], environment: CLocale).EnsureSuccess().StdOutBytes);
    }

    private static string CreateSignature(TempDirectory temp)
    {
        File.WriteAllText(temp.Combine("_gpgorigin"), "not really a signature\n");
        return temp.Path;
    }

    /// <summary>Requested fields, separated by '|'.</summary>
    [TestCase("", TestName = "Fields_none_gives_the_control_file")]
    [TestCase("Package", TestName = "Fields_one")]
    [TestCase("Description", TestName = "Fields_one_multiline")]
    [TestCase("x-custom", TestName = "Fields_one_case_insensitive_custom")]
    [TestCase("Nope", TestName = "Fields_one_missing_prints_empty_line")]
    [TestCase("version|Nope|Description|x-CUSTOM|depends", TestName = "Fields_several_with_missing")]
    [TestCase("Nope|Neither", TestName = "Fields_several_all_missing")]
    public void FieldsEqualDpkgDebField(string requested)
    {
        string[] fields = requested.Split('|', StringSplitOptions.RemoveEmptyEntries);
        string deb = PackageFixtures.Instance.Packages["gzip"];
        using DebPackageReader reader = DebPackageReader.Open(deb);
        using var output = new MemoryStream();
        reader.WriteFields(output, fields);
        byte[] expected = ProcessRunner.Run("dpkg-deb", ["-f", deb, .. fields], environment: CLocale).EnsureSuccess().StdOutBytes;
        if (expected.Length == 0)
        {
            Assert.That(output.ToArray(), Is.Empty);
        }
        else
        {
            DpkgComparison.AssertSame(output.ToArray(), expected);
        }
    }

    private static byte[] OurInfo(Stream stream, string name)
    {
        using DebPackageReader reader = DebPackageReader.Open(stream, name);
        using var output = new MemoryStream();
        reader.WriteInfo(output);
        return output.ToArray();
    }
}

/// <summary>dpkg-deb -f rewrites the fields it knows; these cases pin the rewrites we reproduce.</summary>
[TestFixture]
public sealed class FieldRewriteTests
{
    private const string Control = "Package: foo\nVersion: 0:1.0\nArchitecture: all\nEssential: yes\nProtected: no\nInstalled-Size: 0042\n"
        + "Pre-Depends: a:any (<< 2), b (< 1), c(>2)\nDepends: a,b(>=01:1) |c , d\nProvides: x (= 1.0)\nMaintainer: X <x@y.z>\n"
        + "Conflicts: q\n  , r\nMulti-Arch: foreign\nX-Thing:   spaced  \nDescription: hi  \n more  \n";

    [TestCase("Version")]
    [TestCase("Essential")]
    [TestCase("Protected")]
    [TestCase("Pre-Depends")]
    [TestCase("depends")]
    [TestCase("Conflicts")]
    [TestCase("X-Thing")]
    [TestCase("Description")]
    [TestCase("Package|Version|Essential|protected|Installed-Size|Pre-Depends|Depends|Provides|Conflicts|Multi-Arch|X-Thing|Description")]
    public void RewritesKnownFieldsLikeDpkgDeb(string requested)
    {
        string[] fields = requested.Split('|');
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("tree", "DEBIAN"));
        File.WriteAllText(temp.Combine("tree", "DEBIAN", "control"), Control);
        File.SetUnixFileMode(temp.Combine("tree"), (UnixFileMode)0x1ed);
        File.SetUnixFileMode(temp.Combine("tree", "DEBIAN"), (UnixFileMode)0x1ed);
        string deb = temp.Combine("rewrite.deb");
        ProcessRunner.Run("dpkg-deb", ["--root-owner-group", "-b", temp.Combine("tree"), deb]).EnsureSuccess();

        using DebPackageReader reader = DebPackageReader.Open(deb);
        using var output = new MemoryStream();
        reader.WriteFields(output, fields);
        DpkgComparison.AssertSame(output.ToArray(), ProcessRunner.Run("dpkg-deb", ["-f", deb, .. fields]).EnsureSuccess().StdOutBytes);
    }

    [TestCase("C.UTF-8", null, null, true)]
    [TestCase(null, "en_US.utf8", "C", true)]
    [TestCase("C", "C.UTF-8", "C.UTF-8", false)]
    [TestCase(null, null, "de_DE.UTF-8@euro", true)]
    [TestCase(null, null, null, false)]
    [TestCase("", "", "POSIX", false)]
    [TestCase(null, null, "en_US.ISO-8859-1", false)]
    public void PicksTheCharacterSetLikeTheCLibrary(string? lcAll, string? lcCtype, string? lang, bool utf8)
    {
        var variables = new Dictionary<string, string?> { ["LC_ALL"] = lcAll, ["LC_CTYPE"] = lcCtype, ["LANG"] = lang };
        Assert.That(ListingOptions.LocaleIsUtf8(name => variables[name]), Is.EqualTo(utf8));
    }
}
