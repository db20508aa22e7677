using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>
/// A Consul gossip encryption key (the agent's <c>encrypt</c> setting): 16, 24 or 32 random bytes,
/// standard base64. It is a shared secret: <see cref="ToString"/> shows only a fingerprint, and no
/// message this type produces contains the key or any part of it.
/// </summary>
public sealed class GossipKey
{
    public const string EnvironmentVariable = "CONSUL_PKG_GOSSIP_KEY";

    private readonly byte[] _bytes;

    private GossipKey(byte[] bytes) => _bytes = bytes;

    /// <summary>Key length in bytes (16 for <c>consul keygen</c> before 1.6, 32 from 1.6).</summary>
    public int Length => _bytes.Length;

    /// <summary>A new key from the OS's cryptographic RNG, as <c>consul keygen</c> makes.</summary>
    public static GossipKey Generate(int bytes = 16)
    {
        if (bytes is not (16 or 24 or 32))
        {
            throw new PackageException($"invalid gossip key size {bytes}: use 16 (Consul before 1.6), 24 or 32 bytes");
        }

        return new GossipKey(RandomNumberGenerator.GetBytes(bytes));
    }

    /// <summary>Parses a base64 key. <paramref name="sourceName"/> names where it came from, for messages (never the value).</summary>
    public static GossipKey Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(trimmed);
        }
        catch (FormatException)
        {
            // Deliberately no inner exception: it might quote the input.
            throw new PackageException($"the gossip key from {sourceName} is not valid base64: generate one with 'consul-pkg keygen'");
        }

        if (bytes.Length is not (16 or 24 or 32))
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new PackageException(
                $"the gossip key from {sourceName} decodes to {bytes.Length} bytes; Consul accepts 16, 24 or 32: generate one with 'consul-pkg keygen'");
        }

        return new GossipKey(bytes);
    }

    /// <summary>Parses a key and checks its size against what <paramref name="facts"/>' version accepts.</summary>
    public static GossipKey Parse(string text, string sourceName, ConsulFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Parse(text, sourceName).AcceptedBy(facts, sourceName);
    }

    /// <summary>This key, if <paramref name="facts"/>' version accepts its size; a clear error otherwise.</summary>
    public GossipKey AcceptedBy(ConsulFacts facts, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.AcceptedKeyBytes.Contains(Length))
        {
            throw new PackageException(
                $"the gossip key from {sourceName} is {Length} bytes; Consul {facts.Version} accepts {string.Join(", ", facts.AcceptedKeyBytes)}: generate one with 'consul-pkg keygen --bytes {facts.KeygenBytes}'");
        }

        return this;
    }

    /// <summary>A key file holds one base64 line (at most 44 characters); anything larger is not a key file.</summary>
    public const int MaxFileBytes = 1024;

    /// <summary>
    /// Reads a key from a file holding it as base64 (surrounding whitespace ignored), at most
    /// <see cref="MaxFileBytes"/> of a regular file (<see cref="SecretFile"/>).
    /// </summary>
    public static GossipKey FromFile(string path) =>
        SecretFile.Read(path, MaxFileBytes, "gossip key file", "create it with 'consul-pkg keygen > FILE'",
            content => Parse(Encoding.UTF8.GetString(content), $"file '{path}'"));

    /// <summary>
    /// The key as Consul reads it. Only for writing into a configuration file; never log it.
    /// </summary>
    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>
    /// "sha256:" and the first 8 bytes of the SHA-256 of the raw key, in hex: enough to tell keys
    /// apart across machines, useless for recovering the key.
    /// </summary>
    public string Fingerprint => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_bytes).AsSpan(0, 8));

    /// <summary>
    /// <paramref name="text"/> with the key, and any run of 8 or more of its base64 characters,
    /// replaced by its fingerprint: for messages built from text a template produced.
    /// </summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string key = ToBase64();
        string result = text.Replace(key, $"<gossip key {Fingerprint}>", StringComparison.Ordinal);
        const int Shortest = 8;
        for (int length = key.Length - 1; length >= Shortest; length--)
        {
            for (int start = 0; start + length <= key.Length; start++)
            {
                string part = key.Substring(start, length);
                if (result.Contains(part, StringComparison.Ordinal))
                {
                    result = result.Replace(part, "<part of the gossip key>", StringComparison.Ordinal);
                }
            }
        }

        return result;
    }

    /// <summary>Never the key itself.</summary>
    public override string ToString() => $"gossip key {Length * 8} bits, {Fingerprint}";
}

/// <summary>Where <c>build</c> and <c>configs</c> take the gossip key from: a file, the environment, or a new one.</summary>
public sealed record GossipKeySource
{
    /// <summary>A file holding the key (wins over the environment).</summary>
    public string? File { get; init; }

    /// <summary>The value of <see cref="GossipKey.EnvironmentVariable"/> as the caller read it; null or blank: unset.</summary>
    public string? EnvironmentValue { get; init; }

    /// <summary>Size of a generated key when neither gives one; null: what that version's <c>consul keygen</c> makes.</summary>
    public int? GenerateBytes { get; init; }

    public static GossipKeySource Default { get; } = new();

    /// <summary>The key for <paramref name="facts"/>' version: given keys are checked against its sizes.</summary>
    public GossipKey Resolve(ConsulFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (File is not null)
        {
            return GossipKey.FromFile(File).AcceptedBy(facts, $"file '{File}'");
        }

        if (!string.IsNullOrWhiteSpace(EnvironmentValue))
        {
            string source = $"environment variable {GossipKey.EnvironmentVariable}";
            return GossipKey.Parse(EnvironmentValue, source).AcceptedBy(facts, source);
        }

        return GossipKey.Generate(GenerateBytes ?? facts.KeygenBytes);
    }
}
