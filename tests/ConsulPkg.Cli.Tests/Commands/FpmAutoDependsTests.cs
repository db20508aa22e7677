using ConsulPkg.Cli.Tests.Support;
using ConsulPkg.Testing.SharedLibraries;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>
/// <c>consul-pkg fpm --deb-auto-depends</c> on programs compiled here (<see cref="ShlibdepsBench"/>):
/// the built package's Depends are dpkg-shlibdeps' for the same files, computed entries merge with
/// the given ones, and a library no package provides is refused (the computation's cases are
/// compared with dpkg-shlibdeps in ConsulPkg.Debian.Tests).
/// </summary>
[TestFixture]
public sealed class FpmAutoDependsTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ComputedEntriesMergeWithTheGivenOnesOneEntryPerPackage()
    {
        using var bench = new ShlibdepsBench();
        bench.Add("/usr/bin/zip-tool", bench.Compile("zip-tool", "#include <zlib.h>\nint main(void) { unsigned char o[64]; uLongf n = sizeof o; return compress(o, &n, (const Bytef *)\"x\", 1); }\n", "-lz"));
        Stage(bench);
        ProcessResult r = CliRunner.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "zip-tool", "-a", "amd64", "-C", "tree", "-p", "out.deb",
            "-d", "libc6 (>= 2.36)", "-d", "zlib1g", "-d", "adduser", "--deb-auto-depends", ".");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(r.StdErr, Is.Empty);
        // libc6 (>= 2.34) is computed, the given 2.36 is stronger; the computed zlib1g (>= 1:1.1.4) covers the given zlib1g.
        Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", _temp.Combine("out.deb"), "Depends").EnsureSuccess().StdOut,
            Is.EqualTo("libc6 (>= 2.36), zlib1g (>= 1:1.1.4), adduser\n"));
    }

    [Test]
    public void WithNoOtherDependsThePackagesDependsAreWhatDpkgShlibdepsPrints()
    {
        using var bench = new ShlibdepsBench();
        bench.Add("/usr/bin/zip-tool", bench.Compile("zip-tool", "#include <zlib.h>\nint main(void) { return (int)crc32_z(0, (const Bytef *)\"x\", 1); }\n", "-lz"));
        bench.Add("/usr/bin/tls-tool", bench.Compile("tls-tool", "#include <openssl/ssl.h>\nint main(void) { SSL_CTX *c = SSL_CTX_new(TLS_method()); SSL_CTX_free(c); return 0; }\n", "-lssl", "-lcrypto"));
        bench.Add("/usr/lib/tool/math", bench.Compile("math", "#include <math.h>\n#include <stdlib.h>\nint main(int argc, char **argv) { return (int)exp(atof(argv[0])) + argc; }\n", "-lm"));
        Stage(bench);

        ProcessResult r = CliRunner.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "tools", "-a", "amd64", "-C", "tree", "-p", "out.deb", "--deb-auto-depends", ".");
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        string dpkg = bench.DpkgDepends();
        Assert.That(dpkg, Does.Contain("libssl3 (>= ").And.Contain("zlib1g (>= ").And.StartWith("libc6 (>= "), "the programs need what they were linked against");
        Assert.That(ProcessRunner.RunUtc("dpkg-deb", "-f", _temp.Combine("out.deb"), "Depends").EnsureSuccess().StdOut, Is.EqualTo(dpkg + "\n"));
    }

    [Test]
    public void ALibraryNoPackageProvidesIsOneLineAndNothingIsWritten()
    {
        using var bench = new ShlibdepsBench();
        bench.Compile("libnothere.so", "int nothere(void) { return 1; }\n", "-shared", "-fPIC", "-Wl,-soname,libnothere.so.1");
        bench.Add("/usr/bin/needy", bench.Compile("needy", "int nothere(void);\nint main(void) { return nothere(); }\n", "-lnothere"));
        Stage(bench);
        ProcessResult r = CliRunner.Run(_temp.Path, "fpm", "-s", "dir", "-t", "deb", "-n", "needy", "-a", "amd64", "-C", "tree", "-p", "out.deb", "--deb-auto-depends", ".");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Is.EqualTo("consul-pkg: /usr/bin/needy needs libnothere.so.1 (64-bit x86-64), which no installed package provides: no library directory of this host has it; install the package that ships it, or list the dependency yourself (--deb-auto-depends)\n"));
            Assert.That(File.Exists(_temp.Combine("out.deb")), Is.False);
        });
    }

    /// <summary>Copies the bench's programs into tree/, the directory the package is built from.</summary>
    private void Stage(ShlibdepsBench bench)
    {
        foreach ((string packagePath, string compiled) in bench.Files)
        {
            string target = _temp.Combine("tree" + packagePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(compiled, target);
        }
    }
}
