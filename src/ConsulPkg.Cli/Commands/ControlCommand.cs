using System.CommandLine;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary><c>consul-pkg control FILE [DIR]</c>: unpack the control area like <c>dpkg-deb -e</c> (into DEBIAN by default).</summary>
internal static class ControlCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb whose control area to unpack, or - for standard input" };
        var directory = new Argument<string>("directory")
        {
            Description = "Where to unpack it (made if missing; its parent must exist)",
            DefaultValueFactory = _ => "DEBIAN",
        };
        var command = new Command("control", "Extract a package's control area (control file, maintainer scripts...) into a directory, like dpkg-deb -e.") { file, directory };
        command.SetAction(parseResult =>
        {
            using DebPackageReader reader = PackageFile.Open(parseResult.GetRequiredValue(file), context);
            reader.ExtractControlTo(context.ResolvePath(parseResult.GetRequiredValue(directory)), Extraction.Options(context, preservePermissions: false));
            return ExitCodes.Success;
        });
        return command;
    }
}
