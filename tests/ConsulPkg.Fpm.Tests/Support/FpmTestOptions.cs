namespace ConsulPkg.Fpm.Tests.Support;

/// <summary>The fpm options every mapper test starts from: -s dir -t deb in a temporary directory, the seed's timestamp.</summary>
internal static class FpmTestOptions
{
    public static FpmOptions For(TempDirectory directory, string name, params string[] inputs) => new()
    {
        WorkingDirectory = directory.Path,
        HostArchitecture = "amd64",
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(SeedTree.Epoch),
        InputType = FpmInputKind.Directory,
        Name = name,
        Inputs = inputs,
    };
}
