#:project ../src/ConsulPkg.Debian/ConsulPkg.Debian.csproj
#:property PublishAot=false

// Writes COUNT small .deb files (one 200-byte file each, typical control fields) into DIR,
// named PREFIX-N, for build/bench-repo.sh. Usage: bench-repo DIR PREFIX COUNT
using System.Globalization;
using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;

string directory = args[0];
string prefix = args[1];
int count = int.Parse(args[2], CultureInfo.InvariantCulture);
Directory.CreateDirectory(directory);
var timestamp = DateTimeOffset.FromUnixTimeSeconds(1480956780);
Parallel.For(1, count + 1, i =>
{
    string name = $"{prefix}-{i}";
    var control = new ControlFile
    {
        Package = name,
        Version = DebianVersion.Parse($"1.{i % 97}.0-1"),
        Architecture = i % 10 == 0 ? "all" : "amd64",
        Maintainer = "Bench <bench@consul-pkg.invalid>",
        Depends = ["libc6 (>= 2.36)", "adduser"],
        Section = "net",
        Priority = "optional",
        Homepage = $"https://example.invalid/{name}",
        Description = $"benchmark package {name}\nOne of many small packages that make a large repository.\n.\nIt holds a single file.",
    };
    DebPackageWriter.WriteFile(new DebPackageSpec
    {
        Control = control,
        Entries = [PackageEntry.FromBytes($"/usr/share/{name}/data", Encoding.UTF8.GetBytes(new string('x', 200) + i))],
        Timestamp = timestamp,
    }, Path.Combine(directory, $"{name}_1.{i % 97}.0-1_{control.Architecture}.deb"), overwrite: true);
});
