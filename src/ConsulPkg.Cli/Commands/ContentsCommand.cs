using System.CommandLine;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary><c>consul-pkg contents FILE</c>: the data listing, byte for byte as <c>dpkg-deb -c</c> prints it, or as JSON.</summary>
internal static class ContentsCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb to list, or - for standard input" };
        var json = InspectionOptions.Json();
        var command = new Command("contents", "List the files of a package, like dpkg-deb -c.") { file, json };
        command.SetAction(parseResult =>
        {
            using DebPackageReader reader = PackageFile.Open(parseResult.GetRequiredValue(file), context);
            BinaryOutput.Write(parseResult, context, output =>
            {
                if (parseResult.GetValue(json))
                {
                    InspectionJson.WriteContents(output, reader);
                }
                else
                {
                    reader.WriteContents(output, context.Listing());
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
