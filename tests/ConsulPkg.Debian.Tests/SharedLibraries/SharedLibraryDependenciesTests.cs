using ConsulPkg.Debian.SharedLibraries;
using ConsulPkg.Testing.SharedLibraries;

namespace ConsulPkg.Debian.Tests.SharedLibraries;

/// <summary>
/// Depends computed from C programs compiled here (against libz, libssl, libm and libc), compared
/// with dpkg-shlibdeps' output for the same files on the same host.
/// </summary>
[TestFixture]
public sealed class SharedLibraryDependenciesTests
{
    /// <summary>zlib's oldest symbols: its symbols file's lowest version.</summary>
    private const string OldZlib = "#include <zlib.h>\nint main(void) { unsigned char out[64]; uLongf n = sizeof out; return compress(out, &n, (const Bytef *)\"x\", 1); }\n";

    /// <summary>crc32_z came with zlib 1.2.9: a higher minimum version than the file's lowest.</summary>
    private const string NewZlib = "#include <zlib.h>\nint main(void) { return (int)crc32_z(0, (const Bytef *)\"x\", 1); }\n";

    /// <summary>libssl and libcrypto, with OPENSSL_strcasecmp from OpenSSL 3.0.3.</summary>
    private const string Tls = "#include <openssl/ssl.h>\n#include <openssl/crypto.h>\n"
        + "int main(int argc, char **argv) { SSL_CTX *c = SSL_CTX_new(TLS_method()); SSL_CTX_free(c); return OPENSSL_strcasecmp(argv[0], \"a\") + argc; }\n";

    /// <summary>libm's exp (a GLIBC_2.29 version) and libc's arc4random (glibc 2.36).</summary>
    private const string Math = "#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
        + "int main(int argc, char **argv) { printf(\"%f %u\\n\", exp(atof(argv[0])) + sqrt(argc), arc4random()); return 0; }\n";

    private static readonly object[] Programs =
    [
        new object[] { "zlib-old", OldZlib, new[] { "-lz" } },
        new object[] { "zlib-new", NewZlib, new[] { "-lz" } },
        new object[] { "tls", Tls, new[] { "-lssl", "-lcrypto" } },
        new object[] { "math", Math, new[] { "-lm" } },
    ];

    [TestCaseSource(nameof(Programs))]
    public void AProgramNeedsWhatDpkgShlibdepsSays(string name, string source, string[] flags)
    {
        using var bench = new ShlibdepsBench();
        bench.Add($"/usr/bin/{name}", bench.Compile(name, source, flags));
        string ours = bench.Ours();
        Assert.That(ours, Is.EqualTo(bench.DpkgDepends()));
        Assert.That(ours, Does.StartWith("libc6 (>= "), "every program needs libc");
    }

    [Test]
    public void SeveralProgramsNeedOneEntryPerPackageAtTheHighestVersion()
    {
        using var bench = new ShlibdepsBench();
        bench.Add("/usr/bin/zlib-old", bench.Compile("zlib-old", OldZlib, "-lz"));
        bench.Add("/usr/bin/zlib-new", bench.Compile("zlib-new", NewZlib, "-lz"));
        bench.Add("/usr/bin/tls", bench.Compile("tls", Tls, "-lssl", "-lcrypto"));
        bench.Add("/usr/lib/tool/math", bench.Compile("math", Math, "-lm"));
        string ours = bench.Ours();
        Assert.That(ours, Is.EqualTo(bench.DpkgDepends()));
        Assert.That(ours, Is.EqualTo("libc6 (>= 2.36), libssl3 (>= 3.0.3), zlib1g (>= 1:1.2.11.dfsg)"));
    }

    [Test]
    public void ALibraryThePackageShipsNeedsNoDependencyButWhatItNeedsDoes()
    {
        using var bench = new ShlibdepsBench();
        string library = bench.Compile("libdemo.so", "#include <zlib.h>\nunsigned long demo(void) { return crc32_z(0, (const unsigned char *)\"x\", 1); }\n",
            "-shared", "-fPIC", "-Wl,-soname,libdemo.so.1", "-lz");
        string program = bench.Compile("demo", "unsigned long demo(void);\nint main(void) { return (int)demo(); }\n", "-ldemo", "-Wl,-rpath,$ORIGIN/../lib/demo");
        bench.Add("/usr/bin/demo", program);
        bench.Add("/usr/lib/demo/libdemo.so.1", library);
        string ours = bench.Ours();
        Assert.That(ours, Is.EqualTo(bench.DpkgDepends()));
        Assert.That(ours, Does.Contain("zlib1g (>= 1:1.2.11.dfsg)").And.Not.Contain("demo"));
    }

    [Test]
    public void AStaticProgramNeedsNothing()
    {
        using var bench = new ShlibdepsBench();
        bench.Add("/usr/bin/static", bench.Compile("static", "int main(void) { return 0; }\n", "-static"));
        Assert.That(bench.Ours(), Is.Empty.And.EqualTo(bench.DpkgDepends()));
    }

