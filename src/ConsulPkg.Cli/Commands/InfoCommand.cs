using System.CommandLine;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg info FILE</c> prints what <c>dpkg-deb -I FILE</c> prints;
/// <c>consul-pkg info FILE NAME...</c> what <c>dpkg-deb -I FILE NAME...</c> prints when the first
/// NAME is a file of the control area (postinst, md5sums, conffiles...), else what
/// <c>dpkg-deb -f FILE FIELD...</c> prints; <c>--json</c> all of it as values.
/// </summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .deb to describe, or - for standard input" };
        var names = new Argument<string[]>("name")
        {
            Description = "Control fields to print, like dpkg-deb -f; or files of the control area (postinst, conffiles...), like dpkg-deb -I",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = InspectionOptions.Json();
        var command = new Command("info", "Show a package's control area like dpkg-deb -I, fields like dpkg-deb -f, or control files.") { file, names, json };
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(names) is { Length: > 0 })
            {
                result.AddError("--json prints every field and control file: give no NAME with it");
            }
        });
        command.SetAction(parseResult =>
        {
            string given = parseResult.GetRequiredValue(file);
            using DebPackageReader reader = PackageFile.Open(given, context);
            string[] asked = parseResult.GetValue(names) ?? [];
            string architecture = context.HostArchitecture ?? "amd64";
            BinaryOutput.Write(parseResult, context, output =>
            {
                if (parseResult.GetValue(json))
                {
                    InspectionJson.WriteInfo(output, reader, reader.ParseControl(architecture));
                }
                else if (asked.Length == 0)
                {
                    reader.WriteInfo(output);
                }
                else if (ControlArchive.NormalizeName(asked[0]) is { } first && reader.ControlKeeping(asked).Content(first) is not null)
                {
                    IReadOnlyList<string> missing = reader.WriteControlFiles(output, asked);
                    if (missing.Count > 0)
                    {
                        throw new PackageException($"{given}: no control file {string.Join(", ", missing.Select(m => $"'{m}'"))} in the package");
                    }
                }
                else
                {
                    reader.WriteFields(output, asked, architecture);
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
