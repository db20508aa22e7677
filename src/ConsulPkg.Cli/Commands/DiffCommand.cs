using System.CommandLine;
using System.Text;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg diff OLD NEW</c>: what changed between two packages
/// (<see cref="PackageComparison"/>). Exits as diff(1) does: 0 when equal, 1 when different, 2
/// on any error.
/// </summary>
internal static class DiffCommand
{
    /// <summary>diff(1)'s status for "different", which here is not a failure.</summary>
    public const int Different = 1;

    public static Command Create(CliContext context)
    {
        var oldFile = new Argument<string>("old") { Description = "The package before, or - for standard input" };
        var newFile = new Argument<string>("new") { Description = "The package after" };
        var json = InspectionOptions.Json();
        var command = new Command("diff", "Show what changed between two packages: fields, files, conffiles, scripts, members; exit 0 if equal, 1 if not, 2 on error.")
        {
            oldFile, newFile, json,
        };
        command.SetAction(parseResult =>
        {
            using DebPackageReader before = PackageFile.Open(parseResult.GetRequiredValue(oldFile), context);
            using DebPackageReader after = PackageFile.Open(parseResult.GetRequiredValue(newFile), context);
            PackageComparison comparison = PackageComparison.Compare(before, after, context.HostArchitecture ?? "amd64");
            BinaryOutput.Write(parseResult, context, output =>
            {
                if (parseResult.GetValue(json))
                {
                    comparison.WriteJson(output);
                }
                else if (!comparison.AreEqual)
                {
                    output.Write(Encoding.UTF8.GetBytes(comparison.ToText()));
                }
            });
            return comparison.AreEqual ? ExitCodes.Success : Different;
        });
        return command;
    }
}
