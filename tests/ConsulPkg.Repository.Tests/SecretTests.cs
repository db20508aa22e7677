using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>
/// <c>repo publish</c> refuses a package that carries a secret (a Consul gossip key in a config,
/// a private key block in any file), naming the package and the file, and leaves the
/// repository as it was; <c>--allow-secrets</c> publishes it 0600 with a warning; a package
/// without secrets is published 0644.
/// </summary>
public sealed class SecretTests
{
    private const string GossipKey = "q7RGz1+Akm8nKj/vyYq0YA==";

    private TempDirectory work = null!;
    private string repo = null!;

    [SetUp]
    public void Create()
    {
        work = new TempDirectory();
        repo = work.Combine("repo");
        ProcessResult first = Cli(TestDebs.Build(work.Path, "tool", "1.0-1"));
        Assert.That(first.ExitCode, Is.Zero, first.StdErr);
    }

    [TearDown]
    public void Remove() => work.Dispose();

    private static (string, byte[]) File(string path, string content) => (path, Encoding.UTF8.GetBytes(content));

    /// <summary>The package the Consul recipe builds with an embedded key: the key in the role configs.</summary>
    private string EmbeddedKeyPackage() => TestDebs.Build(work.Path, "consul", "0.7.2-1", files:
    [
        File("/etc/consul.d/server/consul.json", $"{{\n  \"server\": true,\n  \"encrypt\": \"{GossipKey}\",\n  \"retry_join\": [\"10.0.0.1\"]\n}}\n"),
    ]);

    /// <summary>What a key-free build carries: configs without encrypt, and a postinst that writes the key it is given.</summary>
    private string KeyFreePackage() => TestDebs.Build(work.Path, "consul", "0.7.2-2", files:
    [
        File("/etc/consul.d/server/consul.json", "{\n  \"server\": true,\n  \"retry_join\": [\"10.0.0.1\"]\n}\n"),
        File("/usr/share/doc/consul/example.sh", "printf '{\"encrypt\": \"%s\"}\\n' \"$key\" > /etc/consul.d/node/encrypt.json\n"),
    ]);

    [Test]
    public void APackageWithAGossipKeyIsRefusedNamingThePackageAndTheFile()
    {
        string deb = EmbeddedKeyPackage();
        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        ProcessResult result = Cli(deb);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.StdErr, Is.EqualTo(
                $"consul-pkg: {deb}: refusing to publish consul 0.7.2-1: /etc/consul.d/server/consul.json holds a gossip key (encrypt), and whoever can fetch from the repository would have it; "
                + "publish a package that carries no secret (the Consul recipe's key-free build), or allow secrets (--allow-secrets)\n"));
            Assert.That(result.StdErr, Does.Not.Contain(GossipKey));
            Assert.That(result.StdOut, Is.Empty);
            Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before), "the repository is exactly as it was");
        }
    }

    [Test]
    public void AllowedSecretsArePublished0600WithAWarningAndOthers0644()
    {
        string deb = EmbeddedKeyPackage();
        ProcessResult result = Cli("--allow-secrets", deb, TestDebs.Build(work.Path, "other", "1.0-1"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StdErr);
            Assert.That(result.StdErr, Does.StartWith(
                $"consul-pkg: warning: {deb} carries a secret (/etc/consul.d/server/consul.json holds a gossip key (encrypt)): its pool file is 0600; serve this repository only to machines that may have it\n"));
            Assert.That(System.IO.File.GetUnixFileMode(Path.Combine(repo, "pool/main/c/consul/consul_0.7.2-1_amd64.deb")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(System.IO.File.GetUnixFileMode(Path.Combine(repo, "pool/main/o/other/other_1.0-1_amd64.deb")), Is.EqualTo(Public));
        }
    }

    private const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Test]
    public void AKeyFreePackageIsPublished0644EvenFromA0600File()
    {
        string deb = KeyFreePackage();
        System.IO.File.SetUnixFileMode(deb, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ProcessResult result = Cli(deb);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdErr, Does.Not.Contain("secret"));
        Assert.That(System.IO.File.GetUnixFileMode(Path.Combine(repo, "pool/main/c/consul/consul_0.7.2-2_amd64.deb")), Is.EqualTo(Public));
    }

    [Test]
    public void APackageHoldingAPemPrivateKeyIsRefused()
    {
        using var rsa = RSA.Create(2048);
        string deb = TestDebs.Build(work.Path, "webapp", "1.0-1", files: [File("/etc/webapp/tls.key", rsa.ExportPkcs8PrivateKeyPem() + "\n")]);
        ProcessResult result = Cli(deb);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.StdErr, Does.Contain($"{deb}: refusing to publish webapp 1.0-1: /etc/webapp/tls.key holds a private key (PRIVATE KEY)"));
    }

    [Test]
    public void APackageHoldingAnArmoredOpenPgpSecretKeyIsRefused()
    {
        string deb = TestDebs.Build(work.Path, "signer", "1.0-1", files: [("/etc/signer/key.asc", System.IO.File.ReadAllBytes(Keys.RsaArmored))]);
        ProcessResult result = Cli(deb);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.StdErr, Does.Contain("/etc/signer/key.asc holds a private key (PGP PRIVATE KEY BLOCK)"));
    }

    [Test]
    public void PublicKeysAndCertificatesAreNotSecrets()
    {
        using var rsa = RSA.Create(2048);
        string deb = TestDebs.Build(work.Path, "certs", "1.0-1", files:
        [
            File("/etc/certs/key.pub", rsa.ExportSubjectPublicKeyInfoPem() + "\n"),
            ("/usr/share/keyrings/certs.gpg", System.IO.File.ReadAllBytes(Path.Combine(repo, "archive-keyring.gpg"))),
        ]);
        ProcessResult result = Cli(deb);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
    }

    [Test]
    public void CopyRefusesAPackageThatCarriesASecretAndLeavesTheRepositoryUnchanged()
    {
        string deb = EmbeddedKeyPackage();
        ProcessResult published = Cli("--allow-secrets", deb);
        Assert.That(published.ExitCode, Is.Zero, published.StdErr);
        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        string pool = Path.Combine(repo, "pool/main/c/consul/consul_0.7.2-1_amd64.deb");

        ProcessResult refused = Copy("consul");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1));
            Assert.That(refused.StdErr, Is.EqualTo(
                $"consul-pkg: {pool}: refusing to copy to testing consul 0.7.2-1: /etc/consul.d/server/consul.json holds a gossip key (encrypt), and whoever can fetch from the repository would have it; "
                + "publish a package that carries no secret (the Consul recipe's key-free build), or allow secrets (--allow-secrets)\n"));
            Assert.That(refused.StdErr, Does.Not.Contain(GossipKey));
            Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before), "the repository is exactly as it was");
        }

        ProcessResult allowed = Copy("--allow-secrets", "consul");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed.ExitCode, Is.Zero, allowed.StdErr);
            Assert.That(allowed.StdOut, Does.Contain("copied consul 0.7.2-1 amd64"));
            Assert.That(allowed.StdErr, Does.StartWith($"consul-pkg: warning: {pool} carries a secret"));
            Assert.That(System.IO.File.GetUnixFileMode(pool), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void ADryRunRefusesASecretAsThePublishWould()
    {
        Dictionary<string, string> before = RepositorySnapshot.Take(repo);
        ProcessResult result = ConsulPkgProcess.Run(["repo", "publish", "--repo", repo, "--suite", "stable", "--dry-run", EmbeddedKeyPackage()], sourceDateEpoch: Date.ToUnixTimeSeconds());
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.StdErr, Does.Contain("refusing to publish consul 0.7.2-1"));
        Assert.That(RepositorySnapshot.Take(repo), Is.EqualTo(before));
    }

    private ProcessResult Copy(params string[] arguments) =>
        ConsulPkgProcess.Run(["repo", "copy", "--repo", repo, "--from", "stable", "--to", "testing", "--signing-key", Keys.RsaArmored, .. arguments], sourceDateEpoch: Date.ToUnixTimeSeconds());

    private ProcessResult Cli(params string[] arguments) =>
        ConsulPkgProcess.Run(["repo", "publish", "--repo", repo, "--suite", "stable", "--signing-key", Keys.RsaArmored, .. arguments], sourceDateEpoch: Date.ToUnixTimeSeconds());
}

