using System.CommandLine;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary><c>consul-pkg show FILE [--format FMT]</c>: what <c>dpkg-deb -W [--showformat=FMT]</c> prints, or the fields as JSON.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb to describe, or - for standard input" };
        var format = new Option<string>("--format", "--showformat")
        {
            Description = "dpkg-deb's show format, e.g. '${Package}_${Version}_${Architecture}\\n' (default: name, tab, version)",
            DefaultValueFactory = _ => DpkgShowFormat.Default,
        };
        format.Validators.Add(result =>
        {
            try
            {
                DpkgShowFormat.Parse(result.GetValueOrDefault<string>() ?? "");
            }
            catch (ArgumentException e)
            {
                result.AddError($"invalid --format: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        });
        var json = InspectionOptions.Json();
        var command = new Command("show", "Show fields of a package in a format, like dpkg-deb -W --showformat.") { file, format, json };
        command.SetAction(parseResult =>
        {
            using DebPackageReader reader = PackageFile.Open(parseResult.GetRequiredValue(file), context);
            DpkgControl control = reader.ParseControl(context.HostArchitecture ?? "amd64");
            BinaryOutput.Write(parseResult, context, output =>
            {
                if (parseResult.GetValue(json))
                {
                    InspectionJson.WriteShow(output, reader, control);
                }
                else
                {
                    output.Write(DpkgShowFormat.Parse(parseResult.GetRequiredValue(format)).Render(control));
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
