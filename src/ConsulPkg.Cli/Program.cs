namespace ConsulPkg.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var signals = new TerminationSignals();
        return await CliApplication.RunAsync(args, CliContext.FromProcess(), Console.Out, Console.Error, () => signals.ExitCode, signals.Token)
            .ConfigureAwait(false);
    }
}
