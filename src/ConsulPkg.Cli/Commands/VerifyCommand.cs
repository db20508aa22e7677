using System.CommandLine;
using System.Globalization;
using ConsulPkg.Debian;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// <c>consul-pkg verify FILE.deb --trusted-key KEY...</c>: checks the package's debsigs origin
/// signature against the keys given, by the same policy as every signature the tool checks, with
/// no gpg and no keyring on the machine. Exit 0 when a trusted key signed it, 1 with one line saying why not.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The signed .deb to check" };
        Option<string[]> trustedKeys = new("--trusted-key")
        {
            Description = "An OpenPGP public key trusted to sign packages, armored or binary (repeatable)",
            Required = true,
            HelpName = "KEY",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("verify", "Check a package's signature (debsigs' _gpgorigin) against trusted keys, as debsig-verify does.") { file, trustedKeys };
        command.SetAction(parseResult =>
        {
            OpenPgpKeyring keys = parseResult.GetRequiredValue(trustedKeys)
                .Aggregate(OpenPgpKeyring.Empty, (all, key) => all.Add(OpenPgpKeyring.Load(context.ResolvePath(key), "trusted key file")));
            string given = parseResult.GetRequiredValue(file);
            string path = context.ResolvePath(given);
            if (!File.Exists(path))
            {
                throw new PackageException($"{given}: no such file");
            }

            GoodSignature good = DebSignature.Verify(path, new SignatureVerifier(keys), context.Now());
            parseResult.InvocationConfiguration.Output.WriteLine(
                $"{given}: good signature by key {good.SignerFingerprint}"
                + (good.SignerFingerprint == good.PrimaryFingerprint ? "" : $" (primary key {good.PrimaryFingerprint})")
                + $", made {good.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
