using System.Globalization;

namespace ConsulPkg.Debian.Reading;

public sealed partial class DpkgControl
{
    /// <summary>
    /// dpkg's known fields (lib/dpkg/parse.c <c>fieldinfos</c>, the table's
    /// <see cref="ControlType.DpkgDatabase"/> order), which is also the order dpkg writes them in;
    /// each may appear once. Revision is not among them: dpkg reads it into the Version's revision
    /// and never writes it, as it does its obsolete spellings (<see cref="ObsoleteTarget"/>).
    /// </summary>
    internal static readonly string[] KnownFields =
        [.. ControlField.Order(ControlType.DpkgDatabase).Where(f => f != ControlField.Revision).Select(f => f.Name)];

    /// <summary>The relation fields in dpkg's table order; each value is a list of dependencies.</summary>
    internal static readonly string[] RelationFields =
        [.. ControlField.Order(ControlType.DpkgDatabase).Where(f => f.Kind == ControlFieldKind.Relation).Select(f => f.Name)];

    /// <summary>
    /// The field an obsolete name is read as (f_obs_dependency, f_obs_class, f_obs_revision), with
    /// the name as dpkg spells it in its warning; Revision itself is read so too. Null for any other name.
    /// </summary>
    private static (ControlField Field, string Spelling)? ObsoleteTarget(string name)
    {
        if (name.Equals(ControlField.Revision.Name, StringComparison.OrdinalIgnoreCase))
        {
            return (ControlField.Revision, ControlField.Revision.Name);
        }
        return ControlField.FindObsolete(name) is { } field
            ? (field, field.ObsoleteNames.First(n => n.Equals(name, StringComparison.OrdinalIgnoreCase)))
            : null;
    }

    private static readonly string[] Priorities = ["required", "important", "standard", "optional", "extra", "unknown"];
    private static readonly string[] MultiArchValues = ["no", "same", "allowed", "foreign"];
    private static readonly string[] Booleans = ["no", "yes"];
    private static readonly string[] ArchiveFields = ["Filename", "Size", "MD5sum", "MSDOS-Filename"];
    private static readonly string[] RejectedInControl = ["Status", "Config-Version", "Triggers-Pending", "Triggers-Awaited"];
    private static readonly string[] CharFieldNames = ["Installed-Size", "Origin", "Maintainer", "Bugs", "Source", "Description"];

    /// <summary>A port of parse_stanza and the field parsers, over text held one character per byte.</summary>
    private sealed class Parser(DpkgControl control, string data, string fileName)
    {
        private const char MsdosEof = '\x1a';
        private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);
        private int _pos;
        private int _line;
        private bool _haveName;
        private int _archiveEntries = -1;

        private bool AtEof => _pos >= data.Length;

        public void ParseFile()
        {
            int stanzas = 0;
            while (ParseStanza())
            {
                if (stanzas++ > 0)
                {
                    throw Error("several package info entries found, only one allowed");
                }
                Verify();
                if (AtEof)
                {
                    break;
                }
            }
            if (stanzas == 0)
            {
                throw new InvalidPackageException($"no package information in '{fileName}'");
            }
        }

        /// <summary>parse_getc: the character at the read position, which then advances (past the end: NUL).</summary>
        private char GetC() => _pos < data.Length ? data[_pos++] : Past();

        private char Past()
        {
            _pos++;
            return '\0';
        }

