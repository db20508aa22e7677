using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// The machine-readable output of <c>contents --json</c>, <c>info --json</c> and
/// <c>show --json</c>: one JSON object per command, in one schema documented in
/// docs/inspection.md, whose names never change meaning (new ones may be added). Names and
/// values are bytes in a package; each is written as a JSON string when it is UTF-8, and
/// otherwise as that string with U+FFFD for the bad bytes plus the exact bytes in base64 under
/// the same key with "_base64" appended.
/// </summary>
public static class InspectionJson
{
    /// <summary>Written as "schema" in every object; raised only for a change that breaks a reader.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Indented; characters escaped only where JSON requires it, so names and values stay readable.</summary>
    internal static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>contents --json: the data member's entries, streamed as read.</summary>
    public static void WriteContents(Stream output, DebPackageReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        WriteObject(output, reader, json =>
        {
            json.WriteStartArray("files");
            foreach (TarEntry entry in reader.ReadDataEntries())
            {
                WriteEntry(json, entry);
                if (json.BytesPending > 1 << 16)
                {
                    json.Flush();
                }
            }
            json.WriteEndArray();
        });
    }

    /// <summary>info --json: the container's members, the control area's files and the control file's fields as written.</summary>
    public static void WriteInfo(Stream output, DebPackageReader reader, DpkgControl control)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(control);
        ControlArchive area = reader.Control;
        reader.SkipData();
        WriteObject(output, reader, json =>
        {
            json.WriteString("format", string.Create(CultureInfo.InvariantCulture, $"{reader.FormatVersion.Major}.{reader.FormatVersion.Minor}"));
            json.WriteStartArray("members");
            foreach (PackageMember member in reader.Members)
            {
                json.WriteStartObject();
                Text(json, "name", Encoding.Latin1.GetBytes(member.Name));
                json.WriteNumber("size", member.Size);
                if (member.Compression is { } compression)
                {
                    json.WriteString("compression", Name(compression));
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("control");
            foreach (ControlMember file in area.Members)
            {
                json.WriteStartObject();
                Text(json, "name", Encoding.Latin1.GetBytes(file.Name));
                json.WriteString("mode", Octal(file.Mode));
                if (file.Stats is { } stats)
                {
                    json.WriteString("type", "file");
                    json.WriteNumber("size", stats.Size);
                    json.WriteNumber("lines", stats.Lines);
                    json.WriteBoolean("executable", file.IsExecutable);
                    if (stats.Interpreter.Length > 0)
                    {
                        Text(json, "interpreter", stats.Interpreter);
                    }
                    else
                    {
                        json.WriteNull("interpreter");
                    }
                }
                else
                {
                    json.WriteString("type", "other");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            Fields(json, control.RawFields);
        });
    }

    /// <summary>show --json: the fields as dpkg writes them back (normalised, dpkg's order, then the package's own fields).</summary>
    public static void WriteShow(Stream output, DebPackageReader reader, DpkgControl control)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(control);
        WriteObject(output, reader, json => Fields(json, control.NormalizedFields()));
    }

    /// <summary>One object of the schema, then a newline: the schema's number, the file's name, and what <paramref name="body"/> writes.</summary>
    internal static void WriteObject(Stream output, DebPackageReader? reader, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("schema", SchemaVersion);
            if (reader is not null)
            {
                json.WriteString("file", reader.DisplayName);
            }
            body(json);
            json.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    /// <summary>One data entry: what dpkg-deb -c shows of it, as values.</summary>
    internal static void WriteEntry(Utf8JsonWriter json, TarEntry entry)
    {
        json.WriteStartObject();
        Text(json, "name", entry.RawName.Span);
        json.WriteString("type", TypeName(entry));
        json.WriteString("mode", Octal(entry.Mode));
        json.WriteNumber("uid", entry.Uid);
        json.WriteNumber("gid", entry.Gid);
        Text(json, "owner", entry.RawUserName.Span);
        Text(json, "group", entry.RawGroupName.Span);
        json.WriteNumber("size", entry.EntryType is TarEntryType.HardLink ? 0 : entry.Size);
        json.WriteNumber("mtime", entry.ModificationTime);
        if (entry.EntryType == TarEntryType.SymbolicLink)
        {
            Text(json, "link", entry.RawLinkName.Span);
        }
        else if (entry.EntryType == TarEntryType.HardLink)
        {
            Text(json, "link", entry.HardLinkTarget);
        }
        if (entry.EntryType is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
        {
            json.WriteNumber("major", entry.DeviceMajor);
            json.WriteNumber("minor", entry.DeviceMinor);
        }
        json.WriteEndObject();
    }

    /// <summary>The schema's words for an entry's type.</summary>
    public static string TypeName(TarEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.EntryType switch
        {
            TarEntryType.RegularFile or TarEntryType.ContiguousFile => "file",
            TarEntryType.Directory => "directory",
            TarEntryType.SymbolicLink => "symlink",
            TarEntryType.HardLink => "hardlink",
            TarEntryType.Fifo => "fifo",
            TarEntryType.CharacterDevice => "character-device",
            TarEntryType.BlockDevice => "block-device",
            _ => "other",
        };
    }

    /// <summary>Permission bits and setuid/setgid/sticky as four octal digits, "0755".</summary>
    public static string Octal(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');

    /// <summary>The schema's name of a compression: "none", "gzip", "xz", "zstd", "bzip2", "lzma".</summary>
    public static string Name(CompressionFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>
    /// Writes bytes as a string property: the text when it is UTF-8; otherwise the text with
    /// U+FFFD for bad bytes, and the bytes themselves in base64 under NAME_base64.
    /// </summary>
    internal static void Text(Utf8JsonWriter json, string name, ReadOnlySpan<byte> bytes)
    {
        json.WriteString(name, Encoding.UTF8.GetString(bytes));
        if (!Utf8.IsValid(bytes))
        {
            json.WriteBase64String(name + "_base64", bytes);
        }
    }

    /// <summary>Fields as an object in file order; names and values are bytes held one character per byte.</summary>
    private static void Fields(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, string>> fields)
    {
        json.WriteStartObject("fields");
        foreach ((string name, string value) in fields)
        {
            byte[] key = DpkgText.Bytes(name);
            byte[] bytes = DpkgText.Bytes(value);
            json.WriteString(Encoding.UTF8.GetString(key), Encoding.UTF8.GetString(bytes));
            if (!Utf8.IsValid(bytes) || !Utf8.IsValid(key))
            {
                json.WriteBase64String(Encoding.UTF8.GetString(key) + "_base64", bytes);
            }
        }
        json.WriteEndObject();
    }
}
