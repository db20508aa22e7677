using System.Buffers.Binary;
using System.Text;

namespace ConsulPkg.Debian.Elf;

/// <summary>
/// What consul-pkg reads of an ELF file (the ELF gABI; the GNU symbol versioning of the LSB): the
/// header, whether it has an interpreter and a symbol table, and its dynamic linking: the
/// libraries it needs (DT_NEEDED), its SONAME, its library search path (DT_RUNPATH, else
/// DT_RPATH) and, when asked, its dynamic symbols with their versions, the data symbols it copies
/// from a library (R_*_COPY) counted as imports. Everything is found through the section headers,
/// as binutils' objdump finds it. The one ELF reader of the project.
/// </summary>
public sealed class ElfFile
{
    public const ushort TypeExecutable = 2; // ET_EXEC
    public const ushort TypeSharedObject = 3; // ET_DYN: a shared library or a PIE executable

    private const uint ProgramInterpreter = 3; // PT_INTERP
    private const uint SectionSymbolTable = 2; // SHT_SYMTAB
    private const uint SectionRela = 4; // SHT_RELA
    private const uint SectionDynamic = 6; // SHT_DYNAMIC
    private const uint SectionRel = 9; // SHT_REL
    private const uint SectionDynamicSymbols = 11; // SHT_DYNSYM
    private const uint SectionVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef
    private const uint SectionVersionNeeds = 0x6ffffffe; // SHT_GNU_verneed
    private const uint SectionVersionSymbols = 0x6fffffff; // SHT_GNU_versym
    private const long TagNeeded = 1, TagRPath = 15, TagSoName = 14, TagRunPath = 29; // DT_*

    private ElfFile(ElfFormat format, ushort type, ushort machine)
    {
        Format = format;
        Type = type;
        Machine = machine;
    }

    public ElfFormat Format { get; }

    /// <summary>e_type: <see cref="TypeExecutable"/>, <see cref="TypeSharedObject"/>, or another (a relocatable object, a core file).</summary>
    public ushort Type { get; }

    /// <summary>e_machine as written (<see cref="Format"/> holds the standard number).</summary>
    public ushort Machine { get; }

    /// <summary>A PT_INTERP program header: the file is run through a dynamic loader.</summary>
    public bool HasInterpreter { get; private set; }

    /// <summary>A full symbol table (SHT_SYMTAB): the file is not stripped.</summary>
    public bool HasSymbolTable { get; private set; }

    /// <summary>A dynamic section: the file takes part in dynamic linking.</summary>
    public bool HasDynamicSection { get; private set; }

    public IReadOnlyList<string> Needed { get; private set; } = [];

    public string? SoName { get; private set; }

    /// <summary>DT_RUNPATH, or DT_RPATH when there is none, split at ':' ($ORIGIN left as written).</summary>
    public IReadOnlyList<string> LibraryPath { get; private set; } = [];

    /// <summary>The dynamic symbols, when read with symbols; copy-relocated data symbols are not <see cref="ElfSymbol.IsDefined"/>.</summary>
    public IReadOnlyList<ElfSymbol> DynamicSymbols { get; private set; } = [];

    /// <summary>Whether <paramref name="head"/>, a file's first bytes, start with the ELF magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']);

