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

    internal static RepositoryChangeResult Publish(string repository, IReadOnlyList<string> packages, string? keyFile = null, DateTimeOffset? date = null,
        string suite = "stable", string component = "main", string? origin = null, string? passphrase = null, int? keepVersions = null, bool dryRun = false, IReadOnlyList<string>? keyFiles = null)
    {
        DateTimeOffset when = date ?? Date;
        IReadOnlyList<string> signers = keyFiles ?? [keyFile ?? Keys.RsaArmored];
        return RepositoryPublisher.Publish(new PublishOptions
        {
            Repository = new RepositoryWriteOptions
            {
                Directory = repository,
                SigningKeys = [.. signers.Select(k => SigningKey.Load(k, passphrase, when))],
                Date = when,
                DryRun = dryRun,
            },
            Suite = suite,
            Component = component,
            Origin = origin,
            Packages = packages,
            KeepVersions = keepVersions,
        });
    }

    internal static RepositoryChangeResult Remove(string repository, string suite, params string[] selectors) =>
        RepositoryPublisher.Remove(new RemoveOptions
        {
            Repository = Signed(repository, Date),
            Suite = suite,
            Packages = [.. selectors.Select(PackageSelector.Parse)],
        });

    internal static RepositoryChangeResult Copy(string repository, string from, string to, params string[] selectors) =>
        CopyAt(Date, repository, from, to, selectors);

    internal static RepositoryChangeResult CopyAt(DateTimeOffset date, string repository, string from, string to, params string[] selectors) =>
        RepositoryPublisher.Copy(new CopyOptions
        {
            Repository = Signed(repository, date),
            From = from,
            To = to,
            Packages = [.. selectors.Select(PackageSelector.Parse)],
        });

    /// <summary>The repository, signed with the RSA test key at <paramref name="date"/>.</summary>
    internal static RepositoryWriteOptions Signed(string repository, DateTimeOffset date) =>
        new() { Directory = repository, SigningKeys = [SigningKey.Load(Keys.RsaArmored, null, date)], Date = date };
}
