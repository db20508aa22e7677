using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// What changed between two packages, as a pipeline reviewing a rebuild wants it: the container's
/// members (a member added or removed, a compression changed), the control fields, the files
/// (added, removed, or changed in type, mode, owner, size, SHA-256 or link target), the
/// conffiles, and the other files of the control area (maintainer scripts...) as unified
/// diffs. Sizes of members are not compared: any rebuild changes them.
/// </summary>
public sealed class PackageComparison
{
    /// <summary>Control files compared elsewhere: the fields, the files' digests, the conffiles list.</summary>
    private static readonly string[] ComparedElsewhere = ["control", "md5sums", "conffiles"];

    private PackageComparison(string oldName, string newName)
    {
        OldName = oldName;
        NewName = newName;
    }

    public string OldName { get; }

    public string NewName { get; }

    /// <summary>
    /// One difference: what kind, its name, the old and new values (null when absent), a unified
    /// diff for text, and for a changed file which of its attributes changed.
    /// </summary>
    public sealed record Change(string Kind, string Name, string? Old, string? New, string? Detail = null, IReadOnlyList<string>? Attributes = null);

    public List<Change> Members { get; } = [];

    public List<Change> Fields { get; } = [];

    public List<Change> Files { get; } = [];

    public List<Change> Conffiles { get; } = [];

    /// <summary>Control-area files other than control, md5sums and conffiles; <see cref="Change.Detail"/> holds the unified diff of text.</summary>
    public List<Change> ControlFiles { get; } = [];

    public bool AreEqual => Members.Count + Fields.Count + Files.Count + Conffiles.Count + ControlFiles.Count == 0;

    /// <summary>Reads both packages (each once) and compares them.</summary>
    public static PackageComparison Compare(DebPackageReader oldPackage, DebPackageReader newPackage, string nativeArchitecture)
    {
        ArgumentNullException.ThrowIfNull(oldPackage);
        ArgumentNullException.ThrowIfNull(newPackage);
        var comparison = new PackageComparison(oldPackage.DisplayName, newPackage.DisplayName);
        Snapshot a = Snapshot.Read(oldPackage, nativeArchitecture);
        Snapshot b = Snapshot.Read(newPackage, nativeArchitecture);
        comparison.CompareMembers(a, b);
        comparison.CompareFields(a, b);
        comparison.CompareFiles(a, b);
        CompareSets(a.Conffiles, b.Conffiles, comparison.Conffiles, "conffile");
        comparison.CompareControlFiles(a, b);
        return comparison;
    }

