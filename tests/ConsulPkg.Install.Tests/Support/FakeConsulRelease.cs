using ConsulPkg.Consul;
using ConsulPkg.Consul.Tests.Support;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// The recipe tests' fake release (stand-in consul in a zip, SHA256SUMS, detached signature by a
/// test key) served on 127.0.0.1, and <c>consul-pkg build</c> run against it as a user would.
/// </summary>
/// <remarks>
/// The default version is one of the tutorial's 0.7.x range that consul-pkg has no pinned hash
/// for: 0.7.2 is pinned to HashiCorp's real zip, so a fake 0.7.2 is (rightly) refused. Everything
/// else is the seed's package: name consul, iteration 1, amd64.
/// </remarks>
public sealed class FakeConsulRelease : IDisposable
{
    /// <summary>The default release: the tutorial's range.</summary>
    public const string Version = "0.7.5";

    /// <summary>Gossip keys of the fake cluster: 16 bytes, base64, as `consul keygen` prints them.</summary>
    public const string GossipKey = "q7RGz1pAkm8nKj5vyYq0YA==";

    public const string OtherGossipKey = "3SYAxnmrHcW7k3Dqh2gpyA==";

    public const string Maintainer = "Ops Team <ops@consul-pkg.invalid>";

    private readonly FakeReleaseServer server = new();
    private readonly TempDirectory work = new("consul-pkg-release-");

    /// <param name="version">The release to serve and package (another range of the version facts).</param>
    public FakeConsulRelease(string version = Version)
    {
        ConsulVersion = version;
        new FakeRelease(version).Publish(server, TestKeys.Trusted);
        TrustedKeyFile = work.Combine("trusted.asc");
        File.WriteAllText(TrustedKeyFile, TestKeys.Trusted.ArmoredPublicKey);
        Directory.CreateDirectory(work.Combine("out"));
    }

    public string TrustedKeyFile { get; }

    public string ConsulVersion { get; }

    /// <summary>
    /// Builds consul_VERSION-ITERATION_amd64.deb with <c>consul-pkg build</c> and returns its path.
    /// </summary>
    /// <param name="templates">A directory of templates overriding shipped ones (<c>--templates</c>).</param>
    /// <param name="delivery">Where the agents get their key: <paramref name="gossipKey"/> in the configs, or none in the package.</param>
    public string Build(string iteration = "1", string layout = "seed", string gossipKey = GossipKey, string? templates = null,
        GossipKeyDelivery delivery = GossipKeyDelivery.Embedded)
    {
        var output = work.Combine("out", $"{layout}-{iteration}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        var keyFile = Path.Combine(output, "gossip.key");
        File.WriteAllText(keyFile, gossipKey + "\n");

        var arguments = new List<string>
        {
            "build", "--consul-version", ConsulVersion, "--iteration", iteration,
            "--release-url", server.BaseUrl.ToString(), "--trusted-key", TrustedKeyFile,
            "--maintainer", Maintainer, "--layout", layout, "--output", output,
        };
        arguments.AddRange(delivery switch
        {
            GossipKeyDelivery.AtInstall => ["--gossip-key-at-install"],
            GossipKeyDelivery.None => ["--no-gossip-encryption"],
            _ => ["--gossip-key-file", keyFile],
        });
        if (templates is not null)
        {
            arguments.AddRange(["--templates", templates]);
        }

        // A private download cache: the build must not read or fill the developer's own.
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["XDG_CACHE_HOME"] = work.Combine("cache") };
        ConsulPkgProcess.Run(arguments, output, environment).EnsureSuccess();

        var deb = Path.Combine(output, $"consul_{ConsulVersion}-{iteration}_amd64.deb");
        Assert.That(File.Exists(deb), Is.True, $"consul-pkg build did not write {deb}");
        File.Delete(keyFile);
        return deb;
    }

    public void Dispose()
    {
        server.Dispose();
        work.Dispose();
    }
}