        /// <summary>parse_stanza, statement for statement: where dpkg stops and what it calls an error.</summary>
        private bool ParseStanza()
        {
            char c = '\0';
            while (!AtEof)
            {
                c = GetC();
                if (c != '\n' && c != MsdosEof)
                {
                    break;
                }
                _line++;
            }
            if (AtEof)
            {
                return false;
            }

            while (true)
            {
                int nameStart = _pos - 1;
                while (!AtEof && !DpkgText.IsSpace(c) && c != ':' && c != MsdosEof)
                {
                    c = GetC();
                }
                string name = data.Substring(nameStart, _pos - nameStart - 1);
                if (name.Length == 0)
                {
                    throw Error("empty field name");
                }
                if (name[0] == '-')
                {
                    throw Error($"field name '{name}' cannot start with hyphen");
                }
                while (!AtEof && c != '\n' && DpkgText.IsSpace(c))
                {
                    c = GetC();
                }
                if (AtEof)
                {
                    throw Error($"end of file after field name '{name}'");
                }
                if (c == '\n')
                {
                    throw Error($"newline in field name '{name}'");
                }
                if (c == MsdosEof)
                {
                    throw Error($"MSDOS end of file (^Z) in field name '{name}'");
                }
                if (c != ':')
                {
                    throw Error($"field name '{name}' must be followed by colon");
                }
                while (!AtEof)
                {
                    c = GetC();
                    if (c == '\n' || !DpkgText.IsSpace(c))
                    {
                        break;
                    }
                }
                if (AtEof)
                {
                    throw Error($"end of file before value of field '{name}' (missing final newline)");
                }
                if (c == MsdosEof)
                {
                    throw Error($"MSDOS end of file (^Z) in value of field '{name}' (missing newline?)");
                }

                bool blankLine = false;
                int valueStart = _pos - 1;
                while (true)
                {
                    if (c is '\n' or MsdosEof)
                    {
                        if (blankLine)
                        {
                            throw Error($"blank line in value of field '{name}'");
                        }
                        _line++;
                        if (AtEof)
                        {
                            break;
                        }
                        c = GetC();
                        if (AtEof || c == '\n' || !DpkgText.IsSpace(c))
                        {
                            break;
                        }
                        _pos--;
                        blankLine = true;
                    }
                    else if (blankLine && !DpkgText.IsSpace(c))
                    {
                        blankLine = false;
                    }
                    if (AtEof)
                    {
                        throw Error($"end of file during value of field '{name}' (missing final newline)");
                    }
                    c = GetC();
                }
                int valueLength = _pos - valueStart - 1;
                while (valueLength > 0 && DpkgText.IsSpace(data[valueStart + valueLength - 1]))
                {
                    valueLength--;
                }
                ParseField(name, data.Substring(valueStart, valueLength));
                if (AtEof || c is '\n' or MsdosEof)
                {
                    break;
                }
            }
            if (c == '\n')
            {
                _line++;
            }
            return true;
        }

