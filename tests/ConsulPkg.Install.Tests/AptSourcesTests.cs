using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

public sealed class AptSourcesTests
{
    [Test]
    public void Deb822PicksTheStanzaServingTheSuite()
    {
        const string text = """
            Types: deb
            # http://snapshot.example/archive/debian/20250520T000000Z
            URIs: http://mirror.example/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            URIs: http://mirror.example/debian-security
            Suites: bookworm-security
            Components: main
            """;

        var mirror = AptSources.FromDeb822(text, "bookworm");

        Assert.That(mirror, Is.EqualTo(new DebianMirror(
            new Uri("http://mirror.example/debian"), "/usr/share/keyrings/debian-archive-keyring.gpg")));
    }

    [Test]
    public void Deb822SkipsDisabledAndSourceOnlyStanzas()
    {
        const string text = """
            Types: deb
            URIs: http://disabled.example/debian
            Suites: bookworm
            Enabled: no

            Types: deb-src
            URIs: http://sources.example/debian
            Suites: bookworm

            Types: deb deb-src
            URIs: https://used.example/debian
            Suites: bookworm
            Signed-By:
             -----BEGIN PGP PUBLIC KEY BLOCK-----
             .
             -----END PGP PUBLIC KEY BLOCK-----
            """;

        var mirror = AptSources.FromDeb822(text, "bookworm");

        Assert.That(mirror, Is.EqualTo(new DebianMirror(new Uri("https://used.example/debian"), null)));
    }

    [Test]
    public void OneLineFormatWithOptions()
    {
        const string text = """
            # deb http://commented.example/debian bookworm main
            deb-src http://sources.example/debian bookworm main
            deb http://security.example/debian-security bookworm-security main
            deb [arch=amd64 signed-by=/etc/apt/keyrings/debian.gpg] http://mirror.example/debian bookworm main contrib
            """;

        var mirror = AptSources.FromOneLine(text, "bookworm");

        Assert.That(mirror, Is.EqualTo(new DebianMirror(new Uri("http://mirror.example/debian"), "/etc/apt/keyrings/debian.gpg")));
    }

    [Test]
    public void MissingSuiteIsAClearError()
    {
        using var apt = new TempDirectory();
        Directory.CreateDirectory(apt.Combine("sources.list.d"));
        File.WriteAllText(apt.Combine("sources.list"), "deb http://mirror.example/debian trixie main\n");

        var error = Assert.Throws<InvalidOperationException>(() => AptSources.FindMirror("bookworm", apt.Path));

        Assert.That(error!.Message, Does.Contain("no 'deb' source for suite 'bookworm'").And.Contain(AptSources.MirrorOverrideVariable));
    }

    [Test]
    public void ThisMachineHasABookwormMirror()
    {
        var mirror = AptSources.FindMirror(DebianRootCache.Suite);

        Assert.That(mirror.Uri.Scheme, Is.AnyOf("http", "https", "file"));
    }
}
