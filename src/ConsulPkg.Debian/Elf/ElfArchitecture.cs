namespace ConsulPkg.Debian.Elf;

/// <summary>
/// What an ELF header says about the machine, for the Debian architectures: e_machine, word size
/// and byte order of each, its multiarch library directory name, and the relocation type with
/// which an executable copies a library's data into itself (R_*_COPY), which makes that data
/// symbol an import. One table for every reader of ELF headers (the Consul recipe's binary check,
/// the shared-library dependencies).
/// </summary>
public sealed record ElfArchitecture(string Debian, ushort Machine, int Bits, bool LittleEndian, string Multiarch)
{
    /// <summary>The Debian architectures, as dpkg's cputable and ostable make them (Linux, GNU libc).</summary>
    public static IReadOnlyList<ElfArchitecture> All { get; } =
    [
        new("amd64", Machines.X8664, 64, true, "x86_64-linux-gnu"),
        new("i386", Machines.I386, 32, true, "i386-linux-gnu"),
        new("arm64", Machines.AArch64, 64, true, "aarch64-linux-gnu"),
        new("armhf", Machines.Arm, 32, true, "arm-linux-gnueabihf"),
        new("armel", Machines.Arm, 32, true, "arm-linux-gnueabi"),
        new("ppc64el", Machines.PowerPC64, 64, true, "powerpc64le-linux-gnu"),
        new("s390x", Machines.S390, 64, false, "s390x-linux-gnu"),
        new("riscv64", Machines.RiscV, 64, true, "riscv64-linux-gnu"),
        new("mips64el", Machines.Mips, 64, true, "mips64el-linux-gnuabi64"),
        new("mipsel", Machines.Mips, 32, true, "mipsel-linux-gnu"),
        new("loong64", Machines.LoongArch, 64, true, "loongarch64-linux-gnu"),
    ];

    /// <summary>The row of a Debian architecture name, or null for <c>all</c> and names not in the table.</summary>
    public static ElfArchitecture? ForDebian(string debian) => All.FirstOrDefault(a => a.Debian == debian);

    /// <summary>How binutils names e_machine <paramref name="machine"/> ("x86-64", "AArch64"...).</summary>
    public static string MachineName(ushort machine) => machine switch
    {
        Machines.X8664 => "x86-64",
        Machines.I386 => "i386",
        Machines.AArch64 => "AArch64",
        Machines.Arm => "ARM",
        Machines.PowerPC64 => "PowerPC64",
        Machines.S390 => "S/390",
        Machines.RiscV => "RISC-V",
        Machines.Mips => "MIPS",
        Machines.LoongArch => "LoongArch",
        _ => $"ELF machine {machine}",
    };

    /// <summary>
    /// R_*_COPY of <paramref name="machine"/>, or null where it is unknown here (MIPS, whose
    /// 64-bit relocations pack their type differently, and machines outside the table).
    /// </summary>
    public static uint? CopyRelocation(ushort machine) => machine switch
    {
        Machines.X8664 or Machines.I386 => 5,
        Machines.AArch64 => 1024,
        Machines.Arm => 20,
        Machines.PowerPC64 => 19,
        Machines.S390 => 9,
        Machines.RiscV or Machines.LoongArch => 4,
        _ => null,
    };

    /// <summary>e_machine values (the ELF gABI's EM_* constants).</summary>
    public static class Machines
    {
        public const ushort I386 = 3;
        public const ushort Mips = 8;
        public const ushort PowerPC64 = 21;
        public const ushort S390 = 22;
        public const ushort Arm = 40;
        public const ushort IA64 = 50;
        public const ushort X8664 = 62;
        public const ushort AArch64 = 183;
        public const ushort RiscV = 243;
        public const ushort LoongArch = 258;
    }
}
