namespace ConsulPkg.Debian.Tests.Support;

/// <summary>
/// <see cref="ExternalTool"/> with the environment the writer tests compare under: UTC and a
/// UTF-8 C locale, so dates and names in listings do not depend on the machine.
/// </summary>
internal static class Tool
{
    private static readonly Dictionary<string, string?> Fixed = new() { ["TZ"] = "UTC", ["LC_ALL"] = "C.UTF-8" };

    public static ToolResult Run(string program, params string[] arguments) => ExternalTool.Run(program, arguments, environment: Fixed);

    /// <summary>Runs and asserts a zero exit, returning stdout as text.</summary>
    public static string Check(string program, params string[] arguments)
    {
        ToolResult r = Run(program, arguments);
        Assert.That(r.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)} failed:\n{r.Stderr}{r.StdoutText}");
        return r.StdoutText;
    }
}
