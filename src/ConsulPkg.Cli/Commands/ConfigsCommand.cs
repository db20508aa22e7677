using System.CommandLine;
using ConsulPkg.Consul;
using ConsulPkg.Consul.Versions;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg configs --output DIR</c>: the three agent configurations with one fresh (or given)
/// gossip key; prints where they went and the key's fingerprint, never the key. When the configs
/// it replaces held another key, it says that running agents keep that one until it is rotated.
/// </summary>
internal static class ConfigsCommand
{
    /// <summary>The tutorial's release, as the README's first command packages.</summary>
    public const string DefaultConsulVersion = "0.7.2";

    public static Command Create(CliContext context)
    {
        Option<string> output = new("--output") { Description = "Directory for bootstrap/, server/ and client/consul.json", Required = true, HelpName = "DIR" };
        Option<string> version = new("--consul-version") { Description = $"Consul release the configs are for (default {DefaultConsulVersion}): its keys and key size", DefaultValueFactory = _ => DefaultConsulVersion, HelpName = "VERSION" };
        var agent = new ConsulOptionParsing.AgentOptions();

        var command = new Command("configs", "Write the bootstrap, server and client configurations sharing one gossip key.");
        command.Options.Add(output);
        command.Options.Add(version);
        agent.AddTo(command);

        command.SetAction(parseResult =>
        {
            ConsulFacts facts = ConsulVersionFacts.For(ReleaseVersion.Parse(parseResult.GetValue(version)!));
            GossipKeyDelivery delivery = agent.Delivery(parseResult);
            GossipKey? key = delivery == GossipKeyDelivery.Embedded ? agent.KeySource(parseResult, context).Resolve(facts) : null;
            GeneratedConfigs result = ConfigsGenerator.Generate(
                context.ResolvePath(parseResult.GetValue(output)!),
                key,
                agent.Agent(parseResult),
                facts,
                context.IsPrivileged,
                agent.TemplatesDirectory(parseResult, context),
                delivery);
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            foreach ((AgentRole role, string path) in result.Paths)
            {
                stdout.WriteLine($"Wrote {role.ToName()} config {path}");
            }

            stdout.WriteLine(ConsulOptionParsing.DescribeKey(delivery, result.KeyFingerprint));
            foreach (string old in result.ReplacedKeyFingerprints)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(
                    $"note: the replaced configs held gossip key {old}; agents that already ran keep it in their keyring and ignore 'encrypt': "
                    + "rotate them with consul-pkg keyring rotate (docs/consul-recipe.md: rotating the gossip key)");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
