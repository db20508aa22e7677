namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// A scratch directory holding an apt repository (<see cref="Repository"/>, made empty) served on
/// 127.0.0.1 by a <see cref="RepositoryServer"/>: what every test that points apt at a published
/// repository starts from. Disposing stops the server and removes the directory.
/// </summary>
public sealed class ServedRepository : IDisposable
{
    public ServedRepository(string prefix)
    {
        Work = new TempDirectory(prefix);
        Directory.CreateDirectory(Repository);
        Server = new RepositoryServer(Repository);
    }

    /// <summary>The scratch directory: the repository and anything a test builds beside it.</summary>
    public TempDirectory Work { get; }

    public string Repository => Work.Combine("repo");

    /// <summary>The keyring repo publish writes for clients.</summary>
    public string Keyring => Path.Combine(Repository, "archive-keyring.gpg");

    public RepositoryServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Work.Dispose();
    }
}
