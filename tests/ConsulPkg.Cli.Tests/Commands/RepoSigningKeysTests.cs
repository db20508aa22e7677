using System.Globalization;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary><c>repo publish</c> with several signing keys: what it prints, and the warning for a key that expires before Valid-Until.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RepoSigningKeysTests
{
    [Test]
    public void AKeyExpiringBeforeValidUntilIsAWarningNamingTheDateAndBothKeysAreNamed()
    {
        using var gpg = new GpgHome();
        using var temp = new TempDirectory("consul-pkg-repo-keys-");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string expiry = now.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string lasting = gpg.Generate("Lasting <lasting@repo.invalid>", "ed25519");
        string soon = gpg.Generate("Soon <soon@repo.invalid>", "ed25519", expire: expiry);
        gpg.ExportSecret(lasting, temp.Combine("lasting.asc"), armor: true);
        gpg.ExportSecret(soon, temp.Combine("soon.asc"), armor: true);
        temp.WriteFile("tree/usr/share/tool/README", "tool\n");
        var context = CliRunner.Context(temp.Path, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) }, () => now);
        CliRunner.Run(context, "fpm", "-s", "dir", "-t", "deb", "-n", "tool", "-v", "1.0", "-a", "all", "-p", "tool.deb", "-C", "tree", ".").EnsureSuccess();

        ProcessResult r = CliRunner.Run(context, "repo", "publish", "--repo", "repo", "--suite", "stable", "--signing-key", "lasting.asc", "--signing-key", "soon.asc", "tool.deb");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(r.StdOut, Does.Contain($"signed dists/stable/InRelease with keys {lasting}, {soon}, valid until "));
            Assert.That(r.StdErr, Is.EqualTo($"consul-pkg: warning: signing key {soon} expires on {expiry}, before the Release's Valid-Until {now.AddDays(28):yyyy-MM-dd}: apt refuses its signature from then on; extend the key or publish again before then\n"));
        });
    }
}
