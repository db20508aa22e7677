namespace ConsulPkg.Testing.Releases;

/// <summary>Test signing keys, generated once per test run (RSA generation is the slow part).</summary>
public static class TestKeys
{
    private static readonly Lazy<TestPgpKey> TrustedKey = new(() => TestPgpKey.Generate("Test Release Key <release@test.invalid>"));
    private static readonly Lazy<TestPgpKey> OtherKey = new(() => TestPgpKey.Generate("Someone Else <other@test.invalid>"));

    /// <summary>The key the tests trust with --trusted-key.</summary>
    public static TestPgpKey Trusted => TrustedKey.Value;

    /// <summary>A key nobody trusts.</summary>
    public static TestPgpKey Other => OtherKey.Value;

    /// <summary>A gossip key fixed for the tests, so output can be searched for it.</summary>
    public const string GossipKeyBase64 = "q7RGz1+Akm8nKj/vyYq0YA=="; // with + and /, which JSON encoders like to escape
}
