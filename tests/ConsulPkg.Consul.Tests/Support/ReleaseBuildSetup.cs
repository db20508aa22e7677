using ConsulPkg.Testing.Releases;

namespace ConsulPkg.Consul.Tests.Support;

/// <summary>
/// What a test that builds a package from a release needs, made fresh for each test: a fake
/// HashiCorp release server on 127.0.0.1, a scratch directory holding the test signing key, an
/// empty output directory and a download cache, and the writer the recipe reports progress to.
/// <see cref="Options"/> gives what every such build shares; a test adds the rest with <c>with</c>.
/// </summary>
internal sealed class ReleaseBuildSetup : IDisposable
{
    public ReleaseBuildSetup()
    {
        Server = new FakeReleaseServer();
        Temp = new TempDirectory();
        TrustedKeyFile = Temp.WriteFile("keys/test.asc", TestKeys.Trusted.ArmoredPublicKey);
        Output = Directory.CreateDirectory(Temp.Combine("out")).FullName;
    }

    public FakeReleaseServer Server { get; }

    public TempDirectory Temp { get; }

    public string TrustedKeyFile { get; }

    public string Output { get; }

    public string CacheDirectory => Temp.Combine("cache");

    public StringWriter Diagnostics { get; } = new();

    /// <summary>
    /// A build of <paramref name="version"/> from <see cref="Server"/>, trusting only the test
    /// key, into <see cref="Output"/> through the cache in <see cref="CacheDirectory"/>.
    /// </summary>
    public ConsulRecipeOptions Options(string version, DateTimeOffset timestamp, string maintainer) => new()
    {
        ConsulVersion = version,
        Timestamp = timestamp,
        BaseUrl = Server.BaseUrl,
        TrustedKeyFiles = [TrustedKeyFile],
        OutputDirectory = Output,
        Cache = new DownloadCache(CacheDirectory),
        Maintainer = maintainer,
    };

    public Task<ConsulBuildResult> Build(ConsulRecipeOptions options) => ConsulRecipe.BuildAsync(options, Diagnostics);

    public void Dispose()
    {
        Server.Dispose();
        Temp.Dispose();
        Diagnostics.Dispose();
    }
}
