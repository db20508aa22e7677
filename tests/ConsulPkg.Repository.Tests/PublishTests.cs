using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>The files a publish writes: layout, indices, Release, by-hash, determinism, carried state.</summary>
public sealed class PublishTests
{
    [Test]
    public void WritesPoolIndicesByHashAndAReleaseListingEveryIndex()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        string tool = TestDebs.Build(work.Path, "tool", "1.0-1");
        string data = TestDebs.Build(work.Path, "tool-data", "1.0-1", "all", source: "tool (1.0-1)");
        string lib = TestDebs.Build(work.Path, "libthing1", "2:3.1-2", "arm64", source: "libthing");

        RepositoryChangeResult result = Publish(repo, [tool, data, lib]);

        string suite = Path.Combine(repo, "dists", "stable");
        Assert.Multiple(() =>
        {
            Assert.That(result.Added, Is.EquivalentTo(new[]
            {
                "pool/main/t/tool/tool_1.0-1_amd64.deb", "pool/main/t/tool/tool-data_1.0-1_all.deb", "pool/main/libt/libthing/libthing1_3.1-2_arm64.deb",
            }));
            foreach (string added in result.Added)
            {
                Assert.That(File.Exists(Path.Combine(repo, added)), Is.True, added);
            }

            Assert.That(result.Architectures, Is.EqualTo(new[] { "all", "amd64", "arm64" }), "exactly the architectures present, all included");
            Assert.That(PackagesOf(suite, "amd64"), Is.EqualTo(new[] { "tool 1.0-1 amd64", "tool-data 1.0-1 all" }), "an all package is listed in each architecture");
            Assert.That(PackagesOf(suite, "arm64"), Is.EqualTo(new[] { "libthing1 2:3.1-2 arm64", "tool-data 1.0-1 all" }));
            Assert.That(PackagesOf(suite, "all"), Is.EqualTo(new[] { "tool-data 1.0-1 all" }), "binary-all holds only the all packages");
            Assert.That(File.Exists(Path.Combine(repo, RepositoryPublisher.KeyringFileName)), Is.True);
        });

        string release = File.ReadAllText(Path.Combine(suite, "Release"));
        Assert.That(release, Does.StartWith("Suite: stable\nCodename: stable\nDate: Sat, 01 Mar 2025 12:00:00 UTC\nValid-Until: Sat, 29 Mar 2025 12:00:00 UTC\nAcquire-By-Hash: yes\nNo-Support-for-Architecture-all: Packages\nArchitectures: all amd64 arm64\nComponents: main\nSHA256:\n"));
        string[] listed = ["main/Contents-all", "main/Contents-all.gz", "main/Contents-amd64", "main/Contents-amd64.gz", "main/Contents-arm64", "main/Contents-arm64.gz",
            "main/binary-all/Packages", "main/binary-all/Packages.gz", "main/binary-all/Packages.xz",
            "main/binary-amd64/Packages", "main/binary-amd64/Packages.gz", "main/binary-amd64/Packages.xz",
            "main/binary-arm64/Packages", "main/binary-arm64/Packages.gz", "main/binary-arm64/Packages.xz"];
        Assert.That(release.Split('\n').Count(l => l.StartsWith(' ')), Is.EqualTo(2 * listed.Length), "each index once under SHA256 and once under SHA512, nothing else");
        foreach (string index in listed)
        {
            byte[] content = File.ReadAllBytes(Path.Combine(suite, index));
            string sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
            string sha512 = Convert.ToHexStringLower(SHA512.HashData(content));
            Assert.Multiple(() =>
            {
                Assert.That(release, Does.Contain($" {sha256} {content.Length,16} {index}\n"), index);
                Assert.That(release, Does.Contain($" {sha512} {content.Length,16} {index}\n"), index);
                string directory = Path.Combine(suite, Path.GetDirectoryName(index)!, "by-hash");
                Assert.That(File.ReadAllBytes(Path.Combine(directory, "SHA256", sha256)), Is.EqualTo(content), "by-hash/SHA256 copy of " + index);
                Assert.That(File.ReadAllBytes(Path.Combine(directory, "SHA512", sha512)), Is.EqualTo(content), "by-hash/SHA512 copy of " + index);
            });
        }

