using System.CommandLine;

namespace ConsulPkg.Cli.Commands;

/// <summary>The options the inspection commands share.</summary>
internal static class InspectionOptions
{
    /// <summary>--json: the one schema of docs/inspection.md instead of dpkg-deb's text.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON (schema in docs/inspection.md) instead of dpkg-deb's text",
    };
}
