using System.CommandLine;
using ConsulPkg.Cli.Commands;
using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests;

/// <summary>
/// A command line that names a command builds only that command (start-up time); these prove
/// it parses, helps and fails exactly as the full command tree does.
/// </summary>
[TestFixture]
public sealed class CommandCatalogTests
{
    private static readonly CliContext Context = CliRunner.Context("/");

    private static IEnumerable<string[]> Lines() =>
    [
        ["contents", "--help"],
        ["fpm", "--help"],
        ["repo", "publish", "--help"],
        ["--verbose", "info", "--help"],
        ["build", "--consul-version", "0.7.2", "--bogus"],
        ["fpm", "-s", "dir", "-t", "deb", "--no-such-flag", "."],
        ["keygen", "--bytes", "x"],
        ["extract"],
        ["contnets", "x.deb"],
        ["--help"],
        ["--version"],
        [],
    ];

    [Test]
    public void EveryRegisteredNameIsTheNameOfTheCommandItCreates()
    {
        string[] created = CommandCatalog.Create(Context).Select(command => command.Name).ToArray();
        Assert.That(created, Is.EqualTo(CommandCatalog.Names));
    }

    [Test]
    public void ALineThatNamesACommandBuildsOnlyThatCommand()
    {
        Assert.Multiple(() =>
        {
            foreach (string name in CommandCatalog.Names)
            {
                Assert.That(CommandCatalog.CreateFor(Context, ["--verbose", name, "--help"]).Select(c => c.Name), Is.EqualTo(new[] { name }));
            }

            Assert.That(CommandCatalog.CreateFor(Context, ["--version"]), Is.Empty);
            Assert.That(CommandCatalog.CreateFor(Context, ["contnets"]).Count(), Is.EqualTo(CommandCatalog.Names.Count));
            Assert.That(CommandCatalog.CreateFor(Context, ["@args.rsp"]).Count(), Is.EqualTo(CommandCatalog.Names.Count));
        });
    }

    [TestCaseSource(nameof(Lines))]
    public void TheReducedTreeAnswersAsTheFullTreeDoes(string[] args)
    {
        (int Exit, string Output, string Error) full = Invoke(CliApplication.CreateRootCommand(Context), args);
        (int Exit, string Output, string Error) reduced = Invoke(CliApplication.CreateRootCommand(Context, args), args);
        Assert.That(reduced, Is.EqualTo(full));
        Assert.That(full.Output + full.Error, Is.Not.Empty, "the line must say something, or the comparison proves nothing");
    }

    private static (int, string, string) Invoke(RootCommand root, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        ParseResult result = root.Parse(args);
        string errors = string.Join('\n', result.Errors.Select(e => e.Message));
        if (result.Errors.Count > 0)
        {
            return (-1, string.Empty, errors);
        }

        // Only help and version may run here (the tree's own actions), never a command's.
        Assert.That(args, Has.Some.EqualTo("--help").Or.Some.EqualTo("--version"), "a case without a parse error must ask for help or the version");
        int exit = result.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
