namespace ConsulPkg.Cli.DpkgDeb;

/// <summary>
/// The process as dpkg-deb: consul-pkg run through a link named dpkg-deb or as
/// <c>consul-pkg dpkg-deb ARGS</c>, and the small dpkg-deb executable (src/ConsulPkg.DpkgDeb),
/// which is this front end alone.
/// </summary>
public static class DpkgDebProgram
{
    /// <summary>Runs dpkg-deb's command line <paramref name="args"/>; returns dpkg-deb's exit status.</summary>
    public static int Run(string[] args) => Run(args, CliContext.FromProcess());

    internal static int Run(IReadOnlyList<string> args, CliContext context)
    {
        using var signals = new TerminationSignals();
        // dpkg-deb writes bytes to standard output's stream: no text writer is made for it,
        // which a script calling dpkg-deb once per package notices.
        return CliApplication.RunDpkgDeb(args, context, TextWriter.Null, StandardStreams.CreateErrorWriter(), signals.Token);
    }
}
