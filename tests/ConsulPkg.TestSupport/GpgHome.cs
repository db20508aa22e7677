using System.Globalization;

namespace ConsulPkg.Testing;

/// <summary>
/// Test signing keys made by the real gpg in a private GNUPGHOME (never the user's), created at a
/// fixed past time so that signatures dated "now" or a few days ago postdate them. The product
/// itself never runs gpg; the tests use it to make keys and gpgv to judge signatures.
/// </summary>
public sealed class GpgHome : IDisposable
{
    /// <summary>2020-01-01T00:00:00Z: when every test key is made.</summary>
    public static readonly DateTimeOffset KeyCreation = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _home = new("consul-pkg-gpg-");

    public GpgHome() => File.SetUnixFileMode(_home.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    public string Path => _home.Path;

    /// <summary>Makes a key (<c>gpg --quick-gen-key UID ALGO USAGE EXPIRE</c>) and returns its fingerprint.</summary>
    public string Generate(string uid, string algorithm, string expire = "never", string? passphrase = null)
    {
        Gpg(passphrase, "--faked-system-time", KeyCreation.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "--quick-gen-key", uid, algorithm, "sign", expire);
        return Fingerprint(uid);
    }

    /// <summary>Adds a signing subkey of <paramref name="algorithm"/> to the key of <paramref name="uid"/>.</summary>
    public void AddSigningSubkey(string uid, string algorithm) =>
        Gpg(null, "--faked-system-time", KeyCreation.AddDays(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "--quick-add-key", Fingerprint(uid), algorithm, "sign", "never");

    public string Fingerprint(string uid)
    {
        string listing = Gpg(null, "--with-colons", "--list-keys", uid);
        return listing.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    /// <summary>Writes the secret key (armored or binary) to <paramref name="path"/>.</summary>
    public string ExportSecret(string uid, string path, bool armor, string? passphrase = null)
    {
        File.WriteAllBytes(path, GpgBytes(passphrase, [.. armor ? ["--armor"] : Array.Empty<string>(), "--export-secret-keys", uid]));
        return path;
    }

    public string ExportPublic(string uid, string path)
    {
        File.WriteAllBytes(path, GpgBytes(null, "--export", uid));
        return path;
    }

    /// <summary>Runs gpg in this home with <paramref name="arguments"/>; returns what it wrote to stdout.</summary>
    public byte[] Run(params string[] arguments) => GpgBytes(null, arguments);

    public void Dispose()
    {
        // gpg started an agent for this home; stop it so no process outlives the test.
        Run("gpgconf", ["--homedir", _home.Path, "--kill", "all"]);
        _home.Dispose();
    }

    private string Gpg(string? passphrase, params string[] arguments) =>
        System.Text.Encoding.UTF8.GetString(GpgBytes(passphrase, arguments));

    private byte[] GpgBytes(string? passphrase, params string[] arguments) =>
        Run("gpg", ["--homedir", _home.Path, "--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase ?? string.Empty, .. arguments]);

    private static byte[] Run(string program, string[] arguments)
    {
        ProcessResult result = ProcessRunner.Run(program, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StdErr}");
        }

        return result.StdOutBytes;
    }
}
