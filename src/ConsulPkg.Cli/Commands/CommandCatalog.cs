using System.CommandLine;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// The one place where subcommands are registered. To add one: write a small static class in
/// this folder with <c>public static Command Create(CliContext context)</c> whose action parses,
/// calls the library and prints through <c>parseResult.InvocationConfiguration.Output</c>; throw
/// <see cref="Debian.PackageException"/> for anything the user can fix; then add it below.
/// </summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        FpmCommand.Create(context),
        ContentsCommand.Create(context),
        InfoCommand.Create(context),
        ExtractCommand.Create(context),
        BuildCommand.Create(context),
        KeygenCommand.Create(context),
        ConfigsCommand.Create(context),
        RepoCommand.Create(context),
    ];
}