        Assert.That(Decompressed(Path.Combine(suite, "main/binary-amd64/Packages.xz"), "xz"), Is.EqualTo(File.ReadAllBytes(Path.Combine(suite, "main/binary-amd64/Packages"))));
        Assert.That(Decompressed(Path.Combine(suite, "main/binary-amd64/Packages.gz"), "gzip"), Is.EqualTo(File.ReadAllBytes(Path.Combine(suite, "main/binary-amd64/Packages"))));
    }

    [Test]
    public void StanzasFollowDpkgScanpackagesOrder()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        string deb = TestDebs.Build(work.Path, "tool", "1.0-1", source: "tool-src (0.9)");
        Publish(repo, [deb]);

        string[] names = [.. Deb822Paragraph.ParseAll(File.ReadAllBytes(Path.Combine(repo, "dists/stable/main/binary-amd64/Packages")), "Packages")
            .Single().Fields.Select(f => f.Key)];
        Assert.That(names, Is.EqualTo(new[]
        {
            "Package", "Source", "Version", "Architecture", "Maintainer", "Installed-Size", "Depends", "Filename", "Size", "MD5sum", "SHA256",
            "Section", "Priority", "Homepage", "Description", "Vendor",
        }));
        Assert.That(File.ReadAllText(Path.Combine(repo, "dists/stable/main/binary-amd64/Packages")), Does.Contain("Filename: pool/main/t/tool-src/tool_1.0-1_amd64.deb\n"));
    }

    [Test]
    public void SameInputsAndDateGiveTheSameBytes()
    {
        using var work = new TempDirectory();
        string[] debs = [TestDebs.Build(work.Path, "tool", "1.0-1"), TestDebs.Build(work.Path, "other", "2.0", "all")];
        Publish(work.Combine("one"), debs, Keys.RsaArmored);
        Publish(work.Combine("two"), debs, Keys.RsaArmored);
        Publish(work.Combine("three"), debs, Keys.Ed25519Binary);
        Publish(work.Combine("four"), debs, Keys.Ed25519Binary);

        Assert.Multiple(() =>
        {
            Assert.That(RepositorySnapshot.Take(work.Combine("two")), Is.EqualTo(RepositorySnapshot.Take(work.Combine("one"))), "RSA");
            Assert.That(RepositorySnapshot.Take(work.Combine("four")), Is.EqualTo(RepositorySnapshot.Take(work.Combine("three"))), "Ed25519");
        });
    }

    [Test]
    public void LaterPublishesKeepPackagesAndOriginAndSkipIdenticalUploads()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        string first = TestDebs.Build(work.Path, "tool", "1.0-1");
        Publish(repo, [first], origin: "Example Ops");

        string second = TestDebs.Build(work.Path, "tool", "1.0-2", payload: "newer\n");
        RepositoryChangeResult result = Publish(repo, [first, second], date: Date.AddDays(1));

        string release = File.ReadAllText(Path.Combine(repo, "dists/stable/Release"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Added, Is.EqualTo(new[] { "pool/main/t/tool/tool_1.0-2_amd64.deb" }));
            Assert.That(result.AlreadyPresent, Is.EqualTo(new[] { "pool/main/t/tool/tool_1.0-1_amd64.deb" }));
            Assert.That(PackagesOf(Path.Combine(repo, "dists/stable"), "amd64"), Is.EqualTo(new[] { "tool 1.0-1 amd64", "tool 1.0-2 amd64" }));
            Assert.That(release, Does.StartWith("Origin: Example Ops\nSuite: stable\nCodename: stable\n"), "Origin is kept when not given again");
        });
    }

    [Test]
    public void ComponentsAccumulateAndEachIndexStaysListed()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        Publish(repo, [TestDebs.Build(work.Path, "tool", "1.0-1")]);
        Publish(repo, [TestDebs.Build(work.Path, "extra", "1.0-1", "all")], component: "contrib");

        string release = File.ReadAllText(Path.Combine(repo, "dists/stable/Release"));
        Assert.Multiple(() =>
        {
            Assert.That(release, Does.Contain("\nComponents: contrib main\n"));
            Assert.That(release, Does.Contain(" main/binary-amd64/Packages\n").And.Contain(" contrib/binary-amd64/Packages\n"));
            Assert.That(PackagesOf(Path.Combine(repo, "dists/stable"), "amd64", "contrib"), Is.EqualTo(new[] { "extra 1.0-1 all" }));
            Assert.That(File.Exists(Path.Combine(repo, "pool/contrib/e/extra/extra_1.0-1_all.deb")), Is.True);
        });
    }

    [Test]
    public void ByHashKeepsThePreviousGenerationsAndDropsOlderOnes()
    {
        using var work = new TempDirectory();
        string repo = work.Combine("repo");
        string byHash = Path.Combine(repo, "dists/stable/main/binary-amd64/by-hash/SHA256");
        var generations = new List<string>();
        for (int i = 1; i <= 6; i++)
        {
            Publish(repo, [TestDebs.Build(work.Path, "tool", $"1.{i}-1")], date: Date.AddHours(i));
            generations.Add(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(repo, "dists/stable/main/binary-amd64/Packages.xz")))));
        }

        Assert.Multiple(() =>
        {
            for (int i = 0; i < generations.Count; i++)
            {
                bool kept = i >= generations.Count - 1 - ByHashGenerations.Kept;
                Assert.That(File.Exists(Path.Combine(byHash, generations[i])), Is.EqualTo(kept), $"generation {i + 1}'s Packages.xz under by-hash");
            }

            Assert.That(Directory.GetFiles(byHash), Has.Length.EqualTo(3 * (ByHashGenerations.Kept + 1)), "three index files per kept generation");
        });
    }

    /// <summary>"name version arch" of each stanza of binary-ARCH/Packages, in file order.</summary>
    internal static string[] PackagesOf(string suite, string architecture, string component = "main") =>
        Deb822Paragraph.ParseAll(File.ReadAllBytes(Path.Combine(suite, component, $"binary-{architecture}", "Packages")), "Packages")
            .Select(p => $"{p["Package"]} {p["Version"]} {p["Architecture"]}")
            .ToArray();

    private static byte[] Decompressed(string path, string tool)
    {
        ProcessResult result = ProcessRunner.Run(tool, ["-dc", path]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        return result.StdOutBytes;
    }
}
