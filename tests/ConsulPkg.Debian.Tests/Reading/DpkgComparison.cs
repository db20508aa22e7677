using System.Text;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Debian.Tests.Support;

namespace ConsulPkg.Debian.Tests.Reading;

/// <summary>Runs dpkg-deb and our reader on the same package and compares the bytes.</summary>
internal static class DpkgComparison
{
    public static Dictionary<string, string?> Environment(string zone, bool utf8) => new()
    {
        ["TZ"] = zone,
        ["LC_ALL"] = utf8 ? "C.UTF-8" : "C",
        ["LANG"] = null,
    };

    public static byte[] DpkgContents(string deb, string zone, bool utf8) =>
        ProcessRunner.Run("dpkg-deb", ["-c", deb], environment: Environment(zone, utf8)).EnsureSuccess().StdOutBytes;

    public static byte[] OurContents(Stream deb, string name, string zone, bool utf8)
    {
        using DebPackageReader reader = DebPackageReader.Open(deb, name);
        using var output = new MemoryStream();
        reader.WriteContents(output, new ListingOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone), Utf8Names = utf8 });
        return output.ToArray();
    }

    public static byte[] OurContents(string deb, string zone, bool utf8)
    {
        using FileStream file = File.OpenRead(deb);
        return OurContents(file, deb, zone, utf8);
    }

    /// <summary>Compares as text first (a readable diff) and then as bytes.</summary>
    public static void AssertSame(byte[] ours, byte[] expected)
    {
        Assert.That(expected, Is.Not.Empty, "the reference output is empty");
        Assert.That(Encoding.UTF8.GetString(ours), Is.EqualTo(Encoding.UTF8.GetString(expected)));
        Assert.That(ours, Is.EqualTo(expected));
    }
}
