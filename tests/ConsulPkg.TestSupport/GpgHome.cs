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
    public string Generate(string uid, string algorithm, string expire = "never", string? passphrase = null, string usage = "sign")
    {
        Gpg(passphrase, "--faked-system-time", KeyCreation.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "--quick-gen-key", uid, algorithm, usage, expire);
        return Fingerprint(uid);
    }

    /// <summary>Adds a signing subkey of <paramref name="algorithm"/> to the key of <paramref name="uid"/>.</summary>
    public void AddSigningSubkey(string uid, string algorithm) =>
        Gpg(null, "--faked-system-time", KeyCreation.AddDays(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "--quick-add-key", Fingerprint(uid), algorithm, "sign", "never");

    /// <summary>
    /// Adds a subkey (<c>gpg --quick-add-key FPR ALGO USAGE EXPIRE</c>) made at <paramref name="at"/>
    /// and returns its fingerprint; <paramref name="usage"/> is gpg's: sign, encr, auth.
    /// </summary>
    public string AddSubkey(string uid, string algorithm, string usage, string expire, DateTimeOffset at)
    {
        string primary = Fingerprint(uid);
        Gpg(null, "--faked-system-time", Seconds(at), "--quick-add-key", primary, algorithm, usage, expire);
        return Gpg(null, "--with-colons", "--list-keys", primary).Split('\n')
            .Where(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Select(l => l.Split(':')[9]).Last();
    }

    /// <summary>
    /// Revokes the key of <paramref name="fingerprint"/> with a revocation dated <paramref name="at"/>,
    /// giving <paramref name="reasonCode"/> (RFC 9580: 0 none, 1 superseded, 2 compromised, 3 retired)
    /// through gpg's own dialogue, as a user would.
    /// </summary>
    public void Revoke(string fingerprint, int reasonCode, DateTimeOffset at)
    {
        // gpg's menu numbers the reasons otherwise: 0 none, 1 compromised, 2 superseded, 3 no longer used.
        int menu = reasonCode switch { 0 => 0, 1 => 2, 2 => 1, 3 => 3, _ => throw new ArgumentOutOfRangeException(nameof(reasonCode)) };
        ProcessResult made = ProcessRunner.Run("gpg",
            ["--homedir", _home.Path, "--no-tty", "--pinentry-mode", "loopback", "--passphrase", string.Empty, "--faked-system-time", Seconds(at),
             "--command-fd", "0", "--gen-revoke", fingerprint],
            stdin: System.Text.Encoding.ASCII.GetBytes($"y\n{menu}\n\ny\n"));
        if (made.ExitCode != 0 || made.StdOutBytes.Length == 0)
        {
            throw new InvalidOperationException($"gpg --gen-revoke failed ({made.ExitCode}): {made.StdErr}");
        }

        Run("gpg", ["--homedir", _home.Path, "--batch", "--import"], made.StdOutBytes);
    }

    /// <summary>A signature of <paramref name="dataFile"/> by <paramref name="signer"/> (a fingerprint, a trailing ! picks that subkey) made at <paramref name="at"/>.</summary>
    public byte[] Sign(string signer, string dataFile, DateTimeOffset at, string digest = "SHA256", bool clear = false) =>
        GpgBytes(null, "--faked-system-time", Seconds(at), "--digest-algo", digest, "--local-user", signer,
            clear ? "--clearsign" : "--detach-sign", "--output", "-", dataFile);

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

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static byte[] Run(string program, string[] arguments, byte[]? stdin = null)
    {
        ProcessResult result = ProcessRunner.Run(program, arguments, stdin: stdin);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StdErr}");
        }

        return result.StdOutBytes;
    }
}
