using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ConsulPkg.Testing.Releases;

/// <summary>
/// A fake Consul release in HashiCorp's layout: a zip holding a stand-in <c>consul</c> shell script
/// (it records its arguments), SHA256SUMS and a detached signature by a test key.
/// </summary>
public sealed class FakeRelease
{
    /// <summary>The stand-in agent: writes its arguments, one per line, to $CONSUL_ARGS_FILE.</summary>
    public const string StandInScript = "#!/bin/sh\n# stand-in for consul: records its arguments\nprintf '%s\\n' \"$@\" > \"${CONSUL_ARGS_FILE:-/tmp/consul-args}\"\n";

    public FakeRelease(string version, string hashiCorpArch = "amd64")
    {
        Version = version;
        ZipName = $"consul_{version}_linux_{hashiCorpArch}.zip";
        SumsName = $"consul_{version}_SHA256SUMS";
        Zip = MakeZip(("consul", Encoding.UTF8.GetBytes(StandInScript)), ("LICENSE.txt", Encoding.UTF8.GetBytes("test licence\n")));
        Sums = SumsFor(Zip);
    }

    public string Version { get; }

    public string ZipName { get; }

    public string SumsName { get; }

    public byte[] Zip { get; set; }

    public byte[] Sums { get; set; }

    public string Dir => $"/consul/{Version}/";

    public byte[] SumsFor(byte[] zip) => Encoding.ASCII.GetBytes(
        $"{new string('0', 64)}  consul_{Version}_darwin_amd64.zip\n{Sha256(zip)}  {ZipName}\n");

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Publishes zip, SUMS and the key-id-named signature by <paramref name="key"/>.</summary>
    public void Publish(FakeReleaseServer server, TestPgpKey key, string signatureSuffix = ".72D7468F.sig")
    {
        server.Serve(Dir + ZipName, Zip);
        server.Serve(Dir + SumsName, Sums);
        server.Serve(Dir + SumsName + signatureSuffix, key.Sign(Sums));
    }

    /// <summary>
    /// A release index in HashiCorp's form (<c>/consul/index.json</c>): each version with a linux
    /// build for each of its architectures.
    /// </summary>
    public static byte[] Index(params (string Version, string[] Architectures)[] releases)
    {
        var versions = new System.Text.Json.Nodes.JsonObject();
        foreach ((string version, string[] architectures) in releases)
        {
            var builds = new System.Text.Json.Nodes.JsonArray();
            foreach (string arch in architectures)
            {
                string name = $"consul_{version}_linux_{arch}.zip";
                builds.Add(new System.Text.Json.Nodes.JsonObject
                {
                    ["name"] = "consul", ["version"] = version, ["os"] = "linux", ["arch"] = arch, ["filename"] = name,
                    ["url"] = $"https://releases.test.invalid/consul/{version}/{name}",
                });
            }

            versions[version] = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "consul", ["version"] = version, ["shasums"] = $"consul_{version}_SHA256SUMS", ["builds"] = builds,
            };
        }

        return Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject { ["name"] = "consul", ["versions"] = versions }.ToJsonString());
    }

    public static byte[] MakeZip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] content) in entries)
            {
                ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.ExternalAttributes = Convert.ToInt32("100755", 8) << 16;
                using Stream s = entry.Open();
                s.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
