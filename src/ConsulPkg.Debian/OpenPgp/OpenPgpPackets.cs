using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>
/// The one reader of OpenPGP data: binary, or armored with any number of blocks one after the
/// other (<c>gpg --export --armor</c> of several keys, or files appended to each other), each
/// block's objects in order and compressed data unpacked.
/// </summary>
internal static class OpenPgpPackets
{
    /// <summary>What <see cref="Read"/> found before the data ended or stopped making sense.</summary>
    /// <param name="Error">Why the reading stopped early, or null when it reached the end.</param>
    public sealed record Reading(IReadOnlyList<PgpObject> Objects, Exception? Error);

    public static Reading Read(ReadOnlySpan<byte> bytes)
    {
        var objects = new List<PgpObject>();
        try
        {
            using Stream decoder = PgpUtilities.GetDecoderStream(new MemoryStream(bytes.ToArray(), writable: false));
            if (decoder is ArmoredInputStream armored)
            {
                // The armored stream ends each block with end-of-stream and starts on the next
                // block when read again: BouncyCastle's own way through concatenated armor.
                do
                {
                    Collect(new PgpObjectFactory(armored), objects);
                }
                while (!armored.IsEndOfStream());
            }
            else
            {
                Collect(new PgpObjectFactory(decoder), objects);
            }
        }
        catch (Exception e) when (e is PgpException or IOException or ArgumentException or InvalidOperationException)
        {
            return new Reading(objects, e);
        }

        return new Reading(objects, null);
    }

    private static void Collect(PgpObjectFactory factory, List<PgpObject> objects)
    {
        while (factory.NextPgpObject() is { } item)
        {
            if (item is PgpCompressedData compressed)
            {
                Collect(new PgpObjectFactory(compressed.GetDataStream()), objects);
            }
            else
            {
                objects.Add(item);
            }
        }
    }
}
