using ConsulPkg.Repository.Tests.Support;

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

    internal static RepositoryChangeResult Publish(string repository, IReadOnlyList<string> packages, string? keyFile = null, DateTimeOffset? date = null,
        string suite = "stable", string component = "main", string? origin = null, string? passphrase = null, int? keepVersions = null, bool dryRun = false)
    {
        DateTimeOffset when = date ?? Date;
        return RepositoryPublisher.Publish(new PublishOptions
        {
            RepositoryDirectory = repository,
            Suite = suite,
            Component = component,
            SigningKey = SigningKey.Load(keyFile ?? Keys.RsaArmored, passphrase, when),
            Origin = origin,
            Date = when,
            Packages = packages,
            KeepVersions = keepVersions,
            DryRun = dryRun,
        });
    }

    internal static RepositoryChangeResult Remove(string repository, string suite, params string[] selectors) =>
        RepositoryPublisher.Remove(new RemoveOptions
        {
            RepositoryDirectory = repository,
            Suite = suite,
            SigningKey = SigningKey.Load(Keys.RsaArmored, null, Date),
            Date = Date,
            Packages = [.. selectors.Select(PackageSelector.Parse)],
        });

    internal static RepositoryChangeResult Copy(string repository, string from, string to, params string[] selectors) =>
        CopyAt(Date, repository, from, to, selectors);

    internal static RepositoryChangeResult CopyAt(DateTimeOffset date, string repository, string from, string to, params string[] selectors) =>
        RepositoryPublisher.Copy(new CopyOptions
        {
            RepositoryDirectory = repository,
            From = from,
            To = to,
            SigningKey = SigningKey.Load(Keys.RsaArmored, null, date),
            Date = date,
            Packages = [.. selectors.Select(PackageSelector.Parse)],
        });
}
