namespace ConsulPkg.Repository.Tests.Support;

/// <summary>A fresh scratch directory per test, with the repository's path inside it (not created).</summary>
public abstract class ScratchRepository
{
    private protected TempDirectory Work { get; private set; } = null!;

    private protected string Repo => Work.Combine("repo");

    [SetUp]
    public void CreateScratch() => Work = new TempDirectory();

    [TearDown]
    public void RemoveScratch() => Work.Dispose();
}
