using System.CommandLine;
using ConsulPkg.Consul;
using ConsulPkg.Consul.Keyring;
using ConsulPkg.Debian;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg keyring rotate</c>: rotates the gossip key of a running cluster through the
/// agents' keyring HTTP API. Neither key nor token is ever taken from or put on a command line.
/// </summary>
internal static class KeyringCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("keyring", "Manage the gossip keys of a running Consul cluster.");
        command.Subcommands.Add(CreateRotate(context));
        return command;
    }

    private static Command CreateRotate(CliContext context)
    {
        Option<Uri?> address = new("--http-addr")
        {
            Description = $"The agent's HTTP API: http(s)://HOST:PORT or HOST:PORT (else ${ConsulAddress.AddressVariable}, else {ConsulAddress.Default.AbsoluteUri.TrimEnd('/')})",
            HelpName = "URL",
            CustomParser = result =>
            {
                string text = result.Tokens[^1].Value;
                Uri? uri = ConsulAddress.TryParse(text, out string? why);
                if (uri is null)
                {
                    result.AddError($"invalid --http-addr '{MessageText.OneLine(text)}': {why}");
                }

                return uri;
            },
        };
        Option<string?> tokenFile = new("--token-file") { Description = $"File holding an ACL token with keyring:write (else ${ConsulAddress.TokenVariable})", HelpName = "FILE" };
        Option<string?> newKeyFile = new("--new-key-file") { Description = "File holding the new key; without it a new key is generated and written to a new 0600 file", HelpName = "FILE" };
        Option<bool> dryRun = new("--dry-run") { Description = "Print the plan from the cluster's keyring and change nothing" };
        Option<int> timeout = new("--timeout")
        {
            Description = $"Most seconds each step waits for every member (default {KeyringRotationOptions.DefaultTimeout.TotalSeconds})",
            DefaultValueFactory = _ => (int)KeyringRotationOptions.DefaultTimeout.TotalSeconds,
            HelpName = "SECONDS",
        };
        timeout.Validators.Add(result =>
        {
            if (result.GetValue(timeout) < 1)
            {
                result.AddError($"invalid --timeout {result.GetValue(timeout)}: give a number of seconds, 1 or more");
            }
        });

        var command = new Command("rotate", "Rotate the gossip key of a running cluster: install a new key, make it primary, remove the others.");
        foreach (Option option in new Option[] { address, tokenFile, newKeyFile, dryRun, timeout })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string? keyPath = parseResult.GetValue(newKeyFile) is { } k ? context.ResolvePath(k) : null;
            var options = new KeyringRotationOptions
            {
                Address = parseResult.GetValue(address) ?? FromEnvironment(context),
                Token = parseResult.GetValue(tokenFile) is { } t ? ConsulAddress.TokenFromFile(context.ResolvePath(t)) : context.Variable(ConsulAddress.TokenVariable)?.Trim(),
                NewKey = keyPath is null ? null : GossipKey.FromFile(keyPath),
                NewKeyFile = keyPath,
                KeyDirectory = context.WorkingDirectory,
                DryRun = parseResult.GetValue(dryRun),
                Timeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
            };
            await KeyringRotation.RunAsync(options, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Uri FromEnvironment(CliContext context)
    {
        if (context.Variable(ConsulAddress.AddressVariable) is not { } text)
        {
            return ConsulAddress.Default;
        }

        return ConsulAddress.TryParse(text, out string? why)
            ?? throw new PackageException($"invalid {ConsulAddress.AddressVariable} '{MessageText.OneLine(text)}': {why}");
    }
}
