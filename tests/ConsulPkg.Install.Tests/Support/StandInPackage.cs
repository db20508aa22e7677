using System.Security.Cryptography;
using System.Text;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// A small package built with the real <c>dpkg-deb --root-owner-group -b</c>: a reference that
/// proves the install harness independently of our own writer.
/// </summary>
public sealed class StandInPackage
{
    public StandInPackage(string name, string version = "1.0-1")
    {
        Name = name;
        Version = version;
    }

    public string Name { get; }

    public string Version { get; }

    public string? PreDepends { get; init; }

    /// <summary>"all" unless given: the files are text, any architecture's root installs it.</summary>
    public string Architecture { get; init; } = "all";

    /// <summary>Files by absolute target path, with their text content (mode 0644).</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Maintainer scripts by name (preinst, postinst, prerm, postrm): the body after <c>#!/bin/sh</c>.</summary>
    public Dictionary<string, string> Scripts { get; } = new(StringComparer.Ordinal);

    public List<string> Conffiles { get; } = [];

    public string FileName => $"{Name}_{Version}_{Architecture}.deb";

    /// <summary>Builds the package into <paramref name="directory"/> and returns its path.</summary>
    public string Build(string directory)
    {
        using var staging = new TempDirectory("consul-pkg-standin-");
        var control = staging.Combine("DEBIAN");
        Directory.CreateDirectory(control);

        var md5sums = new StringBuilder();
        foreach (var (target, content) in Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = staging.Path + target;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
#pragma warning disable CA5351 // md5sums is MD5 by definition (deb-md5sums(5)); not a security use.
            var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351
            md5sums.Append(hash).Append("  ").Append(target.TrimStart('/')).Append('\n');
        }

        var fields = new StringBuilder()
            .Append("Package: ").Append(Name).Append('\n')
            .Append("Version: ").Append(Version).Append('\n')
            .Append("Architecture: ").Append(Architecture).Append('\n')
            .Append("Maintainer: consul-pkg install tests <install-tests@consul-pkg.invalid>\n");
        if (PreDepends is not null)
        {
            fields.Append("Pre-Depends: ").Append(PreDepends).Append('\n');
        }

        fields.Append("Description: stand-in package for the install test harness\n")
            .Append(" Built with dpkg-deb to prove the Debian root, not our writer.\n");

        File.WriteAllText(System.IO.Path.Combine(control, "control"), fields.ToString());
        File.WriteAllText(System.IO.Path.Combine(control, "md5sums"), md5sums.ToString());
        if (Conffiles.Count > 0)
        {
            File.WriteAllText(System.IO.Path.Combine(control, "conffiles"), string.Concat(Conffiles.Select(c => c + "\n")));
        }

        foreach (var (name, body) in Scripts)
        {
            var path = System.IO.Path.Combine(control, name);
            File.WriteAllText(path, "#!/bin/sh\nset -e\n" + body + "\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101); // 0755
        }

        var output = System.IO.Path.Combine(directory, FileName);
        ProcessRunner.Run("dpkg-deb", "--root-owner-group", "-Zgzip", "-b", staging.Path, output).EnsureSuccess();
        return output;
    }
}
