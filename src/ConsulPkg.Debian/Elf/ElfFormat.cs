namespace ConsulPkg.Debian.Elf;

/// <summary>
/// The ABI an ELF object is built for, as dpkg-shlibdeps compares a binary with a candidate
/// library (Dpkg::Shlibs::Objdump get_format): word size, byte order, machine (old and vendor
/// e_machine numbers mapped to the standard one) and the processor flags that change the ABI
/// (all others masked away: ARM's float flags, for one, do not count). A library of another
/// format is never taken for a binary's, whatever its name.
/// </summary>
public readonly record struct ElfFormat(int Bits, bool LittleEndian, ushort Machine, uint AbiFlags)
{
    /// <summary>Old or vendor e_machine values and the standard one each stands for.</summary>
    private static readonly Dictionary<ushort, ushort> CanonicalMachines = new()
    {
        [41] = 0x9026, // Alpha
        [0x1057] = 83, // AVR
        [0x9041] = 88, // M32R
        [0xbaab] = 189, // MicroBlaze
        [0xdead] = 90, // MN10200
        [0xbeef] = 89, // MN10300
        [0x8472] = 92, // OpenRISC
        [0xa390] = ElfArchitecture.Machines.S390,
        [18] = 2, // SPARC32PLUS is SPARC
        [11] = 43, // SPARC64
        [0xabc7] = 94, // Xtensa
    };

    /// <summary>e_flags bits that are part of the ABI, per machine (none elsewhere).</summary>
    private static readonly Dictionary<ushort, uint> AbiFlagMasks = new()
    {
        [ElfArchitecture.Machines.IA64] = 0x10,
        [ElfArchitecture.Machines.LoongArch] = 0x7,
        [ElfArchitecture.Machines.Mips] = 0xf000 | 0x20,
        [ElfArchitecture.Machines.PowerPC64] = 0x3,
    };

    public static ElfFormat Of(int bits, bool littleEndian, ushort machine, uint flags)
    {
        ushort canonical = CanonicalMachines.GetValueOrDefault(machine, machine);
        return new ElfFormat(bits, littleEndian, canonical, flags & AbiFlagMasks.GetValueOrDefault(canonical));
    }

    /// <summary>The format of a Debian architecture's binaries, or null for <c>all</c> and architectures not in <see cref="ElfArchitecture"/>.</summary>
    public static ElfFormat? ForDebian(string debian) =>
        ElfArchitecture.ForDebian(debian) is { } a ? Of(a.Bits, a.LittleEndian, a.Machine, 0) : null;

    /// <summary>For messages: "64-bit x86-64", "32-bit big-endian MIPS".</summary>
    public override string ToString() =>
        $"{Bits}-bit {(LittleEndian ? "" : "big-endian ")}{ElfArchitecture.MachineName(Machine)}";
}
