namespace ConsulPkg.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var signals = new TerminationSignals();
        CliContext context = CliContext.FromProcess();
        // Run through a link named dpkg-deb, the executable is dpkg-deb.
        string[] line = context.InvokedAs == DpkgDeb.DpkgDebFrontEnd.Name ? [DpkgDeb.DpkgDebFrontEnd.Name, .. args] : args;
        return await CliApplication.RunAsync(line, context, Console.Out, Console.Error, () => signals.ExitCode, signals.Token)
            .ConfigureAwait(false);
    }
}
