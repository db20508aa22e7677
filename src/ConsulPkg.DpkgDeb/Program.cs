namespace ConsulPkg.DpkgDeb;

internal static class Program
{
    private static int Main(string[] args) => Cli.DpkgDeb.DpkgDebProgram.Run(args);
}
