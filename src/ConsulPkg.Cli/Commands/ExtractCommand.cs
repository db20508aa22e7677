using System.CommandLine;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary><c>consul-pkg extract FILE DIR</c>: unpack the data like <c>dpkg-deb -x</c>, refusing entries that escape DIR.</summary>
internal static class ExtractCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb to unpack, or - for standard input" };
        var directory = new Argument<string>("directory") { Description = "Where to unpack (made if missing; its parent must exist)" };
        var command = new Command("extract", "Extract a package's files into a directory, like dpkg-deb -x.") { file, directory };
        command.SetAction(parseResult =>
        {
            using DebPackageReader reader = PackageFile.Open(parseResult.GetRequiredValue(file), context);
            reader.ExtractTo(context.ResolvePath(parseResult.GetRequiredValue(directory)), Extraction.Options(context, preservePermissions: true));
            return ExitCodes.Success;
        });
        return command;
    }
}
