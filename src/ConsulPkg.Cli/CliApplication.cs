using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using ConsulPkg.Cli.Commands;
using ConsulPkg.Debian;

namespace ConsulPkg.Cli;

/// <summary>
/// Builds the <c>consul-pkg</c> command tree and runs it with the one top-level error policy:
/// an expected failure is one line <c>consul-pkg: message</c> on stderr and the exit code
/// <see cref="ExitCodes.For(Exception)"/> gives its type, a usage error the same with exit code 2; stack
/// traces only with <c>--verbose</c>.
/// </summary>
internal static class CliApplication
{
    public const string Name = "consul-pkg";

    /// <summary>Recursive, so it works after any subcommand: <c>consul-pkg fpm --verbose ...</c>.</summary>
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Show stack traces on errors",
        Recursive = true,
    };

    /// <param name="args">When given, only the subcommands these arguments can reach are built
    /// (<see cref="CommandCatalog.CreateFor"/>); null: all of them.</param>
    public static RootCommand CreateRootCommand(CliContext context, IReadOnlyList<string>? args = null)
    {
        var root = new RootCommand("Build, inspect and prove Debian packages without Ruby, tar or ar.");
        root.Options.Add(VerboseOption);
        // The width is given: by default help asks Console.WindowWidth, whose first use sets the
        // terminal up for reading keys (see StandardStreams).
        int width = context.OutputColumns?.Invoke() ?? int.MaxValue;
        foreach (HelpAction help in root.Options.OfType<HelpOption>().Select(option => option.Action).OfType<HelpAction>())
        {
            help.MaxWidth = width;
        }
        foreach (Command command in args is null ? CommandCatalog.Create(context) : CommandCatalog.CreateFor(context, args))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <param name="cancelledExitCode">The exit status once cancelled (130/143); null: <see cref="ExitCodes.Failure"/>.</param>
    /// <param name="cancellationToken">Cancelled on SIGINT/SIGTERM (see <see cref="TerminationSignals"/>).</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, CliContext context, TextWriter output, TextWriter error, Func<int>? cancelledExitCode = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count > 0 && args[0] == DpkgDeb.DpkgDebFrontEnd.Name)
        {
            // dpkg-deb's command line is its own: nothing of it may pass through System.CommandLine.
            return RunDpkgDeb([.. args.Skip(1)], context, output, error, cancellationToken);
        }

        RootCommand root = CreateRootCommand(context, args);
        try
        {
            args = FpmCommand.ExpandOptionsFiles(args, root, context);
        }
        catch (PackageException exception)
        {
            // The options file is part of the command line: what is wrong with it is a usage error.
            await error.WriteLineAsync($"{Name}: {MessageText.Flatten(exception.Message)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        ParseResult parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            await error.WriteLineAsync($"{Name}: {DescribeParseError(parseResult)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            // Signals are handled by the caller's token (TerminationSignals), which lets the
            // command clean up instead of being cut off after a grace period.
            ProcessTerminationTimeout = null,
        };
        bool verbose = parseResult.GetValue(VerboseOption);
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever the command was doing when the signal came, it has cleaned up (an ordinary
            // outcome), except what it says it leaves on purpose.
            string leaves = exception is InterruptedException interrupted ? interrupted.Leaves : "nothing was written";
            await error.WriteLineAsync($"{Name}: interrupted; {leaves}").ConfigureAwait(false);
            return cancelledExitCode?.Invoke() ?? ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The last line of defence: a bug still gets one line and an exit code.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            int exitCode = ExitCodes.For(exception);
            if (exitCode == ExitCodes.InternalError)
            {
                await error.WriteLineAsync(
                    verbose
                        ? $"{Name}: internal error: {exception}"
                        : $"{Name}: internal error: {exception.GetType().Name}: {MessageText.Flatten(exception.Message)} (rerun with --verbose for details)")
                    .ConfigureAwait(false);
                return exitCode;
            }

            await error.WriteLineAsync($"{Name}: {OptionHints.Describe(exception, parseResult.CommandResult.Command)}").ConfigureAwait(false);
            if (verbose)
            {
                await error.WriteLineAsync(exception.ToString()).ConfigureAwait(false);
            }

            // diff's 1 means "different", as diff(1)'s does: its failures are 2, as there.
            return exitCode == ExitCodes.Failure && parseResult.CommandResult.Command.Name == "diff" ? ExitCodes.Usage : exitCode;
        }
    }

    /// <summary>Runs dpkg-deb's command line, its bytes going to standard output's stream (or, when there is none, into <paramref name="output"/>).</summary>
    public static int RunDpkgDeb(IReadOnlyList<string> args, CliContext context, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        output.Flush();
        using Stream stdout = context.OpenStandardOutput?.Invoke() ?? new TextWriterStream(output);
        return DpkgDeb.DpkgDebFrontEnd.Run(args, context, stdout, error, cancellationToken);
    }

    private static string DescribeParseError(ParseResult parseResult)
    {
        // The whole path of a subcommand: 'consul-pkg keyring rotate', not 'consul-pkg rotate'.
        var words = new List<string>();
        for (SymbolResult? result = parseResult.CommandResult; result is CommandResult { Command: not RootCommand } level; result = result.Parent)
        {
            words.Insert(0, level.Command.Name);
        }

        string command = string.Join(' ', words.Prepend(Name));
        string? unmatched = parseResult.UnmatchedTokens.Count > 0 ? parseResult.UnmatchedTokens[0] : null;
        if (unmatched is not null)
        {
            string what = unmatched.StartsWith('-') && unmatched.Length > 1 ? "option" : "command or argument";
            return $"unknown {what} '{unmatched}' for '{command}': see '{command} --help'";
        }

        return $"{MessageText.Flatten(parseResult.Errors[0].Message)} (see '{command} --help')";
    }
}
