using ConsulPkg.Debian.SharedLibraries;
using ConsulPkg.Testing.SharedLibraries;

namespace ConsulPkg.Debian.Tests.SharedLibraries;

/// <summary>symbols files (deb-symbols(5)) read as dpkg-shlibdeps reads them.</summary>
[TestFixture]
public sealed class SymbolsFileTests
{
    [Test]
    public void ReadsTemplatesAlternativesIndicesAndDeprecatedSymbols()
    {
        SymbolsFile file = SymbolsFile.Parse(
        [
            "libfoo.so.1 libfoo1 #MINVER#",
            "| libfoo1 (>> 1.4), libfoo1 (<< 1.5)",
            "* Build-Depends-Package: libfoo-dev",
            " foo_open@Base 1.0",
            " foo_private@FOO_PRIVATE 1.4 1",
            "#MISSING: 1.3# foo_gone@Base 1.1",
            " (c++)\"foo::bar()@Base\" 1.2",
            " (arch=amd64)foo_amd64@Base 1.3",
            "# a comment",
            "libbar.so.2 libbar2 (>= 2.0)",
        ]);
        SymbolsFile.SharedObject foo = file["libfoo.so.1"]!;
        Assert.Multiple(() =>
        {
            Assert.That(foo.Dependencies, Is.EqualTo(new[] { "libfoo1 #MINVER#", "libfoo1 (>> 1.4), libfoo1 (<< 1.5)" }));
            Assert.That(foo.Symbols.Keys, Is.EquivalentTo(new[] { "foo_open@Base", "foo_private@FOO_PRIVATE", "foo_gone@Base", "foo_amd64@Base" }), "a c++ pattern never matches by name");
            Assert.That(foo.Symbols["foo_private@FOO_PRIVATE"].DependencyIndex, Is.EqualTo(1));
            Assert.That(foo.Symbols["foo_gone@Base"].Deprecated, Is.True);
            Assert.That(foo.SmallestVersion(0)!.ToString(), Is.EqualTo("1.0"));
            Assert.That(file["libbar.so.2"]!.Dependencies, Is.EqualTo(new[] { "libbar2 (>= 2.0)" }));
            Assert.That(file["libbar.so.2"]!.SmallestVersion(0), Is.Null);
        });
    }

    [Test]
    public void ReadsTheHostsLibcFile()
    {
        string path = Path.Combine(ShlibdepsBench.Host.AdminDirectory, "info", $"libc6:{ShlibdepsBench.Host.BuildArchitecture}.symbols");
        SymbolsFile.SharedObject libc = SymbolsFile.Read(path)["libc.so.6"]!;
        Assert.That(libc.Dependencies[0], Is.EqualTo("libc6 #MINVER#"));
        Assert.That(libc.Dependencies[1], Does.StartWith("libc6 (>> "), "GLIBC_PRIVATE symbols pin the exact upstream version");
        Assert.That(libc.Symbols.Values.Where(s => s.DependencyIndex == 1).Select(s => s.Name), Has.All.Contain("@GLIBC_PRIVATE"));
    }
}
