namespace ConsulPkg.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var signals = new TerminationSignals();
        CliContext context = CliContext.FromProcess();
        // Run through a link named dpkg-deb, the executable is dpkg-deb.
        string[] line = context.InvokedAs == DpkgDeb.DpkgDebFrontEnd.Name ? [DpkgDeb.DpkgDebFrontEnd.Name, .. args] : args;
        if (line.Length > 0 && line[0] == DpkgDeb.DpkgDebFrontEnd.Name)
        {
            // dpkg-deb writes bytes to standard output's stream: no text writer is made for it,
            // which a script calling dpkg-deb once per package notices.
            return CliApplication.RunDpkgDeb(line[1..], context, TextWriter.Null, StandardStreams.CreateErrorWriter(), signals.Token);
        }
        return await CliApplication.RunAsync(line, context, StandardStreams.CreateOutputWriter(), StandardStreams.CreateErrorWriter(),
                () => signals.ExitCode, signals.Token)
            .ConfigureAwait(false);
    }
}
