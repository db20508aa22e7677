using System.CommandLine;
using ConsulPkg.Cli.DpkgDeb;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg dpkg-deb ARGS...</c>: dpkg-deb's own command line. dpkg-deb's options are not
/// System.CommandLine's (bundles like "-Zxz", "--" and "-" as words, options only before the
/// first argument), so <see cref="CliApplication"/> hands such a line to
/// <see cref="DpkgDebFrontEnd"/> before any parsing; this entry is what help and the manual
/// page list.
/// </summary>
internal static class DpkgDebCommand
{
    public static Command Create(CliContext context)
    {
        var words = new Argument<string[]>("argument")
        {
            Description = "dpkg-deb's options, action and arguments, e.g. -c pkg.deb, -W --showformat='${Package}' pkg.deb, -b tree/ out.deb",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(DpkgDebFrontEnd.Name, "Take dpkg-deb 1.21's command line: every operation, byte for byte; also what a link named dpkg-deb runs.")
        {
            words,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) =>
        {
            // Reached only when options precede the word dpkg-deb; its arguments keep their order.
            string[] rest = parseResult.Tokens.SkipWhile(t => t.Value != DpkgDebFrontEnd.Name).Skip(1).Select(t => t.Value).ToArray();
            return Task.FromResult(CliApplication.RunDpkgDeb(rest, context, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        });
        return command;
    }
}
