using ConsulPkg.Debian.OpenPgp;
using ConsulPkg.Testing.Signing;

namespace ConsulPkg.Repository.Tests;

/// <summary>Makes the gpg test keys once for the whole run (RSA generation takes a moment) and removes them at the end.</summary>
[SetUpFixture]
public sealed class RepositoryTestSetup
{
    private static TestSigningKeys? keys;

    /// <summary>The Release date of the tests' publishes: after the keys were made, fixed so outputs can be compared.</summary>
    public static readonly DateTimeOffset Date = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    internal static TestSigningKeys Keys => keys ?? throw new InvalidOperationException("the set-up fixture has not run");

    [OneTimeSetUp]
    public void MakeKeys() => keys = new TestSigningKeys();

    [OneTimeTearDown]
    public void RemoveKeys() => keys?.Dispose();

    internal static PublishResult Publish(string repository, IReadOnlyList<string> packages, string? keyFile = null, DateTimeOffset? date = null,
        string suite = "stable", string component = "main", string? origin = null, string? passphrase = null, IReadOnlyList<string>? keyFiles = null)
    {
        DateTimeOffset when = date ?? Date;
        IReadOnlyList<string> signers = keyFiles ?? [keyFile ?? Keys.RsaArmored];
        return RepositoryPublisher.Publish(new PublishOptions
        {
            RepositoryDirectory = repository,
            Suite = suite,
            Component = component,
            SigningKeys = [.. signers.Select(k => SigningKey.Load(k, passphrase, when))],
            Origin = origin,
            Date = when,
            Packages = packages,
        });
    }
}
