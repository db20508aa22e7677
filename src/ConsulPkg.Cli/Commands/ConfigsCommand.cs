using System.CommandLine;
using ConsulPkg.Consul;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg configs --output DIR</c>: the three agent configurations with one fresh (or given)
/// gossip key; prints where they went and the key's fingerprint, never the key.
/// </summary>
internal static class ConfigsCommand
{
    public static Command Create(CliContext context)
    {
        Option<string> output = new("--output") { Description = "Directory for bootstrap/, server/ and client/consul.json", Required = true, HelpName = "DIR" };
        Option<string?> keyFile = new("--gossip-key-file") { Description = $"File holding the gossip key (else ${GossipKey.EnvironmentVariable}, else a new key)", HelpName = "FILE" };
        Option<int> keyBytes = ConsulOptionParsing.KeyBytesOption("--gossip-key-bytes");
        Option<string?> datacenter = new("--datacenter") { Description = "Consul datacenter (default dc1)" };
        Option<string[]> join = new("--join") { Description = "A server address to join (repeatable; default 172.20.20.10-12)" };
        Option<string?> templates = new("--templates") { Description = "Directory of templates overriding the shipped ones", HelpName = "DIR" };

        var command = new Command("configs", "Write the bootstrap, server and client configurations sharing one gossip key.");
        foreach (Option option in new Option[] { output, keyFile, keyBytes, datacenter, join, templates })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            GossipKey key = ConsulOptionParsing.KeySource(parseResult.GetValue(keyFile), parseResult.GetValue(keyBytes), context)
                .Resolve(context.GetEnvironmentVariable);
            GeneratedConfigs result = ConfigsGenerator.Generate(
                context.ResolvePath(parseResult.GetValue(output)!),
                key,
                ConsulOptionParsing.Agent(parseResult.GetValue(datacenter), parseResult.GetValue(join)),
                parseResult.GetValue(templates) is { } t ? context.ResolvePath(t) : null);
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            foreach ((AgentRole role, string path) in result.Paths)
            {
                stdout.WriteLine($"Wrote {role.ToName()} config {path}");
            }

            stdout.WriteLine($"gossip key fingerprint {result.KeyFingerprint}");
            return ExitCodes.Success;
        });
        return command;
    }
}
