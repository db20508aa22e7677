using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;

namespace ConsulPkg.Repository.Tests.Support;

/// <summary>Small packages written with the project's own writer, one file each.</summary>
internal static class TestDebs
{
    public static readonly DateTimeOffset Timestamp = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes NAME_VERSION_ARCH.deb into <paramref name="directory"/>; <paramref name="payload"/> changes its bytes.</summary>
    /// <param name="files">More files (target path, content), as a package holding configuration would.</param>
    public static string Build(string directory, string name, string version, string architecture = "amd64", string payload = "hello\n", string? source = null,
        IReadOnlyList<(string Path, byte[] Content)>? files = null)
    {
        var control = new ControlFile
        {
            Package = name,
            Version = DebianVersion.Parse(version),
            Architecture = architecture,
            Maintainer = "Repo Tests <repo-tests@consul-pkg.invalid>",
            Depends = ["libc6 (>= 2.36)", "adduser"],
            Section = "net",
            Priority = "optional",
            Homepage = "https://example.invalid/" + name,
            Description = $"test package {name}\nA longer description of {name}.\n.\nA second paragraph.",
            Vendor = "Consul-pkg Tests",
            ExtraFields = source is null ? [] : [new("Source", source)],
        };
        string path = Path.Combine(directory, $"{name}_{version.Split(':')[^1]}_{architecture}.deb");
        DebPackageWriter.WriteFile(new DebPackageSpec
        {
            Control = control,
            Entries = [PackageEntry.FromBytes($"/usr/share/{name}/README", System.Text.Encoding.UTF8.GetBytes(payload)),
                .. (files ?? []).Select(f => PackageEntry.FromBytes(f.Path, f.Content))],
            Timestamp = Timestamp,
        }, path, overwrite: true);
        return path;
    }
}
