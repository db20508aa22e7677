using ConsulPkg.Cli.Tests.DpkgDeb;

namespace ConsulPkg.Cli.Tests;

/// <summary>
/// Removes the dpkg-deb corpus after every fixture that may use it has run: the DpkgDeb tests and
/// the native build's (whose dpkg-deb executable runs on the same packages).
/// </summary>
[SetUpFixture]
public sealed class DpkgDebSetUp
{
    [OneTimeTearDown]
    public void CleanUp() => DpkgDebCorpus.DisposeIfCreated();
}
