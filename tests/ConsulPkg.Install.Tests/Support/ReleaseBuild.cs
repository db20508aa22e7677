namespace ConsulPkg.Install.Tests.Support;

/// <summary>build/release.sh's two files: the .deb of consul-pkg itself and the tar.gz.</summary>
public sealed record ReleaseFiles(string Deb, string Tarball);

/// <summary>
/// build/release.sh run once per test run (its NativeAOT publish is the slowest step of the
/// suite) and shared by the tests that judge its package; <see cref="InstallSuite"/> removes it.
/// </summary>
public static class ReleaseBuild
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromMinutes(40);

    private static readonly Lazy<TempDirectory> Work = new(() => new TempDirectory("consul-pkg-release-test-"));

    private static readonly Lazy<ReleaseFiles> SharedFiles = new(() => Build("dist"));

    /// <summary>The release, built on first use.</summary>
    public static ReleaseFiles Shared => SharedFiles.Value;

    /// <summary>
    /// Runs build/release.sh into <paramref name="dist"/> (below the shared work directory), with
    /// the native build kept there too, so a second release reuses the executable.
    /// </summary>
    public static ReleaseFiles Build(string dist)
    {
        RequireRoot.Check();
        string output = Work.Value.Combine(dist);
        // The test host's MSBuild settings must not leak into the release's dotnet publish.
        Dictionary<string, string?> environment = ProcessRunner.WithoutHostBuildSettings();
        environment["CONSUL_PKG_ARTIFACTS"] = Work.Value.Combine("artifacts");
        environment["CONSUL_PKG_DIST"] = output;
        environment["SOURCE_DATE_EPOCH"] = ConsulPkgProcess.SeedEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["CONSUL_PKG_BUILD"] = null;
        ProcessRunner.Run(Path.Combine(RepositoryRoot, "build", "release.sh"), [], RepositoryRoot, environment, timeout: ReleaseTimeout).EnsureSuccess();
        return new ReleaseFiles(
            Directory.GetFiles(output, "consul-pkg_*_amd64.deb").Single(),
            Directory.GetFiles(output, "consul-pkg-*-linux-x64.tar.gz").Single());
    }

    public static string RepositoryRoot { get; } = ConsulPkg.Testing.RepositoryRoot.Find();

    /// <summary>Removes what the run built, if anything.</summary>
    internal static void Remove()
    {
        if (Work.IsValueCreated)
        {
            Work.Value.Dispose();
        }
    }
}
