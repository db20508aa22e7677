using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Turns a decompressor's own failure (InvalidDataException, or whatever a codec throws on
/// garbage) into a one-line <see cref="PackageException"/> naming the member.
/// </summary>
internal sealed class DecompressionGuard(Stream inner, string where) : ReadOnlyForwardStream
{
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (PackageException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or FormatException or ArgumentException or NotSupportedException)
        {
            throw new PackageException($"{where}: corrupt compressed data ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

}
