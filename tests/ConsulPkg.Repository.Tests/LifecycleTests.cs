using System.Text;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Repository.Tests.Support;
using static ConsulPkg.Repository.Tests.RepositoryTestSetup;

namespace ConsulPkg.Repository.Tests;

/// <summary>
/// A repository over many commands (issue 21): remove, copy, keep-versions, when pool files go,
/// Contents, several components and architectures, dry runs. Judged by the files written;
/// tests/ConsulPkg.Install.Tests/RepositoryLifecycleTests.cs judges the same with real apt.
/// </summary>
public sealed class LifecycleTests : ScratchRepository
{
    [Test]
    public void RemoveDropsTheNamedVersionAndKeepsTheRest()
    {
        Publish(Repo, [Deb("tool", "1.0-1"), Deb("tool", "1.1-1"), Deb("other", "2.0-1")]);

        RepositoryChangeResult result = RepositoryTestSetup.Remove(Repo, "stable", "tool=1.0-1");

        Assert.Multiple(() =>
        {
            Assert.That(result.Removed, Is.EqualTo(new[] { "tool 1.0-1 amd64" }));
            Assert.That(Listed("stable"), Is.EqualTo(new[] { "other 2.0-1 amd64", "tool 1.1-1 amd64" }));
            Assert.That(File.Exists(Path.Combine(Repo, "pool/main/t/tool/tool_1.0-1_amd64.deb")), Is.True, "kept while the previous generation lists it");
            Assert.That(RepositoryChecker.Check(Repo, null, Date).Pending, Is.EqualTo(new[] { "pool/main/t/tool/tool_1.0-1_amd64.deb" }));
        });
    }

