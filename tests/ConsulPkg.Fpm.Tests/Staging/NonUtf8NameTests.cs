using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;
using ConsulPkg.Fpm.Tests.Support;

namespace ConsulPkg.Fpm.Tests.Staging;

/// <summary>
/// A Unix name is bytes: a tree holding names that are not UTF-8 (<c>caf\xe9</c> and
/// <c>caf\xe8</c> in Latin-1) is packaged with those exact bytes, as dpkg-deb packages it, and
/// the real dpkg-deb lists, extracts and checks them. The tree is made and read back through
/// the shell, because .NET's own path APIs cannot name such files.
/// </summary>
[TestFixture]
public sealed class NonUtf8NameTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown()
    {
        // TempDirectory deletes through .NET, which cannot name these files.
        Shell("rm -rf \"$1\"/*", _temp.Path);
        _temp.Dispose();
    }

    [Test]
    public void NamesThatAreNotUtf8ArePackagedAsTheirBytes()
    {
        Shell("""
              cd "$1" && mkdir -p stage/usr/share/x "stage/usr/share/d$(printf '\377')"
              printf one > "stage/usr/share/x/caf$(printf '\351')"
              printf two > "stage/usr/share/x/caf$(printf '\350')"
              printf three > "stage/usr/share/x/caf$(printf '\303\251')"
              printf four > "stage/usr/share/d$(printf '\377')/f"
              ln -s "caf$(printf '\351')" "stage/usr/share/x/l$(printf '\376')"
              """, _temp.Path);
        FpmBuild build = FpmPackageMapper.Map(FpmTestOptions.For(_temp, "bytes") with { Chdir = "stage", Version = "1.0", GenerateDocumentation = false });
        DebPackageWriter.WriteFile(build.Spec, build.OutputPath);

        // dpkg-deb lists them the way tar quotes a byte that is not UTF-8: octal.
        string listing = Encoding.UTF8.GetString(Shell("LC_ALL=C.UTF-8 dpkg-deb -c \"$1\" | awk '{print $6, $7, $8}'", build.OutputPath));
        Assert.That(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "./  ", "./usr/  ", "./usr/share/  ", "./usr/share/d\\377/  ", "./usr/share/d\\377/f  ",
            "./usr/share/x/  ", "./usr/share/x/café  ", "./usr/share/x/caf\\350  ", "./usr/share/x/caf\\351  ",
            "./usr/share/x/l\\376 -> caf\\351",
        }));

        // The stored bytes themselves, unquoted.
        byte[] names = Shell("dpkg-deb --fsys-tarfile \"$1\" | tar -t --quoting-style=literal", build.OutputPath);
        Assert.That(names, Is.EqualTo(Latin1(
            "./\n./usr/\n./usr/share/\n./usr/share/d\xff/\n./usr/share/d\xff/f\n./usr/share/x/\n" +
            "./usr/share/x/caf\xc3\xa9\n./usr/share/x/caf\xe8\n./usr/share/x/caf\xe9\n./usr/share/x/l\xfe\n")));

        // md5sums names the same bytes, so dpkg can check what it unpacked.
        byte[] md5sums = Shell("dpkg-deb --ctrl-tarfile \"$1\" | tar -xO ./md5sums", build.OutputPath);
        Assert.That(md5sums, Is.EqualTo(Latin1(
            $"{Md5("four")}  usr/share/d\xff/f\n{Md5("three")}  usr/share/x/caf\xc3\xa9\n" +
            $"{Md5("two")}  usr/share/x/caf\xe8\n{Md5("one")}  usr/share/x/caf\xe9\n")));

        // dpkg-deb -x recreates every name with its content: none collides with another.
        byte[] extracted = Shell("""
                                 export LC_ALL=C; dpkg-deb -x "$1" "$2/out" && cd "$2/out/usr/share" &&
                                 for f in x/* d*/f; do printf '%s=' "$f"; cat "$f"; echo; done; readlink x/l*
                                 """, build.OutputPath, _temp.Path);
        Assert.That(extracted, Is.EqualTo(Latin1("x/caf\xc3\xa9=three\nx/caf\xe8=two\nx/caf\xe9=one\nx/l\xfe=one\nd\xff/f=four\ncaf\xe9\n")));
    }

    [Test]
    public void ATarballInputKeepsItsNamesBytesToo()
    {
        Shell("""
              cd "$1" && mkdir -p "t/caf$(printf '\351')" && printf one > "t/caf$(printf '\351')/f" &&
              ln -s "caf$(printf '\351')" "t/l$(printf '\350')" && tar -cf in.tar -C t .
              """, _temp.Path);
        FpmBuild build = FpmPackageMapper.Map(FpmTestOptions.For(_temp, "bytes", "in.tar") with { InputType = FpmInputKind.Tarball, Version = "1.0", GenerateDocumentation = false });
        DebPackageWriter.WriteFile(build.Spec, build.OutputPath);

        byte[] listing = Shell("dpkg-deb --fsys-tarfile \"$1\" | tar -tv --quoting-style=literal | awk '{print $6, $7, $8}'", build.OutputPath);
        Assert.That(listing, Is.EqualTo(Latin1("./  \n./caf\xe9/  \n./caf\xe9/f  \n./l\xe8 -> caf\xe9\n")));
    }

    [Test]
    public void AMessageShowsTheBytesAsTarDoes()
    {
        Shell("mkfifo \"$1/caf$(printf '\\351')\"", _temp.Path);
        var ex = Assert.Throws<PackageException>(() => FpmPackageMapper.Map(FpmTestOptions.For(_temp, "bytes", ".") with { Version = "1.0" }));
        Assert.That(ex!.Message, Does.StartWith($"cannot package '{_temp.Path}/caf\\351': it is a FIFO"));
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static string Md5(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(content)));

    /// <summary>Runs a shell script with arguments $1...; fails the test unless it exits 0; returns stdout's bytes.</summary>
    private static byte[] Shell(string script, params string[] arguments)
    {
        ProcessResult output = ProcessRunner.Run("sh", ["-c", script, "sh", .. arguments]);
        Assert.That(output.ExitCode, Is.Zero, output.StdErr);
        return output.StdOutBytes;
    }
}
