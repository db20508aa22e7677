using System.CommandLine;
using System.Globalization;
using System.Text;
using ConsulPkg.Debian;
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
        Option<int?> keepVersions = new("--keep-versions") { Description = "After adding, keep only the newest N versions of each name and architecture in the component", HelpName = "N" };
        Option<string?> url = new("--url") { Description = "Where clients will reach DIR, for the printed sources stanza", HelpName = "URL" };
        var packages = new Argument<string[]>("package") { Description = "The .deb files to add", Arity = ArgumentArity.OneOrMore };
        var command = new Command("publish", "Add packages to the repository and sign it again; prints the client's .sources stanza.") { packages };
        ChangeOptions common = ChangeOptions.AddTo(command, repoDescription: "The repository directory (created when missing)");
        foreach (Option option in new Option[] { suite, component, origin, label, codename, keepVersions, url })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            RepositoryChangeResult result = common.Run(parseResult, context, (key, date, days, dryRun) => RepositoryPublisher.Publish(new PublishOptions
            {
                RepositoryDirectory = common.Repository(parseResult, context),
                Suite = parseResult.GetRequiredValue(suite),
                Component = parseResult.GetRequiredValue(component),
                SigningKey = key,
                Origin = parseResult.GetValue(origin),
                Label = parseResult.GetValue(label),
                Codename = parseResult.GetValue(codename),
                Date = date,
                ValidFor = TimeSpan.FromDays(days),
                DryRun = dryRun,
                KeepVersions = parseResult.GetValue(keepVersions),
                Packages = [.. parseResult.GetRequiredValue(packages).Select(context.ResolvePath)],
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
        Option<string?> component = new("--component") { Description = "Only this component (default: every one)", HelpName = "NAME" };
        var packages = new Argument<string[]>("package") { Description = "NAME[=VERSION][:ARCH]: every version and architecture unless narrowed", Arity = ArgumentArity.OneOrMore };
        var command = new Command("remove", "Drop packages from a suite's indices and sign it again; their pool files go once nothing can ask for them.") { packages };
        ChangeOptions common = ChangeOptions.AddTo(command, repoDescription: "The repository directory");
        command.Options.Add(suite);
        command.Options.Add(component);
        command.SetAction(parseResult =>
        {
            common.Run(parseResult, context, (key, date, days, dryRun) => RepositoryPublisher.Remove(new RemoveOptions
            {
                RepositoryDirectory = common.Repository(parseResult, context),
                Suite = parseResult.GetRequiredValue(suite),
                Component = parseResult.GetValue(component),
                SigningKey = key,
                Date = date,
                ValidFor = TimeSpan.FromDays(days),
                DryRun = dryRun,
                Packages = [.. parseResult.GetRequiredValue(packages).Select(PackageSelector.Parse)],
            }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCopy(CliContext context)
    {
        Option<string> from = new("--from") { Description = "The suite the packages are in, e.g. testing", Required = true, HelpName = "SUITE" };
        Option<string> to = new("--to") { Description = "The suite that lists them too, e.g. stable (created when missing)", Required = true, HelpName = "SUITE" };
        Option<string?> component = new("--component") { Description = "Only this component (default: every one)", HelpName = "NAME" };
        var packages = new Argument<string[]>("package") { Description = "NAME[=VERSION][:ARCH]: every version and architecture unless narrowed", Arity = ArgumentArity.OneOrMore };
        var command = new Command("copy", "Promote packages: list them in another suite, same pool files, and sign it again.") { packages };
        ChangeOptions common = ChangeOptions.AddTo(command, repoDescription: "The repository directory");
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(component);
        command.SetAction(parseResult =>
        {
            common.Run(parseResult, context, (key, date, days, dryRun) => RepositoryPublisher.Copy(new CopyOptions
            {
                RepositoryDirectory = common.Repository(parseResult, context),
                From = parseResult.GetRequiredValue(from),
                To = parseResult.GetRequiredValue(to),
                Component = parseResult.GetValue(component),
                SigningKey = key,
                Date = date,
                ValidFor = TimeSpan.FromDays(days),
                DryRun = dryRun,
                Packages = [.. parseResult.GetRequiredValue(packages).Select(PackageSelector.Parse)],
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

    /// <summary>The options every changing command has (repository, key, date, validity, dry run) and the one way they are applied and reported.</summary>
    private sealed class ChangeOptions
    {
        private readonly Option<string> _repo;
        private readonly Option<string> _signingKey;
        private readonly Option<string?> _passphraseFile;
        private readonly Option<int> _validFor;
        private readonly Option<bool> _dryRun;
        private readonly Option<string?> _sourceDateEpoch;

        private ChangeOptions(Option<string> repo, Option<string> signingKey, Option<string?> passphraseFile, Option<int> validFor, Option<bool> dryRun, Option<string?> sourceDateEpoch)
        {
            _repo = repo;
            _signingKey = signingKey;
            _passphraseFile = passphraseFile;
            _validFor = validFor;
            _dryRun = dryRun;
            _sourceDateEpoch = sourceDateEpoch;
        }

        public static ChangeOptions AddTo(Command command, string repoDescription)
        {
            var options = new ChangeOptions(
                new Option<string>("--repo") { Description = repoDescription, Required = true, HelpName = "DIR" },
                new Option<string>("--signing-key") { Description = "OpenPGP secret key, armored or binary (gpg --export-secret-keys)", Required = true, HelpName = "KEY.asc" },
                new Option<string?>("--passphrase-file") { Description = "File whose first line is the key's passphrase", HelpName = "FILE" },
                new Option<int>("--valid-for") { Description = $"Days until Valid-Until (default {RepositoryChangeOptions.DefaultValidDays})", DefaultValueFactory = _ => RepositoryChangeOptions.DefaultValidDays, HelpName = "DAYS" },
                new Option<bool>("--dry-run") { Description = "Print what would be added, removed, promoted and deleted; write nothing" },
                BuildTimestamp.CreateOption());
            foreach (Option option in new Option[] { options._repo, options._signingKey, options._passphraseFile, options._validFor, options._dryRun, options._sourceDateEpoch })
            {
                command.Options.Add(option);
            }

            return options;
        }

        public string Repository(ParseResult parseResult, CliContext context) => context.ResolvePath(parseResult.GetRequiredValue(_repo));

        /// <summary>Loads the key, runs <paramref name="change"/> and prints its result.</summary>
        public RepositoryChangeResult Run(ParseResult parseResult, CliContext context, Func<SigningKey, DateTimeOffset, int, bool, RepositoryChangeResult> change)
        {
            DateTimeOffset now = context.Now();
            DateTimeOffset date = BuildTimestamp.Resolve(parseResult, _sourceDateEpoch, context);
            string? passphrase = parseResult.GetValue(_passphraseFile) is { } file ? ReadPassphrase(context.ResolvePath(file)) : null;
            int days = parseResult.GetValue(_validFor);
            if (days < 1)
            {
                throw new PackageException($"--valid-for {days}: give a number of days, 1 or more");
            }

            // apt checks the key at the time it verifies, and the signature carries the Release's date: both must be inside the key's life.
            SigningKey key = SigningKey.Load(context.ResolvePath(parseResult.GetRequiredValue(_signingKey)), passphrase, now > date ? now : date);
            RepositoryChangeResult result = change(key, date, days, parseResult.GetValue(_dryRun));
            Report(result, key, now, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            return result;
        }

        private static void Report(RepositoryChangeResult result, SigningKey key, DateTimeOffset now, TextWriter stdout, TextWriter stderr)
        {
            string would = result.DryRun ? "would be " : "";
            foreach ((string verb, IReadOnlyList<string> items) in new[]
            {
                ("added", result.Added), ("already present", result.AlreadyPresent), ("removed", result.Removed),
                ("copied", result.Copied), ("deleted", result.Deleted),
            })
            {
                foreach (string item in items)
                {
                    stdout.WriteLine(verb == "already present" ? $"already present {item}" : $"{would}{verb} {item}");
                }
            }

            if (result.DryRun)
            {
                stdout.WriteLine($"dry run: dists/{result.Suite} unchanged, nothing written");
                return;
            }

            stdout.WriteLine($"signed dists/{result.Suite}/InRelease with key {key.SigningFingerprint}, valid until {result.ValidUntil.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
            if (result.ValidUntil <= now)
            {
                stderr.WriteLine($"consul-pkg: warning: Valid-Until {result.ValidUntil:yyyy-MM-dd} is already past (the date came from SOURCE_DATE_EPOCH): apt will refuse this repository until it is published again");
            }

            if (result.KeyringChanged)
            {
                stderr.WriteLine($"consul-pkg: warning: the signing key changed: clients need the new {result.KeyringPath} before their next update");
            }
        }

        /// <summary>The first line of the file, as gpg's --passphrase-file reads it.</summary>
        private static string ReadPassphrase(string path)
        {
            if (!File.Exists(path))
            {
                throw new PackageException($"--passphrase-file '{path}' does not exist");
            }

            string text = File.ReadAllText(path);
            int newline = text.IndexOf('\n', StringComparison.Ordinal);
            return (newline < 0 ? text : text[..newline]).TrimEnd('\r');
        }
    }
}
