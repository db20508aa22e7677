using System.CommandLine;
using System.Globalization;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.OpenPgp;
using ConsulPkg.Repository;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg repo publish|remove|copy|check</c>: a signed apt repository in a directory.
/// The three that change it share the signing options and print what they did (or, with
/// --dry-run, would do); publish also prints the deb822 sources stanza a client needs.
/// </summary>
internal static class RepoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("repo", "Maintain a signed apt repository kept as plain files.");
        command.Subcommands.Add(CreatePublish(context));
        command.Subcommands.Add(CreateRemove(context));
        command.Subcommands.Add(CreateCopy(context));
        command.Subcommands.Add(CreateCheck(context));
        return command;
    }

    private static Command CreatePublish(CliContext context)
    {
        Option<string> suite = new("--suite") { Description = "Suite, e.g. stable", Required = true, HelpName = "SUITE" };
        Option<string> component = new("--component") { Description = "Component (default main)", DefaultValueFactory = _ => "main", HelpName = "NAME" };
        Option<string?> origin = new("--origin") { Description = "Release Origin (default: the repository's current one)" };
        Option<string?> label = new("--label") { Description = "Release Label (default: the repository's current one)" };
        Option<string?> codename = new("--codename") { Description = "Release Codename (default: the current one, else the suite)" };
        Option<int?> keepVersions = OptionParsing.Single<int?>("--keep-versions", null, "After adding, keep only the newest N versions of each name and architecture in the component", text => AtLeastOne(text, "--keep-versions", "a name's newest versions to keep"));
        keepVersions.HelpName = "N";
        Option<string?> url = new("--url") { Description = "Where clients will reach DIR, for the printed sources stanza", HelpName = "URL" };
        Option<bool> allowSecrets = AllowSecretsOption("Publish (0600, with a warning) packages that carry a gossip key or a private key instead of refusing them");
        Option<bool> quiet = OptionParsing.Quiet();
        var packages = new Argument<string[]>("package") { Description = "The .deb files to add", Arity = ArgumentArity.OneOrMore };
        var command = new Command("publish", "Add packages to the repository and sign it again; prints the client's .sources stanza.") { packages };
        ChangeOptions common = ChangeOptions.AddTo(command, repoDescription: "The repository directory (created when missing)");
        foreach (Option option in new Option[] { suite, component, origin, label, codename, keepVersions, url, allowSecrets, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            RepositoryChangeResult result = common.Run(parseResult, context, repository => RepositoryPublisher.Publish(new PublishOptions
            {
                Repository = repository,
                Suite = parseResult.GetRequiredValue(suite),
                Component = parseResult.GetRequiredValue(component),
                Origin = parseResult.GetValue(origin),
                Label = parseResult.GetValue(label),
                Codename = parseResult.GetValue(codename),
                KeepVersions = parseResult.GetValue(keepVersions),
                Packages = [.. parseResult.GetRequiredValue(packages).Select(context.ResolvePath)],
                AllowSecrets = parseResult.GetValue(allowSecrets),
                Progress = context.Progress(parseResult.GetValue(quiet), parseResult.InvocationConfiguration.Error),
            }));
            if (!result.DryRun)
            {
                parseResult.InvocationConfiguration.Output.Write(SourcesStanza(result, parseResult.GetValue(url)));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRemove(CliContext context)
    {
        Option<string> suite = new("--suite") { Description = "The suite to remove from, e.g. stable", Required = true, HelpName = "SUITE" };
        var command = new Command("remove", "Drop packages from a suite's indices and sign it again; their pool files go once nothing can ask for them.");
        Selection selection = Selection.AddTo(command);
        ChangeOptions common = ChangeOptions.AddTo(command, repoDescription: "The repository directory");
        command.Options.Add(suite);
        command.SetAction(parseResult =>
        {
            common.Run(parseResult, context, repository => RepositoryPublisher.Remove(new RemoveOptions
            {
                Repository = repository,
                Suite = parseResult.GetRequiredValue(suite),
                Component = parseResult.GetValue(selection.Component),
                Packages = parseResult.GetRequiredValue(selection.Packages),
            }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCopy(CliContext context)
    {
        Option<string> from = new("--from") { Description = "The suite the packages are in, e.g. testing", Required = true, HelpName = "SUITE" };
        Option<string> to = new("--to") { Description = "The suite that lists them too, e.g. stable (created when missing)", Required = true, HelpName = "SUITE" };
        var command = new Command("copy", "Promote packages: list them in another suite, same pool files, and sign it again.");
        Selection selection = Selection.AddTo(command);
        ChangeOptions common = ChangeOptions.AddTo(command, repoDescription: "The repository directory");
        Option<bool> allowSecrets = AllowSecretsOption("Promote packages that carry a gossip key or a private key instead of refusing them");
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(allowSecrets);
        command.SetAction(parseResult =>
        {
            common.Run(parseResult, context, repository => RepositoryPublisher.Copy(new CopyOptions
            {
                Repository = repository,
                From = parseResult.GetRequiredValue(from),
                To = parseResult.GetRequiredValue(to),
                Component = parseResult.GetValue(selection.Component),
                Packages = parseResult.GetRequiredValue(selection.Packages),
                AllowSecrets = parseResult.GetValue(allowSecrets),
            }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCheck(CliContext context)
    {
        Option<string> repo = new("--repo") { Description = "The repository directory", Required = true, HelpName = "DIR" };
        Option<string?> suite = new("--suite") { Description = "Only this suite (default: every suite, and the pool)", HelpName = "SUITE" };
        var command = new Command("check", "Check signatures, indices, pool files and by-hash copies against each other; writes nothing. Exit 1 with one line per problem.");
        command.Options.Add(repo);
        command.Options.Add(suite);
        command.SetAction(parseResult =>
        {
            CheckResult result = RepositoryChecker.Check(context.ResolvePath(parseResult.GetRequiredValue(repo)), parseResult.GetValue(suite), context.Now());
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            foreach (string problem in result.Problems)
            {
                stdout.WriteLine(problem);
            }

            foreach (string pending in result.Pending)
            {
                stdout.WriteLine($"pending {pending} (kept for clients holding an older InRelease)");
            }

            if (result.Problems.Count > 0)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"consul-pkg: {result.Problems.Count} problem(s) in {string.Join(", ", result.Suites.Select(s => "dists/" + s))}");
                return ExitCodes.Failure;
            }

            stdout.WriteLine($"consistent: {string.Join(", ", result.Suites.Select(s => "dists/" + s))}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<bool> AllowSecretsOption(string description) => new("--allow-secrets") { Description = description };

    private static string SourcesStanza(RepositoryChangeResult result, string? url)
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

    /// <summary>A whole number of at least 1; anything else is refused when the command line is parsed.</summary>
    private static int AtLeastOne(string text, string option, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= 1
            ? value
            : throw new PackageException($"{option} {MessageText.OneLine(text)}: give 1 or more ({what})");

    /// <summary>
    /// What remove and copy name: <c>--component</c> and the packages as NAME[=VERSION][:ARCH],
    /// each parsed with the command line (a malformed one is a usage error).
    /// </summary>
    private sealed record Selection(Option<string?> Component, Argument<PackageSelector[]> Packages)
    {
        public static Selection AddTo(Command command)
        {
            var selection = new Selection(
                new Option<string?>("--component") { Description = "Only this component (default: every one)", HelpName = "NAME" },
                new Argument<PackageSelector[]>("package")
                {
                    Description = "NAME[=VERSION][:ARCH]: every version and architecture unless narrowed",
                    Arity = ArgumentArity.OneOrMore,
                    CustomParser = result => [.. result.Tokens.Select(t => OptionParsing.Parse(result, t.Value, PackageSelector.Parse)!)],
                });
            command.Arguments.Add(selection.Packages);
            command.Options.Add(selection.Component);
            return selection;
        }
    }

    /// <summary>The options every changing command has (repository, keys, date, validity, dry run) and the one way they are applied and reported.</summary>
    private sealed record ChangeOptions(
        Option<string> Repo, Option<string[]> SigningKeys, Option<string?> PassphraseFile, Option<int?> ValidFor, Option<bool> DryRun, Option<DateTimeOffset?> SourceDateEpoch)
    {
        public static ChangeOptions AddTo(Command command, string repoDescription)
        {
            Option<int?> validFor = OptionParsing.Single<int?>("--valid-for", null, $"Days until Valid-Until (default {RepositoryWriteOptions.DefaultValidDays})", text => AtLeastOne(text, "--valid-for", "days until Valid-Until"));
            validFor.HelpName = "DAYS";
            var options = new ChangeOptions(
                new Option<string>("--repo") { Description = repoDescription, Required = true, HelpName = "DIR" },
                new Option<string[]>("--signing-key")
                {
                    Description = "OpenPGP secret key, armored or binary (gpg --export-secret-keys); repeat it to sign with several keys while rotating. Not read with --dry-run",
                    HelpName = "KEY.asc",
                    Arity = ArgumentArity.OneOrMore,
                    AllowMultipleArgumentsPerToken = false,
                },
                new Option<string?>("--passphrase-file") { Description = SigningKeyFiles.PassphraseDescription, HelpName = "FILE" },
                validFor,
                new Option<bool>("--dry-run") { Description = "Print what would be added, removed, promoted and deleted; write and sign nothing" },
                BuildTimestamp.CreateOption());
            foreach (Option option in new Option[] { options.Repo, options.SigningKeys, options.PassphraseFile, options.ValidFor, options.DryRun, options.SourceDateEpoch })
            {
                command.Options.Add(option);
            }

            // A dry run signs nothing, so only a real run needs a key.
            command.Validators.Add(result =>
            {
                if (!result.GetValue(options.DryRun) && (result.GetValue(options.SigningKeys) ?? []).Length == 0)
                {
                    result.AddError("--signing-key is required (repeat it for several keys), unless --dry-run");
                }
            });
            return options;
        }

        /// <summary>Loads the keys (not for a dry run), runs <paramref name="change"/> and prints its result.</summary>
        public RepositoryChangeResult Run(ParseResult parseResult, CliContext context, Func<RepositoryWriteOptions, RepositoryChangeResult> change)
        {
            DateTimeOffset now = context.Now();
            DateTimeOffset date = BuildTimestamp.Resolve(parseResult.GetValue(SourceDateEpoch), context);
            bool dryRun = parseResult.GetValue(DryRun);
            // apt checks the key at the time it verifies, and the signature carries the Release's date: both must be inside the key's life.
            List<SigningKey> keys = dryRun
                ? []
                : [.. parseResult.GetRequiredValue(SigningKeys).Select(k => SigningKeyFiles.Load(context, k, parseResult.GetValue(PassphraseFile), date))];
            RepositoryChangeResult result = change(new RepositoryWriteOptions
            {
                Directory = context.ResolvePath(parseResult.GetRequiredValue(Repo)),
                SigningKeys = keys,
                Date = date,
                ValidFor = TimeSpan.FromDays(parseResult.GetValue(ValidFor) ?? RepositoryWriteOptions.DefaultValidDays),
                DryRun = dryRun,
            });
            Report(result, keys, now, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            return result;
        }

        private static void Report(RepositoryChangeResult result, List<SigningKey> keys, DateTimeOffset now, TextWriter stdout, TextWriter stderr)
        {
            string would = result.DryRun ? "would be " : "";
            // A package already present is so in a dry run too.
            foreach ((string label, IReadOnlyList<string> items) in new[]
            {
                ($"{would}added", result.Added), ("already present", result.AlreadyPresent), ($"{would}removed", result.Removed),
                ($"{would}copied", result.Copied), ($"{would}deleted", result.Deleted),
            })
            {
                foreach (string item in items)
                {
                    stdout.WriteLine($"{label} {item}");
                }
            }

            foreach (PackageSecret secret in result.Secrets)
            {
                stderr.WriteLine($"consul-pkg: warning: {secret.PackagePath} carries a secret ({secret.File} holds {secret.What}): its pool file is 0600; serve this repository only to machines that may have it");
            }

            if (result.DryRun)
            {
                stdout.WriteLine($"dry run: dists/{result.Suite} unchanged, nothing written or signed");
                return;
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
        }
    }
}
