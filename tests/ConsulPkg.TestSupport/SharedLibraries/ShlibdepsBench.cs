using NUnit.Framework;
using ConsulPkg.Debian;
using ConsulPkg.Debian.SharedLibraries;

namespace ConsulPkg.Testing.SharedLibraries;

/// <summary>
/// A package tree of C programs compiled here with gcc, judged two ways: by
/// <see cref="SharedLibraryDependencies"/>, and by dpkg-shlibdeps run on the same files in a
/// debian/PACKAGE/ tree with the minimal debian/control it requires.
/// </summary>
public sealed class ShlibdepsBench : IDisposable
{
    private readonly TempDirectory _directory = new("consul-pkg-shlibdeps-");
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public static SharedLibraryHost Host { get; } = new()
    {
        BuildArchitecture = ProcessRunner.Run("dpkg", "--print-architecture").EnsureSuccess().StdOut.Trim(),
    };

    public string Directory => _directory.Path;

    /// <summary>Compiles <paramref name="source"/> with gcc and the given flags (-l..., -shared...), outside the package.</summary>
    public string Compile(string name, string source, params string[] flags)
    {
        string c = _directory.WriteFile($"src/{name}.c", source);
        string output = _directory.Combine("build", name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        ProcessRunner.Run("gcc", ["-O2", "-o", output, c, "-L" + _directory.Combine("build"), .. flags]).EnsureSuccess();
        return output;
    }

    /// <summary>Puts <paramref name="hostFile"/> into the package at <paramref name="packagePath"/>.</summary>
    public void Add(string packagePath, string hostFile) => _files[packagePath] = hostFile;

    /// <summary>The package's files: package path, then the compiled file.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    public IReadOnlyList<PackageEntry> Entries =>
        [.. _files.Select(f => PackageEntry.FromFile(f.Key, f.Value, 0b111_101_101))];

    /// <summary>Our Depends, as the field's text.</summary>
    public string Ours() => string.Join(", ", SharedLibraryDependencies.Compute(Entries, Host.BuildArchitecture, Host).Depends);

    /// <summary>What dpkg-shlibdeps -O prints for the package's files: its shlibs:Depends, or the failure.</summary>
    public ProcessResult Dpkg()
    {
        string root = _directory.Combine("tree");
        if (System.IO.Directory.Exists(root))
        {
            System.IO.Directory.Delete(root, recursive: true);
        }

        System.IO.Directory.CreateDirectory(Path.Combine(root, "debian", "pkg", "DEBIAN"));
        File.WriteAllText(Path.Combine(root, "debian", "control"), "Source: pkg\n\nPackage: pkg\nArchitecture: any\n");
        foreach ((string packagePath, string hostFile) in _files)
        {
            string target = Path.Combine(root, "debian", "pkg", packagePath.TrimStart('/'));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(hostFile, target);
        }

        return ProcessRunner.Run("dpkg-shlibdeps", ["-O", .. _files.Keys.Order(StringComparer.Ordinal).Select(p => "debian/pkg" + p)], workingDirectory: root,
            environment: new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" });
    }

    /// <summary>Asserts that dpkg-shlibdeps fails on the package saying <paramref name="dpkgSays"/>; returns how we refuse it.</summary>
    public PackageException RefusedByBoth(string dpkgSays)
    {
        PackageException ours = Assert.Throws<PackageException>(() => Ours())!;
        ProcessResult dpkg = Dpkg();
        Assert.That(dpkg.Succeeded, Is.False, "dpkg-shlibdeps refuses it too");
        Assert.That(dpkg.StdErr, Does.Contain(dpkgSays));
        return ours;
    }

    /// <summary>The value of shlibs:Depends in dpkg-shlibdeps' output; empty when it printed none.</summary>
    public string DpkgDepends()
    {
        ProcessResult result = Dpkg().EnsureSuccess();
        return result.StdOut.Split('\n').FirstOrDefault(l => l.StartsWith("shlibs:Depends=", StringComparison.Ordinal))?["shlibs:Depends=".Length..] ?? "";
    }

    public void Dispose() => _directory.Dispose();
}
