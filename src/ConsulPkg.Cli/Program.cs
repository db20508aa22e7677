using ConsulPkg.Cli.DpkgDeb;

namespace ConsulPkg.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        CliContext context = CliContext.FromProcess();
        // Run through a link named dpkg-deb, the executable is dpkg-deb.
        if (context.InvokedAs == DpkgDebFrontEnd.Name)
        {
            return DpkgDebProgram.Run(args, context);
        }
        if (args.Length > 0 && args[0] == DpkgDebFrontEnd.Name)
        {
            return DpkgDebProgram.Run(args[1..], context);
        }
        using var signals = new TerminationSignals();
        return await CliApplication.RunAsync(args, context, StandardStreams.CreateOutputWriter(), StandardStreams.CreateErrorWriter(),
                () => signals.ExitCode, signals.Token)
            .ConfigureAwait(false);
    }
}
