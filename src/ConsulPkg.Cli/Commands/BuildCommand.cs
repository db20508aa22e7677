using System.CommandLine;
using ConsulPkg.Consul;
using ConsulPkg.Debian.Compression;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg build --consul-version 0.7.2 --iteration 1</c>: download and verify HashiCorp's
/// release, render the templates and write consul_0.7.2-1_amd64.deb. The gossip key never appears
/// in the output; only its fingerprint does.
/// </summary>
internal static class BuildCommand
{
    public static Command Create(CliContext context)
    {
        Option<string> version = new("--consul-version") { Description = "Consul release to package, e.g. 0.7.2; or latest, latest-1.x, latest-1.17.x", Required = true, HelpName = "VERSION" };
        // --iteration, --vendor, --compression and --source-date-epoch are parsed as fpm's are (OptionParsing).
        Option<string?> iteration = OptionParsing.Single("--iteration", null, "Debian revision (default 1)", OptionParsing.Revision);
        Option<string?> arch = OptionParsing.Single("--arch", null, "Debian architecture: amd64 (default), i386, armhf, arm64", ConsulOptionParsing.Architecture);
        Option<string?> vendor = OptionParsing.Single("--vendor", null, "Vendor field", t => Fpm.FpmValues.Text(Fpm.FpmControlFlags.Texts.Single(f => f.Field == Debian.ControlField.Vendor), t));
        Option<string?> maintainer = OptionParsing.Single("--maintainer", null, $"Maintainer field, e.g. 'Ops <ops@example.com>' (else $DEBFULLNAME <$DEBEMAIL>, else '{ConsulRecipe.DefaultMaintainer}')", t => Debian.MaintainerAddress.Check(t, "--maintainer"));
        Option<string?> output = new("--output") { Description = "Output directory (default .) or .deb file path", HelpName = "PATH" };
        Option<bool> force = new("--force", "-f") { Description = "Replace an existing output file (fpm's -f)" };
        Option<CompressionFormat> compression = ConsulOptionParsing.CompressionOption();
        Option<PackageLayout> layout = ConsulOptionParsing.LayoutOption();
        Option<string?> releaseUrl = new("--release-url") { Description = $"Release mirror base URL (else ${ConsulRelease.BaseUrlEnvironmentVariable}, else {ConsulRelease.DefaultBaseUrl})", HelpName = "URL" };
        Option<string?> zip = new("--zip") { Description = "Use this local release zip instead of downloading", HelpName = "FILE" };
        Option<string?> sums = new("--sha256sums") { Description = "Use this local SHA256SUMS (signature beside it as FILE.72D7468F.sig or FILE.sig)", HelpName = "FILE" };
        Option<string[]> trustedKeys = new("--trusted-key") { Description = "An extra OpenPGP public key trusted to sign SHA256SUMS (repeatable)", HelpName = "FILE" };
        Option<bool> skipSignature = new("--skip-signature") { Description = "Do not check the signature on SHA256SUMS (prints a warning)" };
        Option<string?> signingKey = new("--signing-key") { Description = "Sign the package with this OpenPGP secret key, as debsigs does (gpg --export-secret-keys)", HelpName = "KEY.asc" };
        Option<string?> passphraseFile = new("--passphrase-file") { Description = SigningKeyFiles.PassphraseDescription, HelpName = "FILE" };
        Option<int?> downloadTimeout = new("--download-timeout") { Description = "Most seconds one download may take, retries included (default 300)", HelpName = "SECONDS" };
        downloadTimeout.Validators.Add(result =>
        {
            if (result.GetValue(downloadTimeout) is < 1)
            {
                result.AddError("--download-timeout must be a positive number of seconds");
            }
        });
        Option<DateTimeOffset?> sourceDateEpoch = BuildTimestamp.CreateOption();
        var agent = new ConsulOptionParsing.AgentOptions();

        var command = new Command("build", "Download, verify and package a Consul release as a .deb.");
        foreach (Option option in new Option[]
                 {
                     version, iteration, arch, vendor, maintainer, output, force, compression, layout,
                     releaseUrl, zip, sums, trustedKeys, skipSignature, signingKey, passphraseFile, downloadTimeout, sourceDateEpoch,
                 })
        {
            command.Options.Add(option);
        }

        agent.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            string? outputPath = parseResult.GetValue(output) is { } o ? context.ResolvePath(o) : null;
            bool toFile = outputPath is not null && outputPath.EndsWith(".deb", StringComparison.Ordinal);
            string? givenMaintainer = parseResult.GetValue(maintainer);
            string? maintainerAddress = givenMaintainer ?? context.MaintainerFromEnvironment();
            DateTimeOffset timestamp = BuildTimestamp.Resolve(parseResult.GetValue(sourceDateEpoch), context);
            var options = new ConsulRecipeOptions
            {
                ConsulVersion = parseResult.GetValue(version)!,
                Iteration = parseResult.GetValue(iteration) ?? "1",
                Architecture = parseResult.GetValue(arch) ?? "amd64",
                Vendor = parseResult.GetValue(vendor),
                Maintainer = maintainerAddress,
                OutputDirectory = toFile ? context.WorkingDirectory : outputPath ?? context.WorkingDirectory,
                OutputFile = toFile ? outputPath : null,
                Overwrite = parseResult.GetValue(force),
                Compression = CompressionSettings.Create(parseResult.GetValue(compression)),
                Agent = agent.Agent(parseResult),
                TemplatesDirectory = agent.TemplatesDirectory(parseResult, context),
                Layout = parseResult.GetValue(layout),
                GossipKey = agent.KeySource(parseResult, context),
                KeyDelivery = agent.Delivery(parseResult),
                BaseUrl = parseResult.GetValue(releaseUrl) is { } url && !string.IsNullOrWhiteSpace(url)
                    ? ConsulRelease.ParseBaseUrl(url, "--release-url")
                    : context.Variable(ConsulRelease.BaseUrlEnvironmentVariable) is { } variable
                        ? ConsulRelease.ParseBaseUrl(variable, ConsulRelease.BaseUrlEnvironmentVariable)
                        : ConsulRelease.DefaultBaseUrl,
                LocalFiles = LocalFiles(parseResult.GetValue(zip), parseResult.GetValue(sums), context),
                TrustedKeyFiles = (parseResult.GetValue(trustedKeys) ?? []).Select(context.ResolvePath).ToList(),
                SkipSignature = parseResult.GetValue(skipSignature),
                SigningKey = parseResult.GetValue(signingKey) is { } key ? SigningKeyFiles.Load(context, key, parseResult.GetValue(passphraseFile), timestamp) : null,
                Timestamp = timestamp,
                Cache = context.Cache(),
                // A progress bar only for a person watching a terminal; pipelines' logs stay clean.
                Download = DownloadOptions.Default with
                {
                    Progress = context.ErrorIsTerminal ? stderr : null,
                    Deadline = parseResult.GetValue(downloadTimeout) is int seconds ? TimeSpan.FromSeconds(seconds) : DownloadOptions.Default.Deadline,
                },
            };

            if (maintainerAddress is null)
            {
                // After the command line's own checks, so that a line refusing one of them comes alone.
                await stderr.WriteLineAsync($"warning: no --maintainer (nor DEBFULLNAME and DEBEMAIL): the package's Maintainer is '{ConsulRecipe.DefaultMaintainer}'").ConfigureAwait(false);
            }

            ConsulBuildResult result = await ConsulRecipe.BuildAsync(options, stderr, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"Created package {result.PackagePath} (Consul {result.ConsulVersion})").ConfigureAwait(false);
            await stdout.WriteLineAsync(
                $"release zip sha256 {result.ZipSha256}"
                + (result.SignedBy is null ? ", signature NOT checked" : $", SHA256SUMS signed by {result.SignedBy}")
                + (result.Pinned ? ", matches the pinned hash" : "")
                + (result.FromCache ? " (from cache)" : "")).ConfigureAwait(false);
            await stdout.WriteLineAsync(ConsulOptionParsing.DescribeKey(result.KeyDelivery, result.KeyFingerprint)).ConfigureAwait(false);
            if (options.SigningKey is { } signer)
            {
                await stdout.WriteLineAsync($"signed with key {signer.SigningFingerprint}").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--zip and --sha256sums, which come together or not at all.</summary>
    private static LocalReleaseFiles? LocalFiles(string? zip, string? sums, CliContext context) => (zip, sums) switch
    {
        (null, null) => null,
        ({ } z, { } s) => new LocalReleaseFiles(context.ResolvePath(z), context.ResolvePath(s)),
        _ => throw new Debian.PackageException("--zip and --sha256sums go together: give the release zip and the SHA256SUMS file it is listed in"),
    };
}
