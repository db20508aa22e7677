namespace ConsulPkg.Repository.Tests.Support;

/// <summary>
/// The signing keys the repository tests need, made once per fixture by gpg: RSA (armored) and
/// Ed25519 with a signing subkey (binary) that sign, each also as a public keyring alone; one
/// protected by a passphrase; one expired;
/// a public key alone; and an unrelated key for a client that trusts the wrong one.
/// </summary>
internal sealed class TestSigningKeys : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    private readonly GpgHome _gpg = new();
    private readonly TempDirectory _files = new("consul-pkg-keys-");

    public TestSigningKeys()
    {
        _gpg.Generate("RSA Repo <rsa@repo.invalid>", "rsa3072");
        RsaArmored = _gpg.ExportSecret("rsa@repo.invalid", _files.Combine("rsa.asc"), armor: true);
        RsaFingerprint = _gpg.Fingerprint("rsa@repo.invalid");

        _gpg.Generate("Ed Repo <ed@repo.invalid>", "ed25519");
        _gpg.AddSigningSubkey("ed@repo.invalid", "ed25519");
        Ed25519Binary = _gpg.ExportSecret("ed@repo.invalid", _files.Combine("ed25519.gpg"), armor: false);
        Ed25519PublicKeyring = _gpg.ExportPublic("ed@repo.invalid", _files.Combine("ed25519-public.gpg"));
        Ed25519Fingerprint = _gpg.Fingerprint("ed@repo.invalid");

        _gpg.Generate("Locked Repo <locked@repo.invalid>", "ed25519", passphrase: Passphrase);
        Protected = _gpg.ExportSecret("locked@repo.invalid", _files.Combine("locked.asc"), armor: true, Passphrase);
        PassphraseFile = _files.WriteFile("passphrase", Passphrase + "\n");
        WrongPassphraseFile = _files.WriteFile("wrong-passphrase", "not it\n");

        _gpg.Generate("Expired Repo <expired@repo.invalid>", "ed25519", expire: "1d");
        Expired = _gpg.ExportSecret("expired@repo.invalid", _files.Combine("expired.asc"), armor: true);

        PublicOnly = _gpg.ExportPublic("rsa@repo.invalid", _files.Combine("rsa-public.gpg"));

        _gpg.Generate("Other <other@repo.invalid>", "ed25519");
        OtherPublicKeyring = _gpg.ExportPublic("other@repo.invalid", _files.Combine("other-keyring.gpg"));
    }

    public string RsaArmored { get; }

    public string RsaFingerprint { get; }

    public string Ed25519Binary { get; }

    /// <summary>The Ed25519 key's public half alone, as a client trusting only it holds it.</summary>
    public string Ed25519PublicKeyring { get; }

    public string Ed25519Fingerprint { get; }

    public string Protected { get; }

    public string PassphraseFile { get; }

    public string WrongPassphraseFile { get; }

    public string Expired { get; }

    public string PublicOnly { get; }

    /// <summary>A binary keyring holding only a key that signs nothing here.</summary>
    public string OtherPublicKeyring { get; }

    public void Dispose()
    {
        _gpg.Dispose();
        _files.Dispose();
    }
}
