using System.CommandLine;
using System.Globalization;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.OpenPgp;
using ConsulPkg.Repository;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg repo publish</c>: adds .deb files to a signed apt repository in a directory and
/// prints the deb822 sources stanza a client needs.
/// </summary>
internal static class RepoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("repo", "Maintain a signed apt repository kept as plain files.");
        command.Subcommands.Add(CreatePublish(context));
        return command;
    }

    private static Command CreatePublish(CliContext context)
    {
        Option<string> repo = new("--repo") { Description = "The repository directory (created when missing)", Required = true, HelpName = "DIR" };
        Option<string> suite = new("--suite") { Description = "Suite, e.g. stable", Required = true, HelpName = "SUITE" };
        Option<string> component = new("--component") { Description = "Component (default main)", DefaultValueFactory = _ => "main", HelpName = "NAME" };
        Option<string[]> signingKey = new("--signing-key") { Description = "OpenPGP secret key, armored or binary (gpg --export-secret-keys); repeat it to sign with several keys while rotating", Required = true, HelpName = "KEY.asc" };
        Option<string?> passphraseFile = new("--passphrase-file") { Description = SigningKeyFiles.PassphraseDescription, HelpName = "FILE" };
        Option<string?> origin = new("--origin") { Description = "Release Origin (default: the repository's current one)" };
        Option<string?> label = new("--label") { Description = "Release Label (default: the repository's current one)" };
        Option<string?> codename = new("--codename") { Description = "Release Codename (default: the current one, else the suite)" };
        Option<int> validFor = new("--valid-for") { Description = $"Days until Valid-Until (default {PublishOptions.DefaultValidDays})", DefaultValueFactory = _ => PublishOptions.DefaultValidDays, HelpName = "DAYS" };
        Option<string?> url = new("--url") { Description = "Where clients will reach DIR, for the printed sources stanza", HelpName = "URL" };
        Option<bool> allowSecrets = new("--allow-secrets") { Description = "Publish (0600, with a warning) packages that carry a gossip key or a private key instead of refusing them" };
        Option<DateTimeOffset?> sourceDateEpoch = BuildTimestamp.CreateOption();
        Option<bool> quiet = OptionParsing.Quiet();
        var packages = new Argument<string[]>("package") { Description = "The .deb files to add", Arity = ArgumentArity.OneOrMore };

        var command = new Command("publish", "Add packages to the repository and sign it again; prints the client's .sources stanza.") { packages };
        foreach (Option option in new Option[] { repo, suite, component, signingKey, passphraseFile, origin, label, codename, validFor, url, allowSecrets, sourceDateEpoch, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            DateTimeOffset now = context.Now();
            DateTimeOffset date = BuildTimestamp.Resolve(parseResult.GetValue(sourceDateEpoch), context);
            int days = parseResult.GetValue(validFor);
            if (days < 1)
            {
                throw new PackageException($"--valid-for {days}: give a number of days, 1 or more");
            }

            // apt checks the key at the time it verifies, and the signature carries the Release's date: both must be inside the key's life.
            List<SigningKey> keys = [.. parseResult.GetRequiredValue(signingKey).Select(k => SigningKeyFiles.Load(context, k, parseResult.GetValue(passphraseFile), date))];
            PublishResult result = RepositoryPublisher.Publish(new PublishOptions
            {
                RepositoryDirectory = context.ResolvePath(parseResult.GetRequiredValue(repo)),
                Suite = parseResult.GetRequiredValue(suite),
                Component = parseResult.GetRequiredValue(component),
                SigningKeys = keys,
                Origin = parseResult.GetValue(origin),
                Label = parseResult.GetValue(label),
                Codename = parseResult.GetValue(codename),
                Date = date,
                ValidFor = TimeSpan.FromDays(days),
                Packages = [.. parseResult.GetRequiredValue(packages).Select(context.ResolvePath)],
                AllowSecrets = parseResult.GetValue(allowSecrets),
                Progress = context.Progress(parseResult.GetValue(quiet), parseResult.InvocationConfiguration.Error),
            });

            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            foreach (string added in result.Added)
            {
                stdout.WriteLine($"added {added}");
            }

            foreach (PackageSecret secret in result.Secrets)
            {
                stderr.WriteLine($"consul-pkg: warning: {secret.PackagePath} carries a secret ({secret.File} holds {secret.What}): its pool file is 0600; serve this repository only to machines that may have it");
            }

            foreach (string present in result.AlreadyPresent)
            {
                stdout.WriteLine($"already present {present}");
            }

            stdout.WriteLine($"signed dists/{result.Suite}/InRelease with key{(keys.Count > 1 ? "s" : "")} {string.Join(", ", keys.Select(k => k.SigningFingerprint))}, valid until {result.ValidUntil.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
            foreach (SigningKey key in keys.Where(k => k.Expires < result.ValidUntil))
            {
                stderr.WriteLine($"consul-pkg: warning: signing key {key.SigningFingerprint} expires on {key.Expires:yyyy-MM-dd}, before the Release's Valid-Until {result.ValidUntil:yyyy-MM-dd}: apt refuses its signature from then on; extend the key or publish again before then");
            }
            if (result.ValidUntil <= now)
            {
                stderr.WriteLine($"consul-pkg: warning: Valid-Until {result.ValidUntil:yyyy-MM-dd} is already past (the date came from SOURCE_DATE_EPOCH): apt will refuse this repository until it is published again");
            }

            if (result.KeyringChanged)
            {
                stderr.WriteLine($"consul-pkg: warning: no key the repository's keyring held signs any more: clients need the new {result.KeyringPath} before their next update (sign with the old and the new key together while clients change over)");
            }

            stdout.Write(SourcesStanza(result, parseResult.GetValue(url)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string SourcesStanza(PublishResult result, string? url)
    {
        const string Keyring = "/etc/apt/keyrings/consul-pkg-repository.gpg";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# For clients: copy {result.KeyringPath} to {Keyring}, and this to /etc/apt/sources.list.d/consul-pkg-repository.sources\n");
        text.Append("Types: deb\n");
        text.Append(CultureInfo.InvariantCulture, $"URIs: {url ?? "https://REPLACE-WITH-WHERE-THE-REPOSITORY-IS-SERVED/"}\n");
        text.Append(CultureInfo.InvariantCulture, $"Suites: {result.Suite}\n");
        text.Append(CultureInfo.InvariantCulture, $"Components: {string.Join(' ', result.Components)}\n");
        text.Append(CultureInfo.InvariantCulture, $"Signed-By: {Keyring}\n");
        return text.ToString();
    }
}
