using System.CommandLine;
using ConsulPkg.Consul;
using ConsulPkg.Consul.Keyring;
using ConsulPkg.Debian;
using ConsulPkg.Debian.OpenPgp;
using ConsulPkg.Repository;

namespace ConsulPkg.Cli;

/// <summary>
/// The one place that knows which option changes which library setting. Libraries say what is
/// wrong with which value and, through <see cref="PackageException.Setting"/>, which setting would
/// fix it; the message the user reads adds the option for it in this command.
/// </summary>
internal static class OptionHints
{
    /// <summary>Options for a setting in every command that has it.</summary>
    private static readonly Dictionary<string, string> Common = new(StringComparer.Ordinal)
    {
        [PackageSettings.Overwrite] = "--force",
        [PackageSettings.Output] = "--output",
        [PackageSettings.AutoDepends] = "--deb-auto-depends",
        [ConsulSettings.ReleaseUrl] = "--release-url",
        [ConsulSettings.DownloadDeadline] = "--download-timeout",
        [ConsulSettings.SkipSignature] = "--skip-signature",
        [OpenPgpSettings.TrustedKeys] = "--trusted-key FILE",
        [ConsulSettings.Templates] = "--templates DIR",
        [ConsulSettings.ConsulVersion] = "--consul-version",
        [ConsulSettings.Architecture] = "--arch",
        [ConsulSettings.BindAddr] = "--bind-addr",
        [ConsulSettings.ClientAddr] = "--client-addr",
        [ConsulSettings.Datacenter] = "--datacenter",
        [ConsulSettings.Join] = "--join",
        [OpenPgpSettings.Passphrase] = "--passphrase-file",
        [RepositorySettings.Repository] = "--repo",
        [RepositorySettings.Suite] = "--suite",
        [RepositorySettings.Component] = "--component",
        [RepositorySettings.Codename] = "--codename",
        [RepositorySettings.Origin] = "--origin",
        [RepositorySettings.Label] = "--label",
        [RepositorySettings.ValidFor] = "--valid-for",
        [RepositorySettings.From] = "--from",
        [RepositorySettings.To] = "--to",
        [RepositorySettings.KeepVersions] = "--keep-versions",
        [RepositorySettings.AllowSecrets] = "--allow-secrets",
        [KeyringSettings.HttpAddress] = "--http-addr",
        [KeyringSettings.Token] = "--token-file",
        [KeyringSettings.NewKey] = "--new-key-file",
        [KeyringSettings.Timeout] = "--timeout",
    };

    /// <summary>Where a command spells a setting's option differently.</summary>
    private static readonly Dictionary<(string Command, string Setting), string> PerCommand = new()
    {
        [("fpm", PackageSettings.Overwrite)] = "-f/--force",
        [("fpm", PackageSettings.Output)] = "-p/--package",
    };

    /// <summary>The exception's message, ending with the option that changes the setting it names, if <paramref name="command"/> has one.</summary>
    public static string Describe(Exception exception, Command command)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(command);
        string message = MessageText.Flatten(exception.Message);
        if (exception is not PackageException { Setting: { } setting })
        {
            return message;
        }

        string? option = PerCommand.TryGetValue((command.Name, setting), out string? own) ? own
            : Common.TryGetValue(setting, out string? common) && command.Options.Any(o => common.StartsWith(o.Name, StringComparison.Ordinal)) ? common
            : null;
        return option is null ? message : $"{message} ({option})";
    }
}
