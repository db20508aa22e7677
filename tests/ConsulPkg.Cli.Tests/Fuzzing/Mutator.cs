using System.Globalization;
using System.Text;
using ConsulPkg.Debian.Compression;
using ConsulPkg.Testing.Archives;

namespace ConsulPkg.Cli.Tests.Fuzzing;

/// <summary>One generated input: the .deb and a description of what was done to it, for the failure report.</summary>
internal sealed record FuzzCase(int Index, byte[] Deb, string Description);

/// <summary>
/// Makes case <c>i</c> of a seeded run: a base package (member compressions chosen by the case)
/// damaged one or two ways. The same seed and index always give the same bytes. Damage comes
/// in the kinds a hostile or broken file shows: bit flips, truncation, tar header fields set to
/// edge values with the checksum fixed up (so the damage reaches the parser behind the
/// checksum), pax and GNU extension headers with odd records, damage to the compressed stream,
/// ar header edits, and control files with odd text.
/// </summary>
internal sealed class Mutator(int seed)
{
    private const int Block = 512;

    private static readonly string[] PaxKeys = ["path", "linkpath", "size", "mtime", "uid", "gid", "uname", "gname", "atime", "comment", "GNU.sparse.size", "SCHILY.xattr.user.x"];

    private static readonly string[] NumericValues =
    [
        "0", "1", "-1", "99999999999999", "-99999999999999", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "1.5", "-1.5", ".", "", " ", "0x10", "1e9", "99999999999999999999999", "00000000000000000000000001",
    ];

