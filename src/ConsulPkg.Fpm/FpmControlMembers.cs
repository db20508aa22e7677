using System.Text;
using ConsulPkg.Debian;

namespace ConsulPkg.Fpm;

/// <summary>
/// The control members fpm's flags add beside control, md5sums, conffiles and the scripts
/// (lib/fpm/package/deb.rb write_shlibs, write_debconf, write_meta_files, write_triggers):
/// <c>config</c> (0755) and <c>templates</c> for debconf, <c>shlibs</c>, each <c>--deb-meta-file</c>
/// under its own name, and <c>triggers</c>. Where fpm lets a later one silently replace an
/// earlier one, this refuses the clash instead, except that a <c>triggers</c> meta file and the
/// trigger flags are joined, as fpm does.
/// </summary>
internal static class FpmControlMembers
{
    /// <summary>Members the writer makes itself, each with the flag that sets it instead.</summary>
    private static readonly Dictionary<string, string> Generated = new(StringComparer.Ordinal)
    {
        ["control"] = "--deb-custom-control",
        ["md5sums"] = "nothing: it is computed from the data",
        ["conffiles"] = "--config-files",
        ["preinst"] = "--before-install",
        ["postinst"] = "--after-install",
        ["prerm"] = "--before-remove",
        ["postrm"] = "--after-remove",
    };

    /// <summary>
    /// The trigger dpkg's libc-bin is interested in: activating it runs ldconfig once, after the
    /// whole dpkg run (dh_makeshlibs' way, where fpm adds ldconfig postinst/postrm scripts).
    /// </summary>
    public const string LdconfigTrigger = "ldconfig";

    /// <summary>
    /// The members the flags give, over <paramref name="inherited"/> ones (an <c>-s deb</c>
    /// input's): a flag's member replaces the inherited one of its name, and the trigger flags
    /// add to an inherited <c>triggers</c>, as to a <c>triggers</c> meta file.
    /// </summary>
    public static List<ExtraControlMember> Map(FpmOptions options, IReadOnlyList<ExtraControlMember> inherited)
    {
        var members = new List<ExtraControlMember>();
        if (options.DebconfConfig is { } config)
        {
            members.Add(new ExtraControlMember("config", FpmHostFile.ReadBytes(config, "--deb-config", options.WorkingDirectory), Executable: true));
        }

        if (options.DebconfTemplates is { } templates)
        {
            members.Add(new ExtraControlMember("templates", FpmHostFile.ReadBytes(templates, "--deb-templates", options.WorkingDirectory)));
        }

        if (options.Shlibs is { } shlibs)
        {
            members.Add(new ExtraControlMember("shlibs", Encoding.UTF8.GetBytes(shlibs.EndsWith('\n') ? shlibs : shlibs + "\n")));
        }

        byte[]? triggersFile = inherited.FirstOrDefault(m => m.Name == "triggers")?.Data.ToArray();
        foreach (string given in options.MetaFiles)
        {
            string name = Path.GetFileName(given);
            if (Generated.TryGetValue(name, out string? instead))
            {
                throw new PackageException($"--deb-meta-file '{given}' would replace the {name} the package is built with: use {instead}");
            }

            if (members.Any(m => m.Name == name))
            {
                throw new PackageException($"--deb-meta-file '{given}' and --deb-{name} both give the {name} member: give one");
            }

            byte[] data = FpmHostFile.ReadBytes(given, "--deb-meta-file", options.WorkingDirectory);
            if (name == "triggers")
            {
                triggersFile = data;
                continue;
            }

            // debconf runs config as a program; every other member is data (fpm makes all of them 0644).
            members.Add(new ExtraControlMember(name, data, Executable: name == "config"));
        }

        if (Triggers(options, triggersFile) is { } triggers)
        {
            members.Add(new ExtraControlMember("triggers", triggers));
        }

        return [.. inherited.Where(i => i.Name != "triggers" && members.All(m => m.Name != i.Name)), .. members];
    }

    /// <summary>
    /// The triggers member: a <c>triggers</c> meta file, then one directive a line in fpm's order
    /// (interest, activate, interest-noawait, activate-noawait), plus the ldconfig activation
    /// <c>--deb-shlibs</c> implies.
    /// </summary>
    private static byte[]? Triggers(FpmOptions options, byte[]? file)
    {
        FpmTriggers t = options.Triggers;
        IEnumerable<string> activateNoAwait = options.Shlibs is not null && !t.ActivateNoAwait.Contains(LdconfigTrigger)
            ? [.. t.ActivateNoAwait, LdconfigTrigger]
            : t.ActivateNoAwait;
        var lines = new StringBuilder();
        foreach ((string directive, IEnumerable<string> names) in new (string, IEnumerable<string>)[]
                 {
                     ("interest", t.Interest), ("activate", t.Activate),
                     ("interest-noawait", t.InterestNoAwait), ("activate-noawait", activateNoAwait),
                 })
        {
            foreach (string name in names)
            {
                lines.Append(directive).Append(' ').Append(name).Append('\n');
            }
        }

        if (lines.Length == 0)
        {
            return file;
        }

        byte[] directives = Encoding.UTF8.GetBytes(lines.ToString());
        if (file is null || file.Length == 0)
        {
            return directives;
        }

        // fpm appends to the meta file after a newline; one is enough when the file ends in one.
        byte[] separator = file[^1] == '\n' ? [] : "\n"u8.ToArray();
        return [.. file, .. separator, .. directives];
    }
}
