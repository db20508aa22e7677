using System.CommandLine;
using ConsulPkg.Consul;

namespace ConsulPkg.Cli.Commands;

/// <summary><c>consul-pkg keygen</c>: a new gossip key on stdout, as <c>consul keygen</c> prints it.</summary>
internal static class KeygenCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        Option<int> bytes = ConsulOptionParsing.KeyBytesOption("--bytes");
        var command = new Command("keygen", "Print a new gossip encryption key (base64), like 'consul keygen'.");
        command.Options.Add(bytes);
        command.SetAction(parseResult =>
        {
            GossipKey key = GossipKey.Generate(parseResult.GetValue(bytes));
            // The one place a key is printed: the user asked for it, on stdout only, to redirect into a file.
            parseResult.InvocationConfiguration.Output.WriteLine(key.ToBase64());
            return ExitCodes.Success;
        });
        return command;
    }
}