    public FuzzCase Make(int index)
    {
        // Not HashCode.Combine: it is seeded per process, and a case must give the same bytes in every run.
        var random = new Random(unchecked((seed * 1_000_003) + (index * 7919)));
        var parts = new PackageParts(
            FuzzCorpus.DataTar(), Pick(random, FuzzCorpus.DataFormats),
            FuzzCorpus.ControlTar(), Pick(random, FuzzCorpus.ControlFormats));
        var what = new List<string> { $"data {parts.DataFormat}, control {parts.ControlFormat}" };
        int rounds = random.Next(10) < 7 ? 1 : 2;
        byte[]? deb = null;
        for (int round = 0; round < rounds; round++)
        {
            int kind = random.Next(100);
            (parts, deb) = kind switch
            {
                < 14 => (parts, FlipBits(random, deb ?? parts.Assemble(), what)),
                < 20 => (parts, Truncate(random, deb ?? parts.Assemble(), what)),
                < 45 => (EditTarHeader(random, parts, what), null),
                < 63 => (InsertExtension(random, parts, what), null),
                < 72 => (parts, DamageCompressed(random, parts, what)),
                < 78 => (parts, EditAr(random, deb ?? parts.Assemble(), what)),
                < 90 => (MutateControlFile(random, parts, what), null),
                _ => (SpliceBlocks(random, parts, what), null),
            };
        }
        return new FuzzCase(index, deb ?? parts.Assemble(), string.Join("; ", what));
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static byte[] FlipBits(Random random, byte[] deb, List<string> what)
    {
        byte[] copy = (byte[])deb.Clone();
        int flips = 1 + random.Next(16);
        for (int i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }
        what.Add($"{flips} bit flips");
        return copy;
    }

    private static byte[] Truncate(Random random, byte[] deb, List<string> what)
    {
        int length = random.Next(deb.Length);
        what.Add($"truncated to {length} of {deb.Length}");
        return deb[..length];
    }

    /// <summary>Sets one field of one header block of the data or control tar; usually fixes the checksum.</summary>
    private static PackageParts EditTarHeader(Random random, PackageParts parts, List<string> what)
    {
        bool control = random.Next(4) == 0;
        byte[] tar = (byte[])(control ? parts.ControlTar : parts.DataTar).Clone();
        List<int> headers = HeaderOffsets(tar);
        int at = Pick(random, headers);
        (string field, int offset, int length) = Pick(random, Fields);
        byte[] value = FieldValue(random, field, length);
        Array.Clear(tar, at + offset, length);
        value.AsSpan(0, Math.Min(value.Length, length)).CopyTo(tar.AsSpan(at + offset));
        bool fix = random.Next(10) < 8;
        if (fix)
        {
            FixChecksum(tar, at);
        }
        what.Add($"{(control ? "control" : "data")} tar header at {at}: {field} = {Show(value)}{(fix ? "" : " (checksum not fixed)")}");
        return control ? parts with { ControlTar = tar } : parts with { DataTar = tar };
    }

    private static readonly (string Name, int Offset, int Length)[] Fields =
    [
        ("name", 0, 100), ("mode", 100, 8), ("uid", 108, 8), ("gid", 116, 8), ("size", 124, 12), ("mtime", 136, 12),
        ("typeflag", 156, 1), ("linkname", 157, 100), ("magic", 257, 8), ("uname", 265, 32), ("gname", 297, 32),
        ("devmajor", 329, 8), ("devminor", 337, 8), ("prefix", 345, 155),
    ];

    private static byte[] FieldValue(Random random, string field, int length)
    {
        switch (field)
        {
            case "typeflag":
                return [(byte)Pick(random, "0123456789ADgxLKSVMNZ\0?\xff".ToCharArray())];
            case "magic":
                return Encoding.Latin1.GetBytes(Pick(random, new[] { "ustar\000", "ustar  \0", "ustar\0\0\0", "garbage!", "" }));
            case "name" or "linkname" or "prefix" or "uname" or "gname":
                return Pick(random, new Func<byte[]>[]
                {
                    () => RandomBytes(random, random.Next(length + 1)),
                    () => Encoding.Latin1.GetBytes(Pick(random, new[] { "../x", "/etc/x", "./a/../../b", "..", ".", "", "./caf\xe9", "./up/x", "./escape/x", "./usr/bin/link/x", "a\0b", "//", "./usr/bin/tool/" })),
                    () => Encoding.ASCII.GetBytes(new string('a', length)),
                })();
            default:
                return Pick(random, new Func<byte[]>[]
                {
                    () => Octal(random.NextInt64(0, 1L << Math.Min(62, (length - 1) * 3)), length),
                    () => Octal(Pick(random, new long[] { 0, 1, 0x7FFFFFFF, 0x1FFFFFFFF, 8589934591 }), length),
                    () => Base256(random, length),
                    () => Encoding.ASCII.GetBytes(new string(' ', length)),
                    () => RandomBytes(random, length),
                    () => Encoding.ASCII.GetBytes(new string('7', length)),
                })();
        }
    }

    private static byte[] Octal(long value, int length) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0')[^(length - 1)..] + "\0");

    /// <summary>A base-256 number: the top bit of the first byte set; negative when the next bit is set too.</summary>
    private static byte[] Base256(Random random, int length)
    {
        byte[] value = RandomBytes(random, length);
        value[0] = random.Next(2) == 0 ? (byte)0x80 : (byte)0xff;
        if (random.Next(2) == 0)
        {
            Array.Clear(value, 1, length - 1 - random.Next(Math.Min(8, length - 1)));
        }
        return value;
    }

    /// <summary>Puts a pax ('x' or 'g') or GNU long-name ('L', 'K') header in front of a random entry.</summary>
    private static PackageParts InsertExtension(Random random, PackageParts parts, List<string> what)
    {
        bool control = random.Next(5) == 0;
        byte[] tar = control ? parts.ControlTar : parts.DataTar;
        int at = Pick(random, HeaderOffsets(tar));
        char type = Pick(random, "xxxgLK".ToCharArray());
        byte[] body;
        if (type is 'L' or 'K')
        {
            body = Pick(random, new Func<byte[]>[]
            {
                () => RandomBytes(random, random.Next(1, 300)),
                () => Encoding.Latin1.GetBytes(Pick(random, new[] { "../x\0", "/abs\0", "./a\0b", "", "./caf\xe9\0", "./up/x\0" })),
                () => new byte[random.Next(2) == 0 ? (1 << 20) + 1 : 1 << 20],
            })();
        }
        else
        {
            var records = new StringBuilder();
            int count = 1 + random.Next(4);
            for (int i = 0; i < count; i++)
            {
                records.Append(Record(random));
            }
            body = Encoding.Latin1.GetBytes(records.ToString());
            if (random.Next(20) == 0)
            {
                body = Enumerable.Repeat(body, 4000).SelectMany(b => b).ToArray();
            }
        }
        byte[] header = new RawTarBuilder().Add(type is 'L' or 'K' ? "././@LongLink" : "./PaxHeaders/fuzz", type).Build(endBlocks: false);
        Octal(body.Length, 12).CopyTo(header, 124);
        FixChecksum(header, 0);
        byte[] extension = [.. header, .. body, .. new byte[(Block - (body.Length % Block)) % Block]];
        byte[] result = [.. tar[..at], .. extension, .. tar[at..]];
        what.Add($"{(control ? "control" : "data")} tar: '{type}' header of {body.Length} bytes before offset {at}: {Show(body)}");
        return control ? parts with { ControlTar = result } : parts with { DataTar = result };
    }

    /// <summary>One pax record, usually well-formed ("LEN key=value\n"), sometimes not.</summary>
    private static string Record(Random random)
    {
        string key = Pick(random, PaxKeys);
        string value = key switch
        {
            "path" or "linkpath" or "uname" or "gname" => Pick(random, new[] { "./a\0b", "", "../x", "/abs", "./caf\xe9", "./up/x", "./escape/x", new string('p', 5000), "./usr/bin/tool" }),
            _ => Pick(random, NumericValues),
        };
        string body = $" {key}={value}\n";
        int length = body.Length + 1;
        while (length.ToString(CultureInfo.InvariantCulture).Length + body.Length != length)
        {
            length++;
        }
        return random.Next(12) switch
        {
            0 => $"{length + 3}{body}",
            1 => $"{length}{body.Replace("=", "", StringComparison.Ordinal)}",
            2 => $"x{body}",
            _ => $"{length}{body}",
        };
    }

    /// <summary>Damage inside a compressed member: flipped bytes, a cut (gzip trailer, xz footer), or junk after it.</summary>
    private static byte[] DamageCompressed(Random random, PackageParts parts, List<string> what)
    {
        bool control = random.Next(3) == 0;
        byte[] member = PackageParts.Compress(control ? parts.ControlTar : parts.DataTar, control ? parts.ControlFormat : parts.DataFormat);
        string how;
        switch (random.Next(3))
        {
            case 0:
                int flips = 1 + random.Next(4);
                for (int i = 0; i < flips; i++)
                {
                    member[random.Next(member.Length)] ^= (byte)(1 + random.Next(255));
                }
                how = $"{flips} bytes changed";
                break;
            case 1:
                int cut = 1 + random.Next(Math.Min(64, member.Length));
                member = member[..^cut];
                how = $"last {cut} bytes cut";
                break;
            default:
                member = [.. member, .. RandomBytes(random, 1 + random.Next(64))];
                how = "junk appended";
                break;
        }
        what.Add($"compressed {(control ? "control" : "data")} member: {how}");
        return control ? parts.Assemble(rawControl: member) : parts.Assemble(rawData: member);
    }

    /// <summary>Changes one ar member header: its size, its name or its terminator.</summary>
    private static byte[] EditAr(Random random, byte[] deb, List<string> what)
    {
        byte[] copy = (byte[])deb.Clone();
        var headers = new List<int>();
        for (int at = 8; at + 60 <= copy.Length;)
        {
            headers.Add(at);
            if (!long.TryParse(Encoding.ASCII.GetString(copy, at + 48, 10).Trim(), out long size))
            {
                break;
            }
            at += 60 + (int)size + (int)(size & 1);
        }
        if (headers.Count == 0)
        {
            what.Add("ar header edit: no header left to edit");
            return copy;
        }

        int header = Pick(random, headers);
        (int offset, int length, string[] values) = Pick(random, new (int, int, string[])[]
        {
            (48, 10, ["0", "1", "9999999999", "-1", "12x", "", "4294967296"]),
            (0, 16, ["control.tar.gz", "data.tar.bz2", "data.tar.lzma", "_extra", "data.tar.zst", "control.tar", "x", "debian-binary"]),
            (58, 2, ["``", "\n\n"]),
        });
        string value = Pick(random, values);
        Encoding.ASCII.GetBytes(value.PadRight(length)).CopyTo(copy, header + offset);
        what.Add($"ar header at {header}, offset {offset}: '{value}'");
        return copy;
    }

    /// <summary>Odd text in the control file: the inputs dpkg-deb -I and -f parse.</summary>
    private static PackageParts MutateControlFile(Random random, PackageParts parts, List<string> what)
    {
        byte[] text = FuzzCorpus.ControlFile;
        string how;
        switch (random.Next(7))
        {
            case 0:
                int at = random.Next(text.Length);
                text = [.. text[..at], .. RandomBytes(random, 1 + random.Next(8)), .. text[at..]];
                how = $"random bytes at {at}";
                break;
            case 1:
                text = [.. text, .. "Package: again\n"u8];
                how = "duplicate field";
                break;
            case 2:
                text = [.. " continuation first\n"u8, .. text];
                how = "continuation line first";
                break;
            case 3:
                text = [.. text, .. "Empty:\n"u8, .. "no colon here\n"u8];
                how = "empty value and a line without a colon";
                break;
            case 4:
                text = [.. text, .. Encoding.Latin1.GetBytes("X-Name: Andr\xe9\n\nSecond: stanza\n")];
                how = "Latin-1 byte and a second stanza";
                break;
            case 5:
                text = [.. text, .. Encoding.ASCII.GetBytes("X-Long: " + new string('l', 200_000) + "\n")];
                how = "200 KB line";
                break;
            default:
                text = text[..random.Next(text.Length)];
                how = "cut short";
                break;
        }
        what.Add($"control file: {how}");
        return parts with { ControlTar = FuzzCorpus.ControlTar(text) };
    }

    /// <summary>Drops or repeats a run of 512-byte blocks of the data tar: headers meet data and data meets headers.</summary>
    private static PackageParts SpliceBlocks(Random random, PackageParts parts, List<string> what)
    {
        byte[] tar = parts.DataTar;
        int blocks = tar.Length / Block;
        int start = random.Next(blocks);
        int count = 1 + random.Next(Math.Min(4, blocks - start));
        byte[] run = tar[(start * Block)..((start + count) * Block)];
        bool drop = random.Next(2) == 0;
        byte[] result = drop
            ? [.. tar[..(start * Block)], .. tar[((start + count) * Block)..]]
            : [.. tar[..(start * Block)], .. run, .. tar[(start * Block)..]];
        what.Add($"data tar: {(drop ? "dropped" : "repeated")} {count} blocks at block {start}");
        return parts with { DataTar = result };
    }

    /// <summary>Offsets of the header blocks of a well-formed tar (and of the first end block).</summary>
    private static List<int> HeaderOffsets(byte[] tar)
    {
        var offsets = new List<int>();
        int at = 0;
        while (at + Block <= tar.Length)
        {
            offsets.Add(at);
            if (tar.AsSpan(at, Block).IndexOfAnyExcept((byte)0) < 0)
            {
                break;
            }
            string size = Encoding.ASCII.GetString(tar, at + 124, 11).Trim('\0', ' ');
            long length = size.Length == 0 || !size.All(c => c is >= '0' and <= '7') ? 0 : Convert.ToInt64(size, 8);

            // An earlier mutation of the same case may have set a size past the end: stop there
            // rather than step outside the array.
            long next = at + Block + ((length + Block - 1) / Block * Block);
            if (next > tar.Length)
            {
                break;
            }

            at = (int)next;
        }
        return offsets;
    }

    private static void FixChecksum(byte[] tar, int at)
    {
        Array.Fill(tar, (byte)' ', at + 148, 8);
        long sum = 0;
        for (int i = 0; i < Block; i++)
        {
            sum += tar[at + i];
        }
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, at + 148);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Show(byte[] value)
    {
        var text = new StringBuilder();
        foreach (byte b in value.AsSpan(0, Math.Min(value.Length, 40)))
        {
            text.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        }
        return value.Length > 40 ? text + "..." : text.ToString();
    }
}
