using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace ConsulPkg.Testing.Releases;

/// <summary>An OpenPGP RSA key made for the tests: signs like HashiCorp's release key does (detached, binary).</summary>
public sealed class TestPgpKey
{
    private readonly PgpKeyPair _pair;

    public string ArmoredPublicKey { get; }

    private TestPgpKey(PgpKeyPair pair, string armored)
    {
        _pair = pair;
        ArmoredPublicKey = armored;
    }

    public static TestPgpKey Generate(string userId)
    {
        var random = new SecureRandom();
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), random, 2048, 12));
        AsymmetricCipherKeyPair keys = generator.GenerateKeyPair();
        var pair = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, keys, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var ring = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification, pair, userId, SymmetricKeyAlgorithmTag.Aes256, Array.Empty<char>(), true, null, null, random);
        using var buffer = new MemoryStream();
        using (var armor = new ArmoredOutputStream(buffer))
        {
            ring.GeneratePublicKeyRing().Encode(armor);
        }

        return new TestPgpKey(pair, Encoding.ASCII.GetString(buffer.ToArray()));
    }

    /// <summary>A detached, armored signature of <paramref name="data"/>, as <c>gpg --detach-sign --armor</c> makes.</summary>
    public byte[] Sign(byte[] data)
    {
        var generator = new PgpSignatureGenerator(PublicKeyAlgorithmTag.RsaGeneral, HashAlgorithmTag.Sha256);
        generator.InitSign(PgpSignature.BinaryDocument, _pair.PrivateKey);
        generator.Update(data);
        using var buffer = new MemoryStream();
        using (var armor = new ArmoredOutputStream(buffer))
        {
            generator.Generate().Encode(armor);
        }

        return buffer.ToArray();
    }
}
