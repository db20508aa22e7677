using System.Text.RegularExpressions;
using ConsulPkg.Debian.Elf;

namespace ConsulPkg.Debian.Tests.Elf;

/// <summary>The ELF reader against binutils' readelf, on the host's own binaries and libraries.</summary>
[TestFixture]
public sealed partial class ElfFileTests
{
    private static readonly string[] HostFiles =
    [
        "/bin/ls",
        "/usr/bin/dpkg",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/libz.so.1",
        "/usr/lib/x86_64-linux-gnu/libssl.so.3",
    ];

    [TestCaseSource(nameof(HostFiles))]
    public void DynamicSymbolsAndVersionsAreReadelfs(string path)
    {
        ElfFile elf = ElfFile.Read(path, withSymbols: true)!;
        string[] readelf = ProcessRunner.RunUtc("readelf", "-W", "--dyn-syms", path).EnsureSuccess().StdOut.Split('\n')
            .Select(l => DynamicSymbolLine().Match(l)).Where(m => m.Success && m.Groups["num"].Value != "0")
            .Select(m => m.Groups["ndx"].Value == "ABS" && !m.Groups["name"].Value.Contains('@', StringComparison.Ordinal)
                ? $"{m.Groups["name"].Value}@{m.Groups["name"].Value}" // a version's own symbol: readelf leaves out what objdump (and dpkg) print
                : Key(m.Groups["name"].Value))
            .ToArray();
        Assert.That(elf.DynamicSymbols.Select(s => s.Key), Is.EqualTo(readelf));
    }

    [TestCaseSource(nameof(HostFiles))]
    public void UndefinedSymbolsAreReadelfsUndefinedAndCopiedOnes(string path)
    {
        ElfFile elf = ElfFile.Read(path, withSymbols: true)!;
        var copied = ProcessRunner.RunUtc("readelf", "-W", "-r", path).EnsureSuccess().StdOut.Split('\n')
            .Where(l => l.Contains("R_X86_64_COPY", StringComparison.Ordinal)).Select(l => Key(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]))
            .ToHashSet();
        string[] undefined = ProcessRunner.RunUtc("readelf", "-W", "--dyn-syms", path).EnsureSuccess().StdOut.Split('\n')
            .Select(l => DynamicSymbolLine().Match(l)).Where(m => m.Success && m.Groups["num"].Value != "0")
            .Where(m => m.Groups["ndx"].Value == "UND" || copied.Contains(Key(m.Groups["name"].Value)))
            .Select(m => Key(m.Groups["name"].Value))
            .ToArray();
        Assert.That(elf.DynamicSymbols.Where(s => !s.IsDefined).Select(s => s.Key), Is.EqualTo(undefined));
    }

    [TestCaseSource(nameof(HostFiles))]
    public void NeededSonameAndHeaderAreReadelfs(string path)
    {
        ElfFile elf = ElfFile.Read(path)!;
        string dynamic = ProcessRunner.RunUtc("readelf", "-W", "-d", path).EnsureSuccess().StdOut;
        string header = ProcessRunner.RunUtc("readelf", "-W", "-h", "-l", path).EnsureSuccess().StdOut;
        Assert.Multiple(() =>
        {
            Assert.That(elf.Needed, Is.EqualTo(Bracketed(dynamic, "NEEDED")));
            Assert.That(elf.SoName, Is.EqualTo(Bracketed(dynamic, "SONAME").SingleOrDefault()));
            Assert.That(elf.Type, Is.EqualTo(header.Contains("DYN (", StringComparison.Ordinal) ? ElfFile.TypeSharedObject : ElfFile.TypeExecutable));
            Assert.That(elf.HasInterpreter, Is.EqualTo(header.Contains("INTERP", StringComparison.Ordinal)));
            Assert.That(elf.HasDynamicSection, Is.True);
            Assert.That(elf.Format, Is.EqualTo(new ElfFormat(64, true, ElfArchitecture.Machines.X8664, 0)));
            Assert.That(elf.Format.ToString(), Is.EqualTo("64-bit x86-64"));
        });
    }

    [Test]
    public void RunPathWinsOverRPathAndTheOriginIsKeptAsWritten()
    {
        using var dir = new TempDirectory();
        string source = dir.WriteFile("main.c", "int main(void) { return 0; }\n");
        string both = dir.Combine("both");
        ProcessRunner.Run("gcc", "-o", both, source, "-Wl,-rpath,/opt/a:$ORIGIN/../lib", "-Wl,--enable-new-dtags").EnsureSuccess();
        string old = dir.Combine("old");
        ProcessRunner.Run("gcc", "-o", old, source, "-Wl,-rpath,/opt/old", "-Wl,--disable-new-dtags").EnsureSuccess();
        Assert.That(ElfFile.Read(both)!.LibraryPath, Is.EqualTo(new[] { "/opt/a", "$ORIGIN/../lib" }));
        Assert.That(ElfFile.Read(old)!.LibraryPath, Is.EqualTo(new[] { "/opt/old" }));
    }

    [Test]
    public void AFileThatIsNotElfHasNoFacts()
    {
        using var dir = new TempDirectory();
        Assert.That(ElfFile.Read(dir.WriteFile("script", "#!/bin/sh\nexit 0\n")), Is.Null);
        Assert.That(ElfFile.Read(dir.WriteFile("short", [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1])), Is.Null);
    }

    [Test]
    public void TablesOutsideTheFileAreRefusedNamingIt()
    {
        byte[] bytes = File.ReadAllBytes("/bin/ls");
        using var stream = new MemoryStream(bytes, 0, bytes.Length / 2);
        var e = Assert.Throws<PackageException>(() => ElfFile.Read(stream, "/usr/bin/half"));
        Assert.That(e!.Message, Does.StartWith("/usr/bin/half is not a valid ELF file: its section headers (").And.Contain("lies outside the file's"));
    }

    [Test]
    public void AnotherMachineIsAnotherFormat()
    {
        byte[] bytes = File.ReadAllBytes("/bin/true");
        bytes[18] = 183; // e_machine = EM_AARCH64
        ElfFile elf = ElfFile.Read(new MemoryStream(bytes), "true")!;
        Assert.That(elf.Format, Is.Not.EqualTo(ElfFile.Read("/bin/true")!.Format));
        Assert.That(elf.Format.ToString(), Is.EqualTo("64-bit AArch64"));
    }

    /// <summary>readelf's "name@VERSION (n)" or "name@@VERSION" as a symbols file names it: "name@VERSION", or "name@Base".</summary>
    private static string Key(string readelfName)
    {
        string name = readelfName.Split(' ')[0];
        int at = name.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? name + "@Base" : name[..at] + "@" + name[at..].TrimStart('@');
    }

    private static string[] Bracketed(string readelfDynamic, string tag) =>
        readelfDynamic.Split('\n').Where(l => l.Contains($"({tag})", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('[', StringComparison.Ordinal) + 1)..l.LastIndexOf(']')]).ToArray();

    [GeneratedRegex(@"^\s*(?<num>\d+):\s+[0-9a-f]+\s+\S+\s+\S+\s+\S+\s+\S+\s+(?<ndx>\S+)\s+(?<name>.+)$")]
    private static partial Regex DynamicSymbolLine();
}