/// <summary><see cref="SecretScan"/> on file contents: what is a secret and what only looks like one.</summary>
public sealed class SecretScanTests
{
    [TestCase("{\"encrypt\": \"q7RGz1+Akm8nKj/vyYq0YA==\"}", "a gossip key (encrypt)")]
    [TestCase("{\n  \"encrypt\"  :\n  \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"\n}", "a gossip key (encrypt)")]
    [TestCase("server = true\nencrypt = \"q7RGz1+Akm8nKj/vyYq0YA==\"\n", "a gossip key (encrypt)")]
    [TestCase("{\"encrypt\": \"%s\"}", null)]
    [TestCase("{\"encrypt\": \"\"}", null)]
    [TestCase("{\"encrypt\": \"bm90IGEga2V5\"}", null)] // base64, but not a size Consul takes
    [TestCase("encrypt_verify_incoming = true\n", null)]
    [TestCase("-----BEGIN RSA PRIVATE KEY-----\n(not followed by a body and an END line)\n", null)]
    public void WhatAFileHolds(string content, string? expected) =>
        Assert.That(SecretScan.InspectWhole(Encoding.UTF8.GetBytes(content)), Is.EqualTo(expected));

    [Test]
    public void AKeyBlockInsideALargeBinaryIsFoundAcrossWindows()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] block = Encoding.ASCII.GetBytes(ec.ExportECPrivateKeyPem() + "\n");
        foreach (int at in new[] { 0, (1 << 20) - 10, (1 << 20) - 3, (3 << 20) + 12345, (5 << 20) - block.Length })
        {
            byte[] binary = new byte[5 << 20];
            new Random(at).NextBytes(binary);
            block.CopyTo(binary, at);
            using var stream = new MemoryStream(binary);
            Assert.That(SecretScan.Inspect(stream, binary.Length), Is.EqualTo("a private key (EC PRIVATE KEY)"), $"at {at}");
        }
    }

    [Test]
    public void ALargeBinaryWithoutKeysHoldsNone()
    {
        byte[] binary = new byte[3 << 20];
        new Random(7).NextBytes(binary);
        Encoding.ASCII.GetBytes("-----BEGIN RSA PRIVATE KEY-----").CopyTo(binary, 1 << 20); // the marker alone, as a program's strings hold it
        using var stream = new MemoryStream(binary);
        Assert.That(SecretScan.Inspect(stream, binary.Length), Is.Null);
    }
}
