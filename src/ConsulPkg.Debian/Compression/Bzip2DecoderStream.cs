using ConsulPkg.Debian.IO;
using ICSharpCode.SharpZipLib.BZip2;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Reads bzip2 through SharpZipLib (bzip2 is read-only here: dpkg still unpacks it, nothing
/// should write it any more). SharpZipLib reports corruption with its own exception types;
/// this wrapper turns them, and a stream that ends inside a block, into
/// <see cref="InvalidDataException"/>. Blocks are at most 900 kB, so memory stays bounded
/// whatever the input claims. Disposing leaves the input open.
/// </summary>
internal sealed class Bzip2DecoderStream : ReadOnlyForwardStream
{
    private readonly BZip2InputStream _inner;

    public Bzip2DecoderStream(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            _inner = new BZip2InputStream(input) { IsStreamOwner = false };
        }
        catch (Exception e) when (IsFormatError(e))
        {
            throw Translate(e);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _inner.Read(buffer);
        }
        catch (Exception e) when (IsFormatError(e))
        {
            throw Translate(e);
        }
    }

    /// <summary>
    /// SharpZipLib signals a stream that ends inside a block with <see cref="EndOfStreamException"/>
    /// and corruption with its own exception types; I/O errors of the input pass through.
    /// </summary>
    private static bool IsFormatError(Exception e) =>
        e is EndOfStreamException || (e is not IOException and not OutOfMemoryException and not ObjectDisposedException);

    private static InvalidDataException Translate(Exception e) => e switch
    {
        InvalidDataException invalid => invalid,
        EndOfStreamException => new InvalidDataException("bzip2: compressed data is truncated", e),
        _ => new InvalidDataException($"bzip2: {e.Message}", e),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
