using System.Buffers.Binary;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// What the package needs to know of the extracted consul binary, read from its ELF headers: the
/// machine it is for, whether it is statically linked (no PT_INTERP: HashiCorp's Go builds) and
/// whether it still has a symbol table. Decides the lintian overrides the package earns and
/// refuses a binary for another machine. A file that is not ELF (the tests' stand-in script) has
/// no facts to check.
/// </summary>
internal sealed record ElfBinary(ushort Machine, bool IsStatic, bool HasSymbolTable, bool IsPie)
{
    private const ushort ElfTypeDynamic = 3; // ET_DYN: a PIE executable (or shared object)
    private const uint ProgramInterpreter = 3; // PT_INTERP
    private const uint SymbolTable = 2; // SHT_SYMTAB

    /// <summary>e_machine of each Debian architecture the package is built for.</summary>
    private static readonly Dictionary<string, (ushort Machine, string Name)> Machines = new(StringComparer.Ordinal)
    {
        ["amd64"] = (62, "x86-64"),
        ["i386"] = (3, "i386"),
        ["armhf"] = (40, "ARM"),
        ["arm64"] = (183, "AArch64"),
    };

    /// <summary>The ELF facts of <paramref name="path"/>, or null when it is not an ELF file.</summary>
    public static ElfBinary? Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        Span<byte> ident = stackalloc byte[64];
        if (stream.ReadAtLeast(ident, 64, throwOnEndOfStream: false) < 64 || !ident[..4].SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']))
        {
            return null;
        }

        bool is64 = ident[4] == 2;
        bool little = ident[5] == 1;
        ushort type = U16(ident[16..]);
        ushort machine = U16(ident[18..]);
        long programHeaders = is64 ? (long)U64(ident[32..]) : U32(ident[28..]);
        long sectionHeaders = is64 ? (long)U64(ident[40..]) : U32(ident[32..]);
        int offset = is64 ? 54 : 42;
        ushort programSize = U16(ident[offset..]);
        ushort programCount = U16(ident[(offset + 2)..]);
        ushort sectionSize = U16(ident[(offset + 4)..]);
        ushort sectionCount = U16(ident[(offset + 6)..]);

        bool interpreter = false;
        foreach (byte[] header in Headers(stream, programHeaders, programSize, programCount))
        {
            interpreter |= U32(header) == ProgramInterpreter;
        }

        bool symbols = false;
        foreach (byte[] header in Headers(stream, sectionHeaders, sectionSize, sectionCount))
        {
            symbols |= U32(header.AsSpan(4)) == SymbolTable;
        }

        return new ElfBinary(machine, IsStatic: !interpreter, HasSymbolTable: symbols, IsPie: type == ElfTypeDynamic);

        ushort U16(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
        uint U32(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
        ulong U64(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
    }

    /// <summary>
    /// Refuses a binary that cannot run on <paramref name="debianArchitecture"/>. HashiCorp's
    /// <c>arm</c> build serves armhf because it is static: it loads no soft-float libraries, and
    /// every armhf CPU (ARMv7 with VFPv3) runs its code. A dynamically linked ARM binary would need
    /// armhf's loader, which is not checked here, so it is refused.
    /// </summary>
    public void EnsureRunsOn(string debianArchitecture, string zipName)
    {
        if (!Machines.TryGetValue(debianArchitecture, out var expected))
        {
            return;
        }

        if (Machine != expected.Machine)
        {
            string actual = Machines.Values.FirstOrDefault(m => m.Machine == Machine).Name ?? $"ELF machine {Machine}";
            throw new PackageException($"the consul binary in {zipName} is for {actual}, not {debianArchitecture} ({expected.Name}): the mirror serves the wrong build");
        }

        if (debianArchitecture == "armhf" && !IsStatic)
        {
            throw new PackageException($"the consul binary in {zipName} is dynamically linked: only a static ARM build is known to run on armhf");
        }
    }

    private static IEnumerable<byte[]> Headers(FileStream stream, long offset, ushort size, ushort count)
    {
        if (offset <= 0 || size < 8 || count == 0 || offset + ((long)size * count) > stream.Length)
        {
            yield break;
        }

        byte[] header = new byte[size];
        for (int i = 0; i < count; i++)
        {
            stream.Position = offset + ((long)i * size);
            stream.ReadExactly(header);
            yield return header;
        }
    }
}
