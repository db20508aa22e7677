using ConsulPkg.Debian;
using ConsulPkg.Debian.Elf;

namespace ConsulPkg.Consul;

/// <summary>
/// What the package needs to know of the extracted consul binary, from its ELF headers
/// (<see cref="ElfFile"/>): the machine it is for, whether it is statically linked (no PT_INTERP:
/// HashiCorp's Go builds) and whether it still has a symbol table. Decides the lintian overrides
/// the package earns and refuses a binary for another machine. A file that is not ELF (the tests'
/// stand-in script) has no facts to check.
/// </summary>
internal sealed record ElfBinary(ushort Machine, bool IsStatic, bool HasSymbolTable, bool IsPie)
{
    /// <summary>The ELF facts of <paramref name="path"/>, or null when it is not an ELF file.</summary>
    public static ElfBinary? Read(string path) =>
        ElfFile.Read(path) is { } elf
            ? new ElfBinary(elf.Machine, IsStatic: !elf.HasInterpreter, elf.HasSymbolTable, IsPie: elf.Type == ElfFile.TypeSharedObject)
            : null;

    /// <summary>
    /// Refuses a binary that cannot run on <paramref name="debianArchitecture"/>. HashiCorp's
    /// <c>arm</c> build serves armhf because it is static: it loads no soft-float libraries, and
    /// every armhf CPU (ARMv7 with VFPv3) runs its code. A dynamically linked ARM binary would need
    /// armhf's loader, which is not checked here, so it is refused.
    /// </summary>
    public void EnsureRunsOn(string debianArchitecture, string zipName)
    {
        if (ElfArchitecture.ForDebian(debianArchitecture) is not { } expected)
        {
            return;
        }

        if (Machine != expected.Machine)
        {
            throw new PackageException($"the consul binary in {zipName} is for {ElfArchitecture.MachineName(Machine)}, not {debianArchitecture} ({ElfArchitecture.MachineName(expected.Machine)}): the mirror serves the wrong build");
        }

        if (debianArchitecture == "armhf" && !IsStatic)
        {
            throw new PackageException($"the consul binary in {zipName} is dynamically linked: only a static ARM build is known to run on armhf");
        }
    }
}
