using System.CommandLine;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.IO;
using ConsulPkg.Fpm;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg fpm ...</c>: fpm's own flags for <c>-t deb</c> (from <c>-s dir</c>, <c>tar</c>,
/// <c>empty</c> or <c>deb</c>), so a pipeline can replace the word <c>fpm</c> and keep its command
/// line. Every value is parsed with the command line (<see cref="FpmCommandOptions"/>); the rules
/// live in <see cref="FpmPackageMapper"/>.
/// </summary>
internal static class FpmCommand
{
    /// <summary>
    /// <paramref name="args"/> with fpm's <c>--fpm-options-file</c> expanded in place when they
    /// run <c>fpm</c> (<see cref="FpmOptionsFile"/>); whether a flag takes a value comes from the
    /// command's own options.
    /// </summary>
    public static IReadOnlyList<string> ExpandOptionsFiles(IReadOnlyList<string> args, RootCommand root, CliContext context)
    {
        int at = args.ToList().FindIndex(a => !a.StartsWith('-'));
        if (at < 0 || args[at] != "fpm" || root.Subcommands.FirstOrDefault(c => c.Name == "fpm") is not { } fpm)
        {
            return args;
        }

        // Built only when an options file is actually read: every fpm run passes through here.
        Dictionary<string, bool>? takesValue = null;
        IReadOnlyList<string> rest = FpmOptionsFile.Expand(args.Skip(at + 1).ToList(), context.WorkingDirectory,
            flag => (takesValue ??= fpm.Options
                .SelectMany(o => o.Aliases.Append(o.Name).Select(name => (name, o.ValueType != typeof(bool))))
                .ToDictionary(p => p.name, p => p.Item2, StringComparer.Ordinal))
                .TryGetValue(flag, out bool value) ? value : null);
        return [.. args.Take(at + 1), .. rest];
    }

    public static Command Create(CliContext context)
    {
        var o = new FpmCommandOptions();
        var command = new Command("fpm", "Build a .deb with fpm's command-line flags (-s dir, tar, empty or deb; -t deb).");
        foreach (Option option in o.All)
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(o.Inputs);
        command.Validators.Add(o.Validate);

        // The parser hands an unknown "--flag" to the path argument; fpm would refuse it, so do we.
        o.Inputs.Validators.Add(result =>
        {
            string? unknown = result.Tokens.Select(t => t.Value).FirstOrDefault(v => v.Length > 1 && v.StartsWith('-'));
            if (unknown is not null)
            {
                result.AddError($"unknown option '{unknown}' for '{CliApplication.Name} fpm': it is not an fpm flag consul-pkg supports");
            }
        });
        // The asynchronous form only for its token: SIGINT/SIGTERM stop the write and remove its temporaries.
        command.SetAction((parseResult, cancellationToken) =>
        {
            FpmOptions options = o.ToFpmOptions(parseResult, context);
            FpmBuild build = FpmPackageMapper.Map(options);
            if (parseResult.GetValue(o.SigningKey) is { } key)
            {
                build = build with { Spec = build.Spec with { SigningKey = SigningKeyFiles.Load(context, key, parseResult.GetValue(o.PassphraseFile), options.Timestamp) } };
            }
            if (parseResult.GetValue(o.Edit))
            {
                build = FpmPackageMapper.EditControl(build, text => ControlEditor.Edit(text, context));
            }

            TextWriter error = parseResult.InvocationConfiguration.Error;
            foreach (string warning in build.Warnings)
            {
                error.WriteLine($"{CliApplication.Name}: warning: {warning}");
            }

            if (parseResult.GetValue(CliApplication.VerboseOption))
            {
                // fpm's --verbose logs what goes into the package; so does this.
                error.Write(build.Spec.Control.Render());
                foreach (PackageEntry entry in build.Spec.Entries)
                {
                    error.WriteLine($"{CliApplication.Name}: adding {UnixName.Printable(entry.Path)} ({entry.Kind.ToString().ToLowerInvariant()}, {entry.Owner}:{entry.Group})");
                }
            }

            DebPackageWriter.WriteFile(build.Spec, build.OutputPath, build.Overwrite, cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine($"Created package {build.OutputPath}");
            if (build.ChangesPath is not null)
            {
                FpmChangesFile.Write(build.OutputPath, build.Spec.Control, build.Distribution, build.Spec.Timestamp);
                parseResult.InvocationConfiguration.Output.WriteLine($"Created changes {build.ChangesPath}");
            }
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
