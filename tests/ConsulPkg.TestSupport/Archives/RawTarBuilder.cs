using System.Text;

namespace ConsulPkg.Testing.Archives;

/// <summary>
/// Assembles tar archives byte by byte, for what real tools will not write: names with arbitrary
/// bytes, chosen checksums, base-256 fields, pax records. Headers are ustar unless told otherwise.
/// </summary>
public sealed class RawTarBuilder
{
    private readonly List<byte> _output = [];

    public RawTarBuilder Add(byte[] name, char type = '0', int mode = 0x1a4, byte[]? data = null, string uname = "root",
        string gname = "root", long uid = 0, long gid = 0, long mtime = 1480956780, string link = "",
        Action<byte[]>? tamper = null, string magic = "ustar\0" + "00")
    {
        data ??= [];
        byte[] header = new byte[512];
        name.AsSpan(0, Math.Min(name.Length, 100)).CopyTo(header);
        Octal(header, 100, 8, mode);
        Octal(header, 108, 8, uid);
        Octal(header, 116, 8, gid);
        Octal(header, 124, 12, data.Length);
        Octal(header, 136, 12, mtime);
        header[156] = (byte)type;
        Encoding.UTF8.GetBytes(link).CopyTo(header, 157);
        Encoding.ASCII.GetBytes(magic).CopyTo(header, 257);
        Encoding.UTF8.GetBytes(uname).CopyTo(header, 265);
        Encoding.UTF8.GetBytes(gname).CopyTo(header, 297);
        tamper?.Invoke(header);
        if (header[148] == 0)
        {
            SetChecksum(header);
        }
        _output.AddRange(header);
        _output.AddRange(data);
        _output.AddRange(new byte[(512 - (data.Length % 512)) % 512]);
        return this;
    }

    public RawTarBuilder Add(string name, char type = '0', int mode = 0x1a4, byte[]? data = null, string uname = "root",
        string gname = "root", long uid = 0, long gid = 0, long mtime = 1480956780, string link = "",
        Action<byte[]>? tamper = null, string magic = "ustar\0" + "00") =>
        Add(Encoding.UTF8.GetBytes(name), type, mode, data, uname, gname, uid, gid, mtime, link, tamper, magic);

    /// <summary>A pax extended header ('x', or 'g' for a global one) holding these records for the next entry.</summary>
    public RawTarBuilder AddPax((string Key, string Value)[] records, char type = 'x')
    {
        var body = new List<byte>();
        foreach ((string key, string value) in records)
        {
            byte[] record = Encoding.UTF8.GetBytes($" {key}={value}\n");
            int length = record.Length + 1;
            while (length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + record.Length != length)
            {
                length++;
            }
            body.AddRange(Encoding.ASCII.GetBytes(length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            body.AddRange(record);
        }
        return Add("./PaxHeaders/entry", type, data: [.. body]);
    }

    public RawTarBuilder AddPax(params (string Key, string Value)[] records) => AddPax(records, 'x');

    /// <summary>The archive with its two zero end blocks.</summary>
    public byte[] Build(bool endBlocks = true)
    {
        if (endBlocks)
        {
            _output.AddRange(new byte[1024]);
        }
        return _output.ToArray();
    }

    public static void SetChecksum(byte[] header)
    {
        for (int i = 148; i < 156; i++)
        {
            header[i] = (byte)' ';
        }
        long sum = 0;
        foreach (byte b in header)
        {
            sum += b;
        }
        Octal(header, 148, 7, sum);
    }

    public static void Octal(byte[] header, int offset, int length, long value)
    {
        string text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        header[offset + length - 1] = 0;
    }
}

/// <summary>Writes ar archives the way dpkg-deb does, with full control over each header, for malformed inputs.</summary>
public static class RawAr
{
    public static byte[] Build(params (string Name, byte[] Data)[] members)
    {
        using var output = new MemoryStream();
        output.Write("!<arch>\n"u8);
        foreach ((string name, byte[] data) in members)
        {
            output.Write(Header(name, data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            output.Write(data);
            if (data.Length % 2 == 1)
            {
                output.WriteByte((byte)'\n');
            }
        }
        return output.ToArray();
    }

    public static byte[] Header(string name, string size, string terminator = "`\n") =>
        Encoding.ASCII.GetBytes($"{name,-16}{"0",-12}{"0",-6}{"0",-6}{"100644",-8}{size,-10}{terminator}");

    public static byte[] DebianBinary => "2.0\n"u8.ToArray();

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>A minimal valid control.tar.gz.</summary>
    public static byte[] ControlTarGz() => Gzip(new RawTarBuilder()
        .Add("./", '5', 0x1ed)
        .Add("./control", data: "Package: raw\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.org>\nDescription: raw\n"u8.ToArray())
        .Build());
}