        private void ParseField(string name, string rawValue)
        {
            control._rawFields.Add(new(name, rawValue));
            string value = DpkgText.CString(rawValue);
            string? known = Array.Find(KnownFields, k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
            string? obsolete = known is null ? ObsoleteTarget(name)?.Spelling : null;
            if (known is null && obsolete is null)
            {
                if (name.Length < 2)
                {
                    throw Error($"user-defined field name '{name}' too short");
                }
                string shownName = DpkgText.CString(name);
                if (control._userFields.Exists(f => f.Key.Length == name.Length && f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw Error($"duplicate value for user-defined field '{name}'");
                }
                control._userFields.Add(new(shownName, value));
                return;
            }
            string field = known ?? obsolete!;
            if (!_seen.Add(field))
            {
                throw Error($"duplicate value for '{field}' field");
            }
            if (obsolete is not null)
            {
                ParseObsolete(obsolete, value);
                return;
            }
            switch (field)
            {
                case "Package":
                    if (PackageNameProblem(value) is { } problem)
                    {
                        throw Error($"invalid package name in '{field}' field: {problem}");
                    }
                    control.Name = value.ToLowerInvariant();
                    _haveName = true;
                    break;
                case "Essential" or "Protected":
                    if (value.Length > 0)
                    {
                        bool yes = ParseWord(value, Booleans, fallback: false, out _, $"boolean (yes/no) '{field}' field") == 1;
                        if (field == "Essential")
                        {
                            control.Essential = yes;
                        }
                        else
                        {
                            control.Protected = yes;
                        }
                    }
                    break;
                case "Priority":
                    ParsePriority(field, value);
                    break;
                case "Section":
                    if (value.Length > 0)
                    {
                        control.Section = value;
                    }
                    break;
                case "Architecture":
                    control.Architecture = value;
                    string? archProblem = value.Length == 0 ? null : ArchitectureProblem(value);
                    control.ArchitectureIsValid = archProblem is null;
                    if (archProblem is not null)
                    {
                        Warn($"'{value}' is not a valid architecture name in '{field}' field: {archProblem}");
                    }
                    break;
                case "Multi-Arch":
                    if (value.Length > 0)
                    {
                        control.MultiArch = ParseWord(value, MultiArchValues, fallback: false, out _, $"quadstate (foreign/allowed/same/no) '{field}' field");
                    }
                    break;
                case "Version":
                    if (DpkgVersion.TryParse(value, out DpkgVersion version) is { } versionProblem)
                    {
                        throw Error($"'{field}' field value '{Truncate(value, 250)}': {versionProblem}");
                    }
                    control.Version = version;
                    break;
                case "Conffiles":
                    CheckConffiles(value);
                    break;
                case "Filename" or "Size" or "MD5sum" or "MSDOS-Filename":
                    CheckArchiveDetails(field, value);
                    break;
                default:
                    if (Array.IndexOf(RejectedInControl, field) >= 0)
                    {
                        throw Error($"value for '{field}' field not allowed in this context");
                    }
                    if (Array.IndexOf(RelationFields, field) >= 0)
                    {
                        ParseDependencies(field, value);
                    }
                    else if (Array.IndexOf(CharFieldNames, field) >= 0 && value.Length > 0)
                    {
                        control.CharFields[field] = value;
                    }
                    break;
            }
        }

        /// <summary>f_obs_dependency, f_obs_class and f_obs_revision: warn, then read as the renamed field.</summary>
        private void ParseObsolete(string name, string value)
        {
            Warn($"obsolete '{name}' field used");
            ControlField target = ObsoleteTarget(name)!.Value.Field;
            if (target == ControlField.Priority)
            {
                ParsePriority(name, value);
            }
            else if (target == ControlField.Revision)
            {
                if (value.Length == 0)
                {
                    return;
                }
                DpkgVersion v = control.Version;
                string? upstream = string.IsNullOrEmpty(v.Revision) ? v.Upstream : $"{v.Upstream}-{v.Revision}";
                control.Version = v with { Upstream = upstream, Revision = value };
            }
            else
            {
                ParseDependencies(name, value, target.Name);
            }
        }

        private void ParsePriority(string field, string value)
        {
            if (value.Length == 0)
            {
                return;
            }
            int priority = ParseWord(value, Priorities, fallback: true, out bool matched, $"word in '{field}' field");
            if (!matched)
            {
                control.Priority = value;
                control.PriorityIsUserDefined = true;
            }
            else
            {
                control.Priority = Priorities[priority];
                control.PriorityIsUserDefined = false;
            }
        }

        /// <summary>
        /// parse_nv: the first of <paramref name="names"/> that the value starts with (any case),
        /// which must be all the value holds but trailing white space.
        /// </summary>
        private int ParseWord(string value, string[] names, bool fallback, out bool matched, string what)
        {
            int index = Array.FindIndex(names, n => value.StartsWith(n, StringComparison.OrdinalIgnoreCase));
            matched = index >= 0;
            if (index < 0)
            {
                if (fallback)
                {
                    return -1;
                }
                throw Error($"{what}: has invalid value '{Truncate(value, 50)}'");
            }
            int end = names[index].Length;
            while (end < value.Length && DpkgText.IsSpace(value[end]))
            {
                end++;
            }
            if (end < value.Length)
            {
                throw Error($"{what}: has trailing junk");
            }
            return index;
        }

        /// <summary>f_dependency: comma-separated groups of '|'-separated "name[:arch] [(op version)]".</summary>
        private void ParseDependencies(string field, string value, string? storedAs = null)
        {
            if (value.Length == 0)
            {
                return;
            }
            string type = storedAs ?? field;
            bool noAlternatives = type is "Conflicts" or "Breaks" or "Provides" or "Replaces";
            int p = 0;
            while (true)
            {
                var alternatives = new List<DpkgRelation>();
                while (true)
                {
                    int nameStart = p;
                    while (p < value.Length && !DpkgText.IsSpace(value[p]) && value[p] is not (':' or '(' or ',' or '|'))
                    {
                        p++;
                    }
                    if (p == nameStart)
                    {
                        throw Error($"'{field}' field, missing package name, or garbage where package name expected");
                    }
                    string package = value[nameStart..p];
                    if (PackageNameProblem(package) is { } nameProblem)
                    {
                        throw Error($"'{field}' field, invalid package name '{Truncate(package, 255)}': {nameProblem}");
                    }
                    string? arch = null;
                    if (p < value.Length && value[p] == ':')
                    {
                        int archStart = ++p;
                        while (p < value.Length && !DpkgText.IsSpace(value[p]) && value[p] is not ('(' or ',' or '|'))
                        {
                            p++;
                        }
                        if (p == archStart)
                        {
                            throw Error($"'{field}' field, missing architecture name, or garbage where architecture name expected");
                        }
                        arch = value[archStart..p];
                        if (ArchitectureProblem(arch) is { } archProblem)
                        {
                            throw Error($"'{field}' field, reference to '{Truncate(package, 255)}': invalid architecture name '{Truncate(arch, 255)}': {archProblem}");
                        }
                    }
                    SkipSpaces(value, ref p);
                    string? relation = null;
                    DpkgVersion version = default;
                    if (p < value.Length && value[p] == '(')
                    {
                        (relation, version) = ParseVersionRelation(field, type, package, value, ref p);
                    }
                    alternatives.Add(new DpkgRelation(package.ToLowerInvariant(), arch, relation, version));
                    if (p >= value.Length || value[p] == ',')
                    {
                        break;
                    }
                    if (value[p] != '|')
                    {
                        throw Error($"'{field}' field, syntax error after reference to package '{Truncate(package.ToLowerInvariant(), 255)}'");
                    }
                    if (noAlternatives)
                    {
                        throw Error($"alternatives ('|') not allowed in '{field}' field");
                    }
                    p++;
                    SkipSpaces(value, ref p);
                }
                control._dependencies.Add(new DpkgDependency(type, alternatives));
                if (p >= value.Length)
                {
                    break;
                }
                p++;
                SkipSpaces(value, ref p);
            }
        }

        private (string Relation, DpkgVersion Version) ParseVersionRelation(string field, string type, string package, string value, ref int p)
        {
            p++;
            SkipSpaces(value, ref p);
            char c1 = At(value, p);
            string relation;
            if (c1 is '<' or '>')
            {
                char c2 = At(value, ++p);
                if (c2 == '=')
                {
                    relation = c1 + "=";
                    p++;
                }
                else if (c2 == c1)
                {
                    relation = new string(c1, 2);
                    p++;
                }
                else if (c2 is '<' or '>')
                {
                    throw Error($"'{field}' field, reference to '{Truncate(package, 255)}': bad version relationship {c1}{c2}");
                }
                else
                {
                    Warn($"'{field}' field, reference to '{Truncate(package, 255)}':\n '{c1}' is obsolete, use '{c1}=' or '{c1}{c1}' instead");
                    relation = c1 + "=";
                }
            }
            else if (c1 == '=')
            {
                relation = "=";
                p++;
            }
            else
            {
                Warn($"'{field}' field, reference to '{Truncate(package, 255)}':\n implicit exact match on version number, suggest using '=' instead");
                relation = "=";
            }
            if (relation != "=" && type == "Provides")
            {
                Warn($"only exact versions may be used for '{field}' field");
            }
            char next = At(value, p);
            if (!DpkgText.IsSpace(next) && !char.IsAsciiLetterOrDigit(next))
            {
                Warn($"'{field}' field, reference to '{Truncate(package, 255)}':\n version value starts with non-alphanumeric, suggest adding a space");
            }
            SkipSpaces(value, ref p);
            int versionStart = p;
            while (p < value.Length && value[p] is not (')' or '(') && !DpkgText.IsSpace(value[p]))
            {
                p++;
            }
            string versionText = value[versionStart..p];
            SkipSpaces(value, ref p);
            if (p >= value.Length)
            {
                throw Error($"'{field}' field, reference to '{Truncate(package, 255)}': version unterminated");
            }
            if (value[p] != ')')
            {
                throw Error($"'{field}' field, reference to '{Truncate(package, 255)}': version contains '{value[p]}' instead of ')'");
            }
            if (DpkgVersion.TryParse(versionText, out DpkgVersion version) is { } problem)
            {
                throw Error($"'{field}' field, reference to '{Truncate(package, 255)}': version '{versionText}': {problem}");
            }
            p++;
            SkipSpaces(value, ref p);
            return (relation, version);
        }

        /// <summary>f_conffiles: " /path hash [obsolete] [remove-on-upgrade]" lines; only its errors matter in a .deb.</summary>
        private void CheckConffiles(string value)
        {
            int p = 0;
            while (p < value.Length)
            {
                char c = value[p++];
                if (c == '\n')
                {
                    continue;
                }
                if (c != ' ')
                {
                    throw Error($"value for 'Conffiles' field has line starting with non-space '{c}'");
                }
                int lineStart = p;
                int end = value.IndexOf('\n', p);
                end = end < 0 ? value.Length : end;
                (int wordStart, int wordEnd) = LastWord(value, lineStart, end, end);
                if (value.AsSpan(wordStart, wordEnd - wordStart).SequenceEqual("remove-on-upgrade"))
                {
                    (wordStart, wordEnd) = LastWord(value, lineStart, wordStart - 1, end);
                }
                if (value.AsSpan(wordStart, wordEnd - wordStart).SequenceEqual("obsolete"))
                {
                    (wordStart, wordEnd) = LastWord(value, lineStart, wordStart - 1, end);
                }
                int nameStart = lineStart;
                while (true)
                {
                    // path_skip_slash_dotslash: any run of "/" and "./".
                    if (nameStart < value.Length && value[nameStart] == '/')
                    {
                        nameStart++;
                    }
                    else if (nameStart + 1 < value.Length && value[nameStart] == '.' && value[nameStart + 1] == '/')
                    {
                        nameStart += 2;
                    }
                    else
                    {
                        break;
                    }
                }
                if (wordStart - 1 - nameStart <= 0)
                {
                    throw Error("root or empty directory listed as a conffile in 'Conffiles' field");
                }
                p = end;
            }

            // conffvalue_lastword: the word before "from", which must leave a name of two or more characters before it.
            (int Start, int End) LastWord(string text, int lineStart, int from, int end)
            {
                if (from <= lineStart + 1)
                {
                    throw Malformed(text, lineStart, end);
                }
                int space = from - 1;
                while (space >= lineStart && text[space] != ' ')
                {
                    space--;
                }
                if (space <= lineStart + 1 || space >= end - 1)
                {
                    throw Malformed(text, lineStart, end);
                }
                return (space + 1, from);
            }

            InvalidPackageException Malformed(string text, int lineStart, int end) =>
                Error($"value for 'Conffiles' field has malformed line '{Truncate(text[lineStart..end], 250)}'");
        }

        /// <summary>f_archives: whitespace-separated values, as many in each archive field as in the first.</summary>
        private void CheckArchiveDetails(string field, string value)
        {
            if (value.Length == 0)
            {
                throw Error($"empty archive details '{field}' field");
            }
            int count = value.Split([' ', '\t', '\n', '\v', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries).Length;
            if (_archiveEntries < 0)
            {
                _archiveEntries = count;
            }
            else if (count > _archiveEntries)
            {
                throw Error($"too many values in archive details '{field}' field (compared to others)");
            }
            else if (count < _archiveEntries)
            {
                throw Error($"too few values in archive details '{field}' field (compared to others)");
            }
        }

        /// <summary>pkg_parse_verify for a binary control file.</summary>
        private void Verify()
        {
            if (!_haveName)
            {
                throw Error("missing 'Package' field");
            }
            EnsureField("Description");
            EnsureField("Maintainer");
            if (control.Version.Upstream is null)
            {
                throw Error("missing 'Version' field");
            }
            if (control.Version.Upstream.Length == 0)
            {
                throw Error("empty value for 'Version' field");
            }
            if (control.Architecture is null)
            {
                Warn("missing 'Architecture' field");
            }
            else if (control.Architecture.Length == 0)
            {
                Warn("empty value for 'Architecture' field");
            }
            if (control.MultiArch == 1 && control.Architecture is null or "")
            {
                throw Error("package has 'Multi-Arch: same' field but is missing architecture");
            }
            if (control.MultiArch == 1 && control.Architecture == "all")
            {
                throw Error("package has 'Multi-Arch: same' field but is architecture 'all'");
            }
        }

        private void EnsureField(string name)
        {
            if (!_seen.Contains(name))
            {
                Warn($"missing '{name}' field");
            }
            else if (!control.CharFields.ContainsKey(name))
            {
                // Seen but empty: dpkg's f_charfield stores nothing, and it counts as missing.
                Warn($"missing '{name}' field");
            }
        }

        private void Warn(string message) =>
            control._warnings.Add(new DpkgWarning(_line, _haveName ? DpkgText.Shown(control.NameNonAmbiguous) : null, DpkgText.Shown(message)));

        private InvalidPackageException Error(string message) =>
            new($"{fileName}: control file near line {_line}{(_haveName ? $" (package '{DpkgText.Shown(control.NameNonAmbiguous)}')" : "")}: {DpkgText.Shown(message.Replace("\n ", " ", StringComparison.Ordinal))}");

        private static char At(string value, int index) => index < value.Length ? value[index] : '\0';

        private static void SkipSpaces(string value, ref int p)
        {
            while (p < value.Length && DpkgText.IsSpace(value[p]))
            {
                p++;
            }
        }

        private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
    }

    /// <summary>pkg_name_is_illegal: null when dpkg accepts the name as a package name.</summary>
    internal static string? PackageNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "may not be empty string";
        }
        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return "must start with an alphanumeric character";
        }
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '+' or '.' or '_'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"character '{c}' not allowed (only letters, digits and characters '-+._')");
            }
        }
        return null;
    }

    /// <summary>dpkg_arch_name_is_illegal: null when the name is a valid architecture name.</summary>
    internal static string? ArchitectureProblem(string name)
    {
        if (name.Length == 0)
        {
            return "may not be empty string";
        }
        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return "must start with an alphanumeric";
        }
        foreach (char c in name.AsSpan(1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return $"character '{c}' not allowed (only letters, digits and characters '-')";
            }
        }
        return null;
    }
}
