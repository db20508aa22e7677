using System.CommandLine;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// The one place where subcommands are registered. To add one: write a small static class in
/// this folder with <c>public static Command Create(CliContext context)</c> whose action parses,
/// calls the library and prints through <c>parseResult.InvocationConfiguration.Output</c>; throw
/// <see cref="Debian.PackageException"/> for anything the user can fix; then add it below, under
/// the name its <see cref="Command"/> has (a test checks they agree).
/// </summary>
internal static class CommandCatalog
{
    private static readonly (string Name, Func<CliContext, Command> Create)[] Factories =
    [
        ("fpm", FpmCommand.Create),
        ("contents", ContentsCommand.Create),
        ("info", InfoCommand.Create),
        ("extract", ExtractCommand.Create),
        ("build", BuildCommand.Create),
        ("keygen", KeygenCommand.Create),
        ("configs", ConfigsCommand.Create),
        ("repo", RepoCommand.Create),
        ("verify", VerifyCommand.Create),
        ("keyring", KeyringCommand.Create),
    ];

    public static IReadOnlyList<string> Names { get; } = Array.ConvertAll(Factories, factory => factory.Name);

    /// <summary>Every subcommand, for help, suggestions and tests.</summary>
    public static IEnumerable<Command> Create(CliContext context) =>
        Factories.Select(factory => factory.Create(context));

    /// <summary>
    /// The subcommands a command line can reach. Building a command costs start-up time (fpm
    /// alone declares over a hundred options), so a line that names a command gets only that
    /// one, which parses it exactly as the full tree would: the root's own options (--verbose,
    /// --help, --version) take no value, so the first word that is not an option is the command.
    /// A bare <c>--version</c> needs none. Anything else (no command, a typo, a response file)
    /// gets them all, so help lists every command and a typo gets its suggestion.
    /// </summary>
    public static IEnumerable<Command> CreateFor(CliContext context, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["--version"])
        {
            return [];
        }

        string? first = args.FirstOrDefault(arg => !arg.StartsWith('-'));
        int index = Array.FindIndex(Factories, factory => factory.Name == first);
        return index < 0 ? Create(context) : [Factories[index].Create(context)];
    }
}
