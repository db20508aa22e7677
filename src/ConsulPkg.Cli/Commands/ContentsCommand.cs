using System.CommandLine;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary><c>consul-pkg contents FILE</c>: the data listing, byte for byte as <c>dpkg-deb -c</c> prints it.</summary>
internal static class ContentsCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb to list" };
        var command = new Command("contents", "List the files of a package, like dpkg-deb -c.") { file };
        command.SetAction(parseResult =>
        {
            using DebPackageReader reader = PackageFile.Open(parseResult.GetRequiredValue(file), context);
            BinaryOutput.Write(parseResult, context, output => reader.WriteContents(output, context.Listing()));
            return ExitCodes.Success;
        });
        return command;
    }
}
