using ConsulPkg.Cli.DpkgDeb;

namespace ConsulPkg.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        CliContext context = CliContext.FromProcess();
        // Run through a link named dpkg-deb, the executable is dpkg-deb (`consul-pkg dpkg-deb`
        // is one of the commands CliApplication dispatches).
        if (context.InvokedAs == DpkgDebFrontEnd.Name)
        {
            return DpkgDebProgram.Run(args, context);
        }
        using var signals = new TerminationSignals();
        return await CliApplication.RunAsync(args, context, StandardStreams.CreateOutputWriter(), StandardStreams.CreateErrorWriter(),
                () => signals.ExitCode, signals.Token)
            .ConfigureAwait(false);
    }
}