    /// <summary>
    /// The ELF facts of the file at <paramref name="path"/>; null when it is not an ELF file of a
    /// class, byte order and version consul-pkg knows (a script, a text file).
    /// </summary>
    public static ElfFile? Read(string path, bool withSymbols = false)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path, withSymbols);
    }

    /// <summary>
    /// <see cref="Read(string, bool)"/> for a seekable stream. A file that starts as ELF but whose
    /// tables lie outside it is refused: a <see cref="PackageException"/> naming <paramref name="displayName"/>.
    /// </summary>
    public static ElfFile? Read(Stream stream, string displayName, bool withSymbols = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = new byte[64];
        int length = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (length < 52 || !HasMagic(header) || header[4] is not (1 or 2) || header[5] is not (1 or 2) || header[6] != 1
            || (header[4] == 2 && length < 64))
        {
            return null;
        }

        var reader = new Reader(stream, header[4] == 2, header[5] == 1, displayName);
        return reader.ReadFile(header, withSymbols);
    }

    /// <summary>Reads one ELF file's tables through its section headers, every offset checked against the file.</summary>
    private sealed class Reader(Stream stream, bool is64, bool little, string displayName)
    {
        private readonly long _length = stream.Length;

        public ElfFile ReadFile(byte[] h, bool withSymbols)
        {
            ushort type = U16(h, 16);
            ushort machine = U16(h, 18);
            uint flags = U32(h, is64 ? 48 : 36);
            var file = new ElfFile(ElfFormat.Of(is64 ? 64 : 32, little, machine, flags), type, machine);

            long programOffset = is64 ? (long)U64(h, 32) : U32(h, 28);
            long sectionOffset = is64 ? (long)U64(h, 40) : U32(h, 32);
            int at = is64 ? 54 : 42;
            ushort programSize = U16(h, at), programCount = U16(h, at + 2), sectionSize = U16(h, at + 4);
            int sectionCount = U16(h, at + 6);

            foreach (byte[] program in Table(programOffset, programSize, programCount, 8, "program header"))
            {
                file.HasInterpreter |= U32(program, 0) == ProgramInterpreter;
            }

            if (sectionOffset != 0 && sectionCount == 0 && sectionSize >= (is64 ? 64 : 40))
            {
                // More sections than e_shnum holds: the count is in section 0's sh_size.
                sectionCount = (int)Math.Min(Section.Parse(Bytes(sectionOffset, sectionSize, "section header"), this).Size, ushort.MaxValue * 16L);
            }

            List<Section> sections = Table(sectionOffset, sectionSize, sectionCount, is64 ? 64 : 40, "section header")
                .Select(bytes => Section.Parse(bytes, this)).ToList();
            file.HasSymbolTable = sections.Any(s => s.Type == SectionSymbolTable);
            if (sections.FirstOrDefault(s => s.Type == SectionDynamic) is { } dynamic)
            {
                file.HasDynamicSection = true;
                ReadDynamic(file, dynamic, sections);
            }

            if (withSymbols)
            {
                file.DynamicSymbols = ReadSymbols(sections, machine);
            }

            return file;
        }

        private void ReadDynamic(ElfFile file, Section dynamic, List<Section> sections)
        {
            byte[] strings = Contents(Linked(dynamic, sections), "dynamic string table");
            byte[] entries = Contents(dynamic, "dynamic section");
            int size = is64 ? 16 : 8;
            var needed = new List<string>();
            string? runPath = null, rPath = null;
            for (int i = 0; i + size <= entries.Length; i += size)
            {
                long tag = is64 ? (long)U64(entries, i) : (int)U32(entries, i);
                ulong value = is64 ? U64(entries, i + 8) : U32(entries, i + 4);
                switch (tag)
                {
                    case 0:
                        i = entries.Length; // DT_NULL ends the table
                        break;
                    case TagNeeded:
                        needed.Add(String(strings, value, "DT_NEEDED"));
                        break;
                    case TagSoName:
                        file.SoName = String(strings, value, "DT_SONAME");
                        break;
                    case TagRunPath:
                        runPath = String(strings, value, "DT_RUNPATH");
                        break;
                    case TagRPath:
                        rPath = String(strings, value, "DT_RPATH");
                        break;
                }
            }

            file.Needed = needed;
            file.LibraryPath = (runPath ?? rPath)?.Split(':') ?? [];
        }

        private List<ElfSymbol> ReadSymbols(List<Section> sections, ushort machine)
        {
            int index = sections.FindIndex(s => s.Type == SectionDynamicSymbols);
            if (index < 0)
            {
                return [];
            }

            Section table = sections[index];
            byte[] strings = Contents(Linked(table, sections), "dynamic string table");
            byte[] symbols = Contents(table, "dynamic symbol table");
            Dictionary<int, string> versionNames = VersionNames(sections);
            byte[]? versions = sections.FirstOrDefault(s => s.Type == SectionVersionSymbols) is { } v ? Contents(v, "symbol versions") : null;
            HashSet<long> copied = CopiedSymbols(sections, index, machine);

            int size = is64 ? 24 : 16;
            var result = new List<ElfSymbol>();
            for (int i = 1; (i + 1) * size <= symbols.Length; i++) // entry 0 is the null symbol
            {
                int at = i * size;
                uint name = U32(symbols, at);
                byte info = symbols[at + (is64 ? 4 : 12)];
                ushort sectionIndex = U16(symbols, at + (is64 ? 6 : 14));
                int version = versions is not null && (i * 2) + 2 <= versions.Length ? U16(versions, i * 2) & 0x7fff : 0;
                result.Add(new ElfSymbol(
                    String(strings, name, "symbol name"),
                    versionNames.GetValueOrDefault(version),
                    IsDefined: sectionIndex != 0 && !copied.Contains(i),
                    IsWeak: info >> 4 == 2));
            }

            return result;
        }

        /// <summary>
        /// Version index to name, from the version needs (what the file imports) and definitions
        /// (what it exports). Indices 0 and 1 are "local" and "global": no version, dpkg's "Base".
        /// </summary>
        private Dictionary<int, string> VersionNames(List<Section> sections)
        {
            var names = new Dictionary<int, string>();
            foreach (Section section in sections.Where(s => s.Type is SectionVersionNeeds or SectionVersionDefinitions))
            {
                byte[] strings = Contents(Linked(section, sections), "version string table");
                byte[] data = Contents(section, "version table");
                bool needs = section.Type == SectionVersionNeeds;
                long entry = 0;
                for (int n = 0; n < section.Info && entry + (needs ? 16 : 20) <= data.Length; n++)
                {
                    int at = (int)entry;
                    if (needs)
                    {
                        // Elf_Verneed: vn_cnt @2, vn_aux @8, vn_next @12; each Elf_Vernaux: vna_other @6, vna_name @8, vna_next @12.
                        long aux = entry + U32(data, at + 8);
                        for (int k = 0; k < U16(data, at + 2) && aux + 16 <= data.Length; k++)
                        {
                            int a = (int)aux;
                            Name(U16(data, a + 6), U32(data, a + 8));
                            uint nextAux = U32(data, a + 12);
                            if (nextAux == 0)
                            {
                                break;
                            }

                            aux += nextAux;
                        }
                    }
                    else if (U16(data, at + 6) > 0 && entry + U32(data, at + 12) + 8 <= data.Length)
                    {
                        // Elf_Verdef: vd_ndx @4, vd_cnt @6, vd_aux @12, vd_next @16; its first Elf_Verdaux's vda_name @0 is the version.
                        Name(U16(data, at + 4), U32(data, (int)(entry + U32(data, at + 12))));
                    }

                    uint next = U32(data, at + (needs ? 12 : 16));
                    if (next == 0)
                    {
                        break;
                    }

                    entry += next;
                }

                void Name(int index, uint name)
                {
                    if ((index & 0x7fff) > 1)
                    {
                        names.TryAdd(index & 0x7fff, String(strings, name, "version name"));
                    }
                }
            }

            return names;
        }

        /// <summary>Indices of the dynamic symbols a copy relocation fills: data the executable copies from a library.</summary>
        private HashSet<long> CopiedSymbols(List<Section> sections, int symbolSection, ushort machine)
        {
            var copied = new HashSet<long>();
            if (ElfArchitecture.CopyRelocation(machine) is not { } copy)
            {
                return copied;
            }

            foreach (Section section in sections.Where(s => s.Type is SectionRela or SectionRel && s.Link == symbolSection))
            {
                int size = (is64 ? 16 : 8) + (section.Type == SectionRela ? (is64 ? 8 : 4) : 0);
                byte[] relocations = Contents(section, "relocation table");
                for (int at = 0; at + size <= relocations.Length; at += size)
                {
                    ulong info = is64 ? U64(relocations, at + 8) : U32(relocations, at + 4);
                    (long symbol, uint type) = is64 ? ((long)(info >> 32), (uint)info) : ((long)(info >> 8), (uint)(info & 0xff));
                    if (type == copy)
                    {
                        copied.Add(symbol);
                    }
                }
            }

            return copied;
        }

        private Section Linked(Section section, List<Section> sections) =>
            section.Link < sections.Count ? sections[(int)section.Link] : throw Damaged($"a table links to section {section.Link}, which does not exist");

        private byte[] Contents(Section section, string what) => Bytes(section.Offset, section.Size, what);

        private IEnumerable<byte[]> Table(long offset, ushort entrySize, int count, int minimumSize, string what)
        {
            if (offset == 0 || count == 0)
            {
                yield break;
            }

            if (entrySize < minimumSize)
            {
                throw Damaged($"its {what}s are {entrySize} bytes each, fewer than the {minimumSize} they hold");
            }

            byte[] all = Bytes(offset, (long)entrySize * count, what + "s");
            for (int i = 0; i < count; i++)
            {
                yield return all.AsSpan(i * entrySize, entrySize).ToArray();
            }
        }

        private byte[] Bytes(long offset, long size, string what)
        {
            if (offset < 0 || size < 0 || offset > _length || size > _length - offset)
            {
                throw Damaged($"its {what} ({size} bytes at offset {offset}) lies outside the file's {_length} bytes");
            }

            byte[] bytes = new byte[size];
            stream.Position = offset;
            stream.ReadExactly(bytes);
            return bytes;
        }

        private string String(byte[] table, ulong offset, string what)
        {
            if (offset >= (ulong)table.Length)
            {
                throw Damaged($"a {what} starts at {offset}, past its string table's {table.Length} bytes");
            }

            int start = (int)offset;
            int end = Array.IndexOf(table, (byte)0, start);
            return Encoding.UTF8.GetString(table, start, (end < 0 ? table.Length : end) - start);
        }

        private PackageException Damaged(string reason) => new($"{displayName} is not a valid ELF file: {reason}");

        public ushort U16(byte[] b, int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));

        public uint U32(byte[] b, int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

        public ulong U64(byte[] b, int at) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(at));

        public bool Is64 => is64;
    }

    /// <summary>The fields of a section header the reader uses.</summary>
    private sealed record Section(uint Type, long Offset, long Size, uint Link, uint Info)
    {
        public static Section Parse(byte[] h, Reader r) => r.Is64
            ? new Section(r.U32(h, 4), (long)Math.Min(r.U64(h, 24), long.MaxValue), (long)Math.Min(r.U64(h, 32), long.MaxValue), r.U32(h, 40), r.U32(h, 44))
            : new Section(r.U32(h, 4), r.U32(h, 16), r.U32(h, 20), r.U32(h, 24), r.U32(h, 28));
    }
}

/// <summary>
/// A dynamic symbol: its name, its version (null: none, which dpkg calls "Base"), whether this
/// file defines it (a copy-relocated one counts as imported) and whether it is weak.
/// </summary>
public sealed record ElfSymbol(string Name, string? Version, bool IsDefined, bool IsWeak)
{
    /// <summary>How a symbols file names it: <c>name@VERSION</c>, or <c>name@Base</c> without a version.</summary>
    public string Key => $"{Name}@{Version ?? "Base"}";
}
