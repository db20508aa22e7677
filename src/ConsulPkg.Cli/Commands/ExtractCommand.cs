using System.CommandLine;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Cli.Commands;

/// <summary><c>consul-pkg extract FILE DIR</c>: unpack the data like <c>dpkg-deb -x</c>, refusing entries that escape DIR.</summary>
internal static class ExtractCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb to unpack, or - for standard input" };
        var directory = new Argument<string>("directory") { Description = "Where to unpack (made if missing; its parent must exist)" };
        Option<bool> quiet = OptionParsing.Quiet();
        var command = new Command("extract", "Extract a package's files into a directory, like dpkg-deb -x.") { file, directory, quiet };
        command.SetAction(parseResult =>
        {
            IByteProgress progress = context.Progress(parseResult.GetValue(quiet), parseResult.InvocationConfiguration.Error);
            string target = context.ResolvePath(parseResult.GetRequiredValue(directory));
            PackageFile.Read(parseResult.GetRequiredValue(file), context, progress,
                reader => reader.ExtractTo(target, Extraction.Options(context, preservePermissions: true)));
            return ExitCodes.Success;
        });
        return command;
    }
}