    [Test]
    public void ASelectorWithoutVersionRemovesEveryVersionAndArchitecture()
    {
        Publish(Repo, [Deb("tool", "1.0-1"), Deb("tool", "1.0-1", "arm64"), Deb("other", "2.0-1")]);
        RepositoryChangeResult result = RepositoryTestSetup.Remove(Repo, "stable", "tool");
        string release = File.ReadAllText(Path.Combine(Repo, "dists/stable/Release"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Removed, Is.EquivalentTo(new[] { "tool 1.0-1 amd64", "tool 1.0-1 arm64" }));
            Assert.That(release, Does.Contain("\nArchitectures: amd64\n"), "arm64 is gone with its last package");
            Assert.That(File.Exists(Path.Combine(Repo, "dists/stable/main/binary-arm64/Packages")), Is.False, "an index the Release no longer lists");
        });
    }

    [Test]
    public void CopyListsTheSamePoolFileInTheTargetSuite()
    {
        Publish(Repo, [Deb("tool", "1.0-1"), Deb("tool", "1.1-1")], suite: "testing", origin: "Example");
        Dictionary<string, string> poolBefore = Pool();

        RepositoryChangeResult result = Copy(Repo, "testing", "stable", "tool=1.1-1");

        string stable = File.ReadAllText(Path.Combine(Repo, "dists/stable/main/binary-amd64/Packages"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Copied, Is.EqualTo(new[] { "tool 1.1-1 amd64" }));
            Assert.That(Listed("stable"), Is.EqualTo(new[] { "tool 1.1-1 amd64" }));
            Assert.That(stable, Does.Contain("Filename: pool/main/t/tool/tool_1.1-1_amd64.deb\n"));
            Assert.That(Pool(), Is.EqualTo(poolBefore), "nothing copied into the pool");
            Assert.That(File.ReadAllText(Path.Combine(Repo, "dists/stable/Release")), Does.StartWith("Origin: Example\nSuite: stable\n"), "a new suite takes the source's Origin");
            Assert.That(Contents("stable", "amd64"), Is.EqualTo("usr/share/tool/README                                   net/tool\n"));
        });
    }

    [Test]
    public void CopyOfAVersionTheTargetHasWithOtherBytesIsRefusedAndChangesNothing()
    {
        Publish(Repo, [Deb("tool", "1.0-1")], suite: "testing");
        Directory.CreateDirectory(Work.Combine("other"));
        Publish(Repo, [TestDebs.Build(Work.Combine("other"), "tool", "1.0-1", payload: "rebuilt\n")], suite: "stable", component: "contrib");
        Dictionary<string, string> before = RepositorySnapshot.Take(Repo);

        var refused = Assert.Throws<ConsulPkg.Debian.PackageException>(() => Copy(Repo, "testing", "stable", "tool"))!;

        Assert.Multiple(() =>
        {
            Assert.That(refused.Message, Does.Contain("tool 1.0-1 amd64 is already in stable as pool/contrib/t/tool/tool_1.0-1_amd64.deb with other content"));
            Assert.That(RepositorySnapshot.Take(Repo), Is.EqualTo(before));
        });
    }

    [Test]
    public void KeepVersionsKeepsTheNewestByDebianOrderAndPoolFilesGoOnlyWhenNothingNamesThem()
    {
        // 1.10 is newer than 1.9 in Debian's order, older as a string.
        string[] versions = ["1.8-1", "1.9-1", "1.10-1", "1.10-2"];
        var removed = new List<string>();
        var deleted = new List<string>();
        for (int i = 0; i < versions.Length; i++)
        {
            RepositoryChangeResult result = Publish(Repo, [Deb("tool", versions[i])], keepVersions: 2, date: Date.AddHours(i));
            removed.AddRange(result.Removed);
            deleted.AddRange(result.Deleted);
        }

        Assert.Multiple(() =>
        {
            Assert.That(Listed("stable"), Is.EqualTo(new[] { "tool 1.10-1 amd64", "tool 1.10-2 amd64" }));
            Assert.That(removed, Is.EqualTo(new[] { "tool 1.8-1 amd64", "tool 1.9-1 amd64" }));
            Assert.That(deleted, Is.Empty, "the generations that listed them are still kept");
            Assert.That(File.Exists(Path.Combine(Repo, "pool/main/t/tool/tool_1.8-1_amd64.deb")), Is.True);
        });

        // Another suite lists 1.9-1: it must survive its generations in stable.
        Copy(Repo, "stable", "frozen", "tool=1.10-1");
        File.Copy(Path.Combine(Repo, "pool/main/t/tool/tool_1.9-1_amd64.deb"), Work.Combine("tool_1.9-1_amd64.deb"));
        Publish(Repo, [Work.Combine("tool_1.9-1_amd64.deb")], suite: "frozen");
        for (int i = 0; i < ByHashGenerations.Kept + 1; i++)
        {
            RepositoryChangeResult result = Publish(Repo, [Deb($"filler{i}", "1.0")], keepVersions: 2, date: Date.AddDays(1 + i));
            deleted.AddRange(result.Deleted);
        }

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(new[] { "pool/main/t/tool/tool_1.8-1_amd64.deb" }));
            Assert.That(File.Exists(Path.Combine(Repo, "pool/main/t/tool/tool_1.8-1_amd64.deb")), Is.False);
            Assert.That(File.Exists(Path.Combine(Repo, "pool/main/t/tool/tool_1.9-1_amd64.deb")), Is.True, "listed by frozen");
            Assert.That(RepositoryChecker.Check(Repo, null, Date.AddDays(ByHashGenerations.Kept + 1)).Problems, Is.Empty, "checked when the last publish was made");
        });
    }

    [Test]
    public void ContentsListTheNewestVersionsFilesPerArchitectureAndFollowARemove()
    {
        Publish(Repo, [Deb("tool", "1.0-1", payload: "old\n"), Deb("tool-doc", "1.0-1", "all"), Deb("lib", "1.0", "arm64")]);
        string amd64Before = Contents("stable", "amd64");
        Directory.CreateDirectory(Work.Combine("new"));
        Publish(Repo, [Build("new", "tool", "1.1-1", file: "usr/bin/tool-1.1")]);
        string amd64Newest = Contents("stable", "amd64");
        RepositoryTestSetup.Remove(Repo, "stable", "tool=1.1-1");

        Assert.Multiple(() =>
        {
            Assert.That(amd64Before, Is.EqualTo("usr/share/tool/README                                   net/tool\n"));
            Assert.That(Contents("stable", "all"), Is.EqualTo("usr/share/tool-doc/README                               net/tool-doc\n"));
            Assert.That(Contents("stable", "arm64"), Is.EqualTo("usr/share/lib/README                                    net/lib\n"));
            Assert.That(amd64Newest, Is.EqualTo("usr/bin/tool-1.1                                        net/tool\n"), "the newest version's files");
            Assert.That(Contents("stable", "amd64"), Is.EqualTo(amd64Before), "back to 1.0-1's files, read from its pool file");
        });
    }

    [Test]
    public void DryRunsReportAndWriteNothing()
    {
        Publish(Repo, [Deb("tool", "1.0-1"), Deb("tool", "1.1-1")], suite: "testing");
        Dictionary<string, string> before = RepositorySnapshot.Take(Repo);

        RepositoryChangeResult publish = Publish(Repo, [Deb("tool", "1.2-1")], suite: "testing", keepVersions: 1, dryRun: true);
        RepositoryChangeResult remove = RepositoryPublisher.Remove(new RemoveOptions
        {
            Repository = new RepositoryWriteOptions { Directory = Repo, SigningKeys = [], Date = Date, DryRun = true }, Suite = "testing",
            Packages = [PackageSelector.Parse("tool=1.0-1")],
        });
        RepositoryChangeResult copy = RepositoryPublisher.Copy(new CopyOptions
        {
            Repository = new RepositoryWriteOptions { Directory = Repo, SigningKeys = [], Date = Date, DryRun = true }, From = "testing", To = "stable",
            Packages = [PackageSelector.Parse("tool")],
        });

        Assert.Multiple(() =>
        {
            Assert.That(publish.Added, Is.EqualTo(new[] { "pool/main/t/tool/tool_1.2-1_amd64.deb" }));
            Assert.That(publish.Removed, Is.EqualTo(new[] { "tool 1.0-1 amd64", "tool 1.1-1 amd64" }));
            Assert.That(remove.Removed, Is.EqualTo(new[] { "tool 1.0-1 amd64" }));
            Assert.That(copy.Copied, Is.EqualTo(new[] { "tool 1.0-1 amd64", "tool 1.1-1 amd64" }));
            Assert.That(new[] { publish.DryRun, remove.DryRun, copy.DryRun }, Is.All.True);
            Assert.That(RepositorySnapshot.Take(Repo), Is.EqualTo(before), "nothing written");
        });
    }

    /// <summary>Through the command line: no --signing-key and no key read, the change printed, nothing written; a repository that is not there is not created.</summary>
    [Test]
    public void DryRunsNeedNoSigningKey()
    {
        Publish(Repo, [Deb("tool", "1.0-1")]);
        Dictionary<string, string> before = RepositorySnapshot.Take(Repo);
        string fresh = Deb("fresh", "1.0-1");
        string absent = Work.Combine("absent");
        (string[] Arguments, string Expected)[] runs =
        [
            (["repo", "publish", "--repo", Repo, "--suite", "stable", fresh], "would be added pool/main/f/fresh/fresh_1.0-1_amd64.deb\n"),
            (["repo", "remove", "--repo", Repo, "--suite", "stable", "tool"], "would be removed tool 1.0-1 amd64\n"),
            (["repo", "copy", "--repo", Repo, "--from", "stable", "--to", "testing", "tool"], "would be copied tool 1.0-1 amd64\n"),
            (["repo", "publish", "--repo", absent, "--suite", "stable", fresh], "would be added pool/main/f/fresh/fresh_1.0-1_amd64.deb\n"),
        ];
        foreach ((string[] arguments, string expected) in runs)
        {
            ProcessResult result = ConsulPkgProcess.Run([.. arguments, "--dry-run"], sourceDateEpoch: Date.ToUnixTimeSeconds());
            Assert.Multiple(() =>
            {
                Assert.That(result.ExitCode, Is.Zero, result.StdErr);
                Assert.That(result.StdOut, Does.StartWith(expected).And.Contain("dry run: dists/").And.Contain("unchanged, nothing written or signed"));
                Assert.That(result.StdErr, Is.Empty);
            });
        }

        Assert.That(RepositorySnapshot.Take(Repo), Is.EqualTo(before));
        Assert.That(absent, Does.Not.Exist);
    }

    [Test]
    public void SeveralComponentsAndArchitecturesEachGetTheirIndicesAndReleaseSaysExactlyWhatIsPresent()
    {
        Publish(Repo, [Deb("tool", "1.0-1"), Deb("tool", "1.0-1", "arm64"), Deb("tool", "1.0-1", "i386")]);
        Publish(Repo, [Deb("extra", "1.0", "all")], component: "contrib");
        string release = File.ReadAllText(Path.Combine(Repo, "dists/stable/Release"));
        string[] indices = [.. release.Split('\n').Where(l => l.StartsWith(' ')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]).Distinct()];
        Assert.Multiple(() =>
        {
            Assert.That(release, Does.Contain("\nArchitectures: all amd64 arm64 i386\nComponents: contrib main\n"));
            foreach (string component in new[] { "main", "contrib" })
            {
                foreach (string architecture in new[] { "all", "amd64", "arm64", "i386" })
                {
                    Assert.That(indices, Does.Contain($"{component}/binary-{architecture}/Packages.xz").And.Contain($"{component}/Contents-{architecture}.gz"), $"{component} {architecture}");
                }
            }

            Assert.That(PublishTests.PackagesOf(Path.Combine(Repo, "dists/stable"), "arm64", "contrib"), Is.EqualTo(new[] { "extra 1.0 all" }));
            Assert.That(PublishTests.PackagesOf(Path.Combine(Repo, "dists/stable"), "i386"), Is.EqualTo(new[] { "tool 1.0-1 i386" }));
        });
    }

    private string Deb(string name, string version, string architecture = "amd64", string payload = "hello\n")
    {
        string directory = Work.Combine($"debs-{name}-{version}-{architecture}");
        Directory.CreateDirectory(directory);
        return TestDebs.Build(directory, name, version, architecture, payload);
    }

    private string Build(string directory, string name, string version, string file)
    {
        var control = new ConsulPkg.Debian.ControlFile
        {
            Package = name,
            Version = ConsulPkg.Debian.DebianVersion.Parse(version),
            Architecture = "amd64",
            Maintainer = "Repo Tests <repo-tests@consul-pkg.invalid>",
            Section = "net",
            Description = $"test package {name}\nA longer description.",
        };
        string path = Path.Combine(Work.Combine(directory), $"{name}_{version}_amd64.deb");
        ConsulPkg.Debian.Building.DebPackageWriter.WriteFile(new ConsulPkg.Debian.DebPackageSpec
        {
            Control = control,
            Entries = [ConsulPkg.Debian.PackageEntry.FromBytes("/" + file, Encoding.UTF8.GetBytes("x\n"))],
            Timestamp = TestDebs.Timestamp,
        }, path, overwrite: true);
        return path;
    }

    private string[] Listed(string suite) =>
        [.. Directory.GetFiles(Path.Combine(Repo, "dists", suite), "Packages", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/by-hash/", StringComparison.Ordinal) && !p.Contains("/binary-all/", StringComparison.Ordinal))
            .SelectMany(p => ConsulPkg.Debian.Deb822Paragraph.ParseAll(File.ReadAllBytes(p), p))
            .Select(p => $"{p["Package"]} {p["Version"]} {p["Architecture"]}")
            .Distinct()
            .Order(StringComparer.Ordinal)];

    private string Contents(string suite, string architecture)
    {
        using FileStream file = File.OpenRead(Path.Combine(Repo, "dists", suite, "main", $"Contents-{architecture}.gz"));
        using Stream plain = Compressors.OpenDecompressor(file, CompressionFormat.Gzip);
        using var reader = new StreamReader(plain);
        return reader.ReadToEnd();
    }

    private Dictionary<string, string> Pool() =>
        RepositorySnapshot.Take(Path.Combine(Repo, "pool"));
}
