using System.CommandLine;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg info FILE</c> prints what <c>dpkg-deb -I FILE</c> prints;
/// <c>consul-pkg info FILE FIELD...</c> what <c>dpkg-deb -f FILE FIELD...</c> prints.
/// </summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb to describe" };
        var fields = new Argument<string[]>("field")
        {
            Description = "Control fields to print, like dpkg-deb -f",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("info", "Show a package's control area like dpkg-deb -I, or fields like dpkg-deb -f.") { file, fields };
        command.SetAction(parseResult =>
        {
            using DebPackageReader reader = PackageFile.Open(parseResult.GetRequiredValue(file), context);
            string[] names = parseResult.GetValue(fields) ?? [];
            BinaryOutput.Write(parseResult, context, output =>
            {
                if (names.Length == 0)
                {
                    reader.WriteInfo(output);
                }
                else
                {
                    reader.WriteFields(output, names);
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
