using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Turns a decoder's report of bad data (<see cref="InvalidDataException"/>, or the input ending
/// inside the compressed stream) into a one-line <see cref="InvalidPackageException"/> naming the
/// member and how far into its uncompressed stream the damage is. Anything else (an IO error of
/// the file, a <see cref="CodecException"/>, a bug) passes through as what it is.
/// </summary>
internal sealed class DecompressionGuard(Stream inner, string where, string member) : ReadOnlyForwardStream
{
    private long _position;

    public override int Read(Span<byte> buffer)
    {
        try
        {
            int n = inner.Read(buffer);
            _position += n;
            return n;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidPackageException($"{where}: corrupt compressed data ({MessageText.Flatten(e.Message)})", member, _position, e);
        }
    }
}