    /// <summary>The text form: "--- OLD", "+++ NEW", then one line per difference, unified diffs of control files after theirs.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("--- ").Append(OldName).Append('\n').Append("+++ ").Append(NewName).Append('\n');
        foreach (Change change in Members.Concat(Fields).Concat(Files).Concat(Conffiles).Concat(ControlFiles))
        {
            text.Append(change.Kind).Append(' ').Append(change.Name).Append(": ");
            text.Append((change.Old, change.New) switch
            {
                (null, { } added) => $"added ({added})",
                ({ } removed, null) => $"removed ({removed})",
                _ when change.Attributes is { } attributes => $"{string.Join(", ", attributes)} changed: {change.Old} -> {change.New}",
                _ when change.Detail is not null => "changed",
                _ => $"{change.Old} -> {change.New}",
            });
            text.Append('\n');
            if (change.Detail is { Length: > 0 } detail)
            {
                text.Append(detail);
            }
        }
        return text.ToString();
    }

    /// <summary>The JSON form (schema in docs/inspection.md).</summary>
    public void WriteJson(Stream output)
    {
        InspectionJson.WriteObject(output, null, json =>
        {
            json.WriteString("old", OldName);
            json.WriteString("new", NewName);
            json.WriteBoolean("equal", AreEqual);
            Section(json, "members", Members);
            Section(json, "fields", Fields);
            Section(json, "files", Files);
            Section(json, "conffiles", Conffiles);
            Section(json, "control_files", ControlFiles);
        });

        static void Section(Utf8JsonWriter json, string name, List<Change> changes)
        {
            json.WriteStartArray(name);
            foreach (Change change in changes)
            {
                json.WriteStartObject();
                json.WriteString("name", change.Name);
                json.WriteString("change", change.Old is null ? "added" : change.New is null ? "removed" : "changed");
                WriteValue(json, "old", change.Old);
                WriteValue(json, "new", change.New);
                if (change.Attributes is { } attributes)
                {
                    json.WriteStartArray("differences");
                    foreach (string attribute in attributes)
                    {
                        json.WriteStringValue(attribute);
                    }
                    json.WriteEndArray();
                }
                if (change.Detail is not null)
                {
                    json.WriteString("diff", change.Detail);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }

        static void WriteValue(Utf8JsonWriter json, string name, string? value)
        {
            if (value is null)
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteString(name, value);
            }
        }
    }

    private void CompareMembers(Snapshot a, Snapshot b)
    {
        foreach (string role in a.Members.Keys.Union(b.Members.Keys).Order(StringComparer.Ordinal))
        {
            PackageMember? old = a.Members.GetValueOrDefault(role);
            PackageMember? now = b.Members.GetValueOrDefault(role);
            if (old?.Name != now?.Name)
            {
                Members.Add(new Change("member", role, old is null ? null : Describe(old), now is null ? null : Describe(now)));
            }
        }

        static string Describe(PackageMember member) =>
            member.Compression is { } compression ? $"{member.Name}, {InspectionJson.Name(compression)}" : member.Name;
    }

    private void CompareFields(Snapshot a, Snapshot b)
    {
        var names = a.Fields.Select(f => f.Key).Concat(b.Fields.Select(f => f.Key)).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            string? old = Find(a.Fields, name);
            string? now = Find(b.Fields, name);
            if (old != now)
            {
                bool multiline = (old?.Contains('\n', StringComparison.Ordinal) ?? false) || (now?.Contains('\n', StringComparison.Ordinal) ?? false);
                string? detail = multiline && old is not null && now is not null
                    ? UnifiedDiff.Create(old + "\n", now + "\n", $"a/{name}", $"b/{name}")
                    : null;
                Fields.Add(new Change("field", name, old, now, detail));
            }
        }

        static string? Find(List<KeyValuePair<string, string>> fields, string name) =>
            fields.Find(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    private void CompareFiles(Snapshot a, Snapshot b)
    {
        foreach (string name in a.Files.Keys.Union(b.Files.Keys).Order(StringComparer.Ordinal))
        {
            FileFacts? old = a.Files.GetValueOrDefault(name);
            FileFacts? now = b.Files.GetValueOrDefault(name);
            if (old is null || now is null)
            {
                Files.Add(new Change("file", name, old?.ToString(), now?.ToString()));
                continue;
            }
            List<string> changes = old.Differences(now);
            if (changes.Count > 0)
            {
                Files.Add(new Change("file", name, old.ToString(), now.ToString(), Attributes: changes));
            }
        }
    }

    private static void CompareSets(SortedSet<string> a, SortedSet<string> b, List<Change> into, string kind)
    {
        foreach (string name in a.Union(b).Order(StringComparer.Ordinal))
        {
            bool inOld = a.Contains(name), inNew = b.Contains(name);
            if (inOld != inNew)
            {
                into.Add(new Change(kind, name, inOld ? "listed" : null, inNew ? "listed" : null));
            }
        }
    }

    private void CompareControlFiles(Snapshot a, Snapshot b)
    {
        foreach (string name in a.ControlFiles.Keys.Union(b.ControlFiles.Keys).Order(StringComparer.Ordinal))
        {
            if (ComparedElsewhere.Contains(name))
            {
                continue;
            }
            byte[]? old = a.ControlFiles.GetValueOrDefault(name);
            byte[]? now = b.ControlFiles.GetValueOrDefault(name);
            if (old is not null && now is not null && old.AsSpan().SequenceEqual(now))
            {
                continue;
            }
            // A script added or removed is shown whole, as diff -u shows a file against /dev/null.
            string? detail = null;
            if ((old is null || IsText(old)) && (now is null || IsText(now)))
            {
                detail = UnifiedDiff.Create(Encoding.UTF8.GetString(old ?? []), Encoding.UTF8.GetString(now ?? []),
                    old is null ? "/dev/null" : $"a/{name}", now is null ? "/dev/null" : $"b/{name}");
            }
            ControlFiles.Add(new Change("control file", name, old is null ? null : Size(old), now is null ? null : Size(now), detail));
        }

        static string Size(byte[] content) => string.Create(CultureInfo.InvariantCulture, $"{content.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(content))}");

        static bool IsText(byte[] content) => Array.IndexOf(content, (byte)0) < 0 && System.Text.Unicode.Utf8.IsValid(content);
    }

    /// <summary>A file as compared: everything but its time.</summary>
    private sealed record FileFacts(string Type, string Mode, string Owner, long Size, string? Sha256, string? Link)
    {
        public List<string> Differences(FileFacts other)
        {
            var changes = new List<string>();
            if (Type != other.Type)
            {
                changes.Add("type");
            }
            if (Mode != other.Mode)
            {
                changes.Add("mode");
            }
            if (Owner != other.Owner)
            {
                changes.Add("owner");
            }
            if (Size != other.Size)
            {
                changes.Add("size");
            }
            if (Sha256 != other.Sha256)
            {
                changes.Add("sha256");
            }
            if (Link != other.Link)
            {
                changes.Add("link");
            }
            return changes;
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Type} {Mode} {Owner} {Size} bytes")
            + (Sha256 is null ? "" : $" sha256 {Sha256}")
            + (Link is null ? "" : $" -> {Link}");
    }

    /// <summary>What of one package the comparison needs, read in one pass.</summary>
    private sealed class Snapshot
    {
        public Dictionary<string, PackageMember> Members { get; } = new(StringComparer.Ordinal);

        public List<KeyValuePair<string, string>> Fields { get; private set; } = [];

        public Dictionary<string, byte[]> ControlFiles { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Conffiles { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, FileFacts> Files { get; } = new(StringComparer.Ordinal);

        public static Snapshot Read(DebPackageReader reader, string nativeArchitecture)
        {
            var snapshot = new Snapshot();
            ControlArchive control = reader.ControlWithAllFiles();
            snapshot.Fields = [.. reader.ParseControl(nativeArchitecture).RawFields.Select(f => new KeyValuePair<string, string>(DpkgText.Shown(f.Key), DpkgText.Shown(f.Value)))];
            foreach (ControlMember file in control.Members)
            {
                if (control.Content(file.Name) is { } content)
                {
                    snapshot.ControlFiles[DpkgText.Shown(file.Name)] = content.ToArray();
                }
            }
            if (snapshot.ControlFiles.TryGetValue("conffiles", out byte[]? conffiles))
            {
                foreach (string line in Encoding.UTF8.GetString(conffiles).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    snapshot.Conffiles.Add(line);
                }
            }
            foreach (TarEntry entry in reader.ReadDataEntries())
            {
                string name = "/" + string.Join('/', PackagePath.ArchiveSegments(entry.RawName.Span).Select(s => Encoding.UTF8.GetString(s)));
                string? sha256 = null;
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.ContiguousFile)
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    Stream data = entry.OpenData();
                    byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
                    try
                    {
                        int n;
                        while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
                        {
                            hash.AppendData(buffer, 0, n);
                        }
                    }
                    finally
                    {
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    }
                    sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
                }
                string? link = entry.EntryType switch
                {
                    TarEntryType.SymbolicLink => entry.LinkName,
                    TarEntryType.HardLink => Encoding.UTF8.GetString(entry.HardLinkTarget),
                    _ => null,
                };
                string owner = (entry.UserName.Length > 0 ? entry.UserName : entry.Uid.ToString(CultureInfo.InvariantCulture))
                    + "/" + (entry.GroupName.Length > 0 ? entry.GroupName : entry.Gid.ToString(CultureInfo.InvariantCulture));
                long size = entry.EntryType is TarEntryType.RegularFile or TarEntryType.ContiguousFile ? entry.Size : 0;
                snapshot.Files[name] = new FileFacts(InspectionJson.TypeName(entry), InspectionJson.Octal(entry.Mode), owner, size, sha256, link);
            }
            foreach (PackageMember member in reader.Members)
            {
                snapshot.Members[Role(member)] = member;
            }
            return snapshot;
        }

        /// <summary>Members are paired by what they are: debian-binary, control.tar*, data.tar*, and others by name.</summary>
        private static string Role(PackageMember member) =>
            member.Name.StartsWith("control.tar", StringComparison.Ordinal) ? "control.tar"
            : member.Name.StartsWith("data.tar", StringComparison.Ordinal) ? "data.tar"
            : member.Name;
    }
}
