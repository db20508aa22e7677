using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// What the native encoders (liblzma, libzstd) share: a buffer the library fills on each call,
/// drained to the output after it; and once a call or a write to the output has failed, the
/// stream is failed, so disposing does not write a stream end after broken data.
/// </summary>
internal abstract class NativeEncoderStream : WriteOnlyForwardStream
{
    private readonly Stream _output;

    protected NativeEncoderStream(Stream output, int bufferSize)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        OutBuffer = new byte[bufferSize];
    }

    /// <summary>Where the library writes each call's compressed bytes.</summary>
    protected byte[] OutBuffer { get; }

    protected bool Failed { get; private set; }

    /// <summary>Flushes only the output: a flush of the encoder would end a block early and change the bytes.</summary>
    public sealed override void Flush() => _output.Flush();

    /// <summary>Fails the stream; returns the exception to throw.</summary>
    protected CodecException Failure(string message)
    {
        Failed = true;
        return new CodecException(message);
    }

    /// <summary>Writes the first <paramref name="produced"/> bytes of <see cref="OutBuffer"/> to the output.</summary>
    protected void Drain(int produced)
    {
        if (produced <= 0)
        {
            return;
        }

        try
        {
            _output.Write(OutBuffer, 0, produced);
        }
        catch
        {
            Failed = true;
            throw;
        }
    }
}
