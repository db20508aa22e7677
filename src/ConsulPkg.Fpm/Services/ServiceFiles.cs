using System.Text.RegularExpressions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using ConsulPkg.Fpm.Scripts;

namespace ConsulPkg.Fpm.Services;

/// <summary>
/// A file a service flag names: its host path as given and the name it is installed under
/// (<c>--deb-systemd app</c> is app.service, <c>--deb-init app.init</c> /etc/init.d/app...),
/// made by the factories, which refuse a name fpm's rules cannot turn into one.
/// </summary>
public sealed record FpmServiceSource(string HostPath, string Name)
{
    public static FpmServiceSource Systemd(string given) => new(given, ServiceFiles.UnitName(given));

    public static FpmServiceSource Init(string given) => new(given, ServiceFiles.ServiceName("--deb-init", given, ".init"));

    public static FpmServiceSource Default(string given) => new(given, ServiceFiles.ServiceName("--deb-default", given, ".default"));

    public static FpmServiceSource Upstart(string given)
    {
        string name = ServiceFiles.ServiceName("--deb-upstart", given, ".upstart");
        return new(given, name.EndsWith(".conf", StringComparison.Ordinal) ? name : name + ".conf");
    }
}

/// <summary>One file a service flag adds to the data, with the flag that added it (for conflict messages).</summary>
public sealed record ServiceFile(PackageEntry Entry, string Flag, bool IsAutoConfigFile);

/// <summary>
/// fpm's service flags as files and script actions (lib/fpm/package/deb.rb): <c>--deb-systemd F</c>
/// installs F under <c>--deb-systemd-path</c> (default lib/systemd/system) as NAME.service when it
/// has no unit extension; <c>--deb-init F</c> installs <c>/etc/init.d/NAME</c> 0755 (NAME: F's
/// name without ".init"), <c>--deb-default F</c> <c>/etc/default/NAME</c> (without ".default")
/// and <c>--deb-upstart F</c> <c>/etc/init/NAME.conf</c> (without ".upstart"), the last three
/// conffiles unless <c>--no-deb-auto-config-files</c>. fpm's upstart shim, an
/// <c>/etc/init.d/NAME</c> link to <c>/lib/init/upstart-job</c>, is not made: Debian has had no
/// upstart since 9, so the link would dangle.
/// </summary>
public static partial class ServiceFiles
{
    private const int Executable = 0b111_101_101;
    private const int Readable = 0b110_100_100;

    /// <summary>fpm's list of unit extensions a <c>--deb-systemd</c> file may have.</summary>
    private static readonly string[] UnitExtensions =
        [".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope"];

    public sealed record Result(IReadOnlyList<ServiceFile> Files, IReadOnlyList<string> ConfFiles, ServiceActions Actions);

    public static Result Map(FpmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string owner = options.User ?? "root";
        string group = options.Group ?? "root";
        var files = new List<ServiceFile>();
        var confFiles = new List<string>();
        var units = new List<string>();
        var inits = new List<string>();

        string unitDirectory = PackagePath.Normalize("/" + (options.SystemdPath ?? "lib/systemd/system").TrimStart('/'));
        foreach (FpmServiceSource unit in options.SystemdUnits)
        {
            units.Add(unit.Name);
            files.Add(Read("--deb-systemd", unit.HostPath, PackagePath.Combine(unitDirectory, unit.Name), Readable));
        }

        foreach (FpmServiceSource init in options.InitScripts)
        {
            inits.Add(init.Name);
            files.Add(Read("--deb-init", init.HostPath, "/etc/init.d/" + init.Name, Executable));
        }

        foreach (FpmServiceSource defaults in options.DefaultFiles)
        {
            files.Add(Read("--deb-default", defaults.HostPath, "/etc/default/" + defaults.Name, Readable));
        }

        foreach (FpmServiceSource job in options.UpstartJobs)
        {
            files.Add(Read("--deb-upstart", job.HostPath, "/etc/init/" + job.Name, Readable));
        }

        if (options.AutoConfigFiles)
        {
            confFiles.AddRange(files.Where(f => f.IsAutoConfigFile).Select(f => f.Entry.Path));
        }

        var actions = new ServiceActions
        {
            SystemdUnits = units.Distinct(StringComparer.Ordinal).ToList(),
            InitScripts = inits.Distinct(StringComparer.Ordinal).ToList(),
            Enable = options.SystemdEnable,
            AutoStart = options.SystemdAutoStart,
            RestartAfterUpgrade = options.SystemdRestartAfterUpgrade,
            SystemUsers = options.SystemUsers,
        };
        return new Result(files, confFiles, actions);

        ServiceFile Read(string flag, string given, string target, int mode)
        {
            string path = Path.GetFullPath(given, options.WorkingDirectory);
            byte[] content;
            try
            {
                content = File.ReadAllBytes(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new PackageException($"cannot read the {flag} file '{path}': {IoErrorText.Reason(exception)}", exception);
            }

            var entry = PackageEntry.FromBytes(target, content, mode) with { Owner = owner, Group = group };
            return new ServiceFile(entry, $"{flag} {given}", flag != "--deb-systemd");
        }
    }

    /// <summary>fpm's rule: the file's name, with ".service" added when it has no extension.</summary>
    internal static string UnitName(string given)
    {
        string name = Path.GetFileName(given);
        string extension = Path.GetExtension(name);
        if (extension.Length == 0)
        {
            name += ".service";
        }
        else if (!UnitExtensions.Contains(extension, StringComparer.Ordinal))
        {
            throw new PackageException(
                $"invalid --deb-systemd unit '{given}': its extension '{extension}' is not a unit type; name it {Path.GetFileNameWithoutExtension(name)}.service (or .socket, .timer, .path, .mount, .target...)");
        }

        if (!UnitNamePattern().IsMatch(name))
        {
            throw new PackageException(
                $"invalid --deb-systemd unit name '{name}' (from '{given}'): use letters, digits and ':_.@-'");
        }

        return name;
    }

    /// <summary>fpm's rule: the file's name without <paramref name="suffix"/>.</summary>
    internal static string ServiceName(string flag, string given, string suffix)
    {
        string file = Path.GetFileName(given);
        string name = file.EndsWith(suffix, StringComparison.Ordinal) && file.Length > suffix.Length ? file[..^suffix.Length] : file;
        if (!ServiceNamePattern().IsMatch(name))
        {
            throw new PackageException(
                $"invalid {flag} name '{name}' (from '{given}'): the file name must be a service name of letters, digits and '._+-'");
        }

        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9:_.@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitNamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceNamePattern();
}
