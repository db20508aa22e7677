using System.Globalization;

namespace ConsulPkg.Repository.Tests.Support;

/// <summary>Runs the built consul-pkg command line (copied beside the tests) as a user would.</summary>
internal static class ConsulPkgCli
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "consul-pkg.dll");

    public static ProcessOutput Run(DateTimeOffset date, params string[] arguments) =>
        ProcessRunner.Run("dotnet", [Assembly, .. arguments], environment: new Dictionary<string, string?>
        {
            ["SOURCE_DATE_EPOCH"] = date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });

    public static string Stdout(this ProcessOutput output) => System.Text.Encoding.UTF8.GetString(output.Stdout);
}
