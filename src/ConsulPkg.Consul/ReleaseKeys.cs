using System.Reflection;
using ConsulPkg.Debian.OpenPgp;

namespace ConsulPkg.Consul;

/// <summary>
/// The keys trusted to sign a release's SHA256SUMS: HashiCorp's current release key, shipped as
/// data (see Keys/README.md), plus any the user adds with the trusted-keys setting.
/// </summary>
internal static class ReleaseKeys
{
    private const string ShippedKeyResource = "keys/hashicorp-72D7468F.asc";

    /// <summary>HashiCorp's shipped key(s), plus the armored or binary key files given.</summary>
    public static OpenPgpKeyring Load(IEnumerable<string> extraKeyFiles, bool includeShippedKeys = true)
    {
        ArgumentNullException.ThrowIfNull(extraKeyFiles);
        OpenPgpKeyring keys = includeShippedKeys ? Shipped() : OpenPgpKeyring.Empty;
        foreach (string file in extraKeyFiles)
        {
            keys = keys.Add(OpenPgpKeyring.Load(file, "trusted key file"));
        }

        return keys;
    }

    private static OpenPgpKeyring Shipped()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ShippedKeyResource)
            ?? throw new InvalidOperationException($"embedded resource {ShippedKeyResource} is missing from the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return OpenPgpKeyring.Parse(buffer.ToArray(), "the shipped HashiCorp key");
    }
}