    [Test]
    public void ALibraryNoDirectoryHasIsOneLineNamingTheFileAndTheLibrary()
    {
        using var bench = new ShlibdepsBench();
        bench.Compile("libnothere.so", "int nothere(void) { return 1; }\n", "-shared", "-fPIC", "-Wl,-soname,libnothere.so.1");
        bench.Add("/usr/bin/needy", bench.Compile("needy", "int nothere(void);\nint main(void) { return nothere(); }\n", "-lnothere"));
        PackageException e = bench.RefusedByBoth("cannot find library libnothere.so.1 needed by debian/pkg/usr/bin/needy");
        Assert.That(e.Message, Is.EqualTo("/usr/bin/needy needs libnothere.so.1 (64-bit x86-64), which no installed package provides: no library directory of this host has it; install the package that ships it, or list the dependency yourself"));
        Assert.That(e.Setting, Is.EqualTo(PackageSettings.AutoDepends));
    }

    [Test]
    public void ALibraryFoundWhereNoPackageOwnsItIsRefusedNamingWhere()
    {
        using var bench = new ShlibdepsBench();
        string library = bench.Compile("libnothere.so", "int nothere(void) { return 1; }\n", "-shared", "-fPIC", "-Wl,-soname,libnothere.so.1");
        File.Copy(library, Path.Combine(Path.GetDirectoryName(library)!, "libnothere.so.1"));
        string rpath = Path.GetDirectoryName(library)!;
        bench.Add("/usr/bin/needy", bench.Compile("needy", "int nothere(void);\nint main(void) { return nothere(); }\n", "-lnothere", "-Wl,-rpath," + rpath));
        PackageException e = bench.RefusedByBoth($"no dependency information found for {rpath}/libnothere.so.1");
        Assert.That(e.Message, Is.EqualTo($"/usr/bin/needy needs libnothere.so.1, found at {rpath}/libnothere.so.1, which no installed package provides: install the package that ships it, or list the dependency yourself"));
    }

    [Test]
    public void ABinaryForAnotherMachineIsNeverGivenTheHostsLibraries()
    {
        using var bench = new ShlibdepsBench();
        byte[] bytes = File.ReadAllBytes(bench.Compile("math", Math, "-lm"));
        bytes[18] = 183; // e_machine = EM_AARCH64: an arm64 build of the same program
        bench.Add("/usr/bin/math", Path.Combine(bench.Directory, "math-arm64"));
        File.WriteAllBytes(Path.Combine(bench.Directory, "math-arm64"), bytes);
        PackageException e = bench.RefusedByBoth("cannot find library libm.so.6 needed by debian/pkg/usr/bin/math");
        Assert.That(e.Message, Does.StartWith("/usr/bin/math needs libm.so.6 (64-bit AArch64), which no installed package provides"));
    }

    /// <summary>
    /// A library whose package has a shlibs file and no symbols file, in a dpkg database made for
    /// the test (libc6's own files copied in): the shlibs line is the dependency, a "udeb:" line
    /// does not count, and dpkg's shlibs.override wins over the package's line.
    /// </summary>
    [Test]
    public void ALibraryWithOnlyAShlibsFileGetsItsLineAndTheOverrideWins()
    {
        using var bench = new ShlibdepsBench();
        string library = bench.Compile("libfake.so", "int fake(void) { return 1; }\n", "-shared", "-fPIC", "-Wl,-soname,libfake.so.1");
        string libraries = Path.GetDirectoryName(library)!;
        File.Copy(library, Path.Combine(libraries, "libfake.so.1"));
        bench.Add("/usr/bin/faker", bench.Compile("faker", "int fake(void);\nint main(void) { return fake(); }\n", "-lfake", "-Wl,-rpath," + libraries));
        string info = Path.Combine(bench.Directory, "admin", "info");
        System.IO.Directory.CreateDirectory(info);
        string libc = Path.Combine(ShlibdepsBench.Host.AdminDirectory, "info", $"libc6:{ShlibdepsBench.Host.BuildArchitecture}");
        File.Copy(libc + ".list", Path.Combine(info, "libc6.list"));
        File.Copy(libc + ".symbols", Path.Combine(info, "libc6.symbols"));
        File.WriteAllText(Path.Combine(info, "libfake1.list"), $"{libraries}\n{libraries}/libfake.so.1\n");
        File.WriteAllText(Path.Combine(info, "libfake1.shlibs"), "udeb: libfake 1 libfake1-udeb (>= 1.2)\nlibfake 1 libfake1 (>= 1.2)\n");
        SharedLibraryHost host = ShlibdepsBench.Host with { AdminDirectory = Path.Combine(bench.Directory, "admin"), ConfigDirectory = Path.Combine(bench.Directory, "etc") };

        Assert.That(string.Join(", ", SharedLibraryDependencies.Compute(bench.Entries, host.BuildArchitecture, host).Depends), Does.Match(@"^libc6 \(>= 2\.[0-9.]+\), libfake1 \(>= 1\.2\)$"));

        System.IO.Directory.CreateDirectory(host.ConfigDirectory);
        File.WriteAllText(Path.Combine(host.ConfigDirectory, "shlibs.override"), "libfake 1 libfake-ng1\n");
        Assert.That(SharedLibraryDependencies.Compute(bench.Entries, host.BuildArchitecture, host).Depends.Select(d => d.Text), Does.Contain("libfake-ng1"));
    }
}
