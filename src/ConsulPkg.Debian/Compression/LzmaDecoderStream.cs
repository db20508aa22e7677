using System.Runtime.InteropServices;
using ConsulPkg.Debian.Compression.Native;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Reads an .xz stream (concatenated streams accepted, as xz and dpkg accept them) or a legacy
/// .lzma ("LZMA alone") stream through liblzma. Memory is capped by <see cref="MemoryLimit"/>,
/// so a header that claims a huge dictionary is refused instead of allocated. Truncated or
/// corrupt input raises <see cref="InvalidDataException"/>; disposing leaves the input open.
/// </summary>
internal sealed unsafe class LzmaDecoderStream : ReadOnlyForwardStream
{
    /// <summary>
    /// 128 MiB: twice what the largest xz preset (-9, 64 MiB dictionary) needs to decode, and far
    /// below anything that would hurt the machine.
    /// </summary>
    internal const ulong MemoryLimit = 128UL << 20;

    private const int InBufferSize = 64 * 1024;

    private readonly Stream _input;
    private readonly string _formatName;
    private readonly byte[] _inBuffer = new byte[InBufferSize];
    private int _inStart;
    private int _inEnd;
    private bool _inputEnded;
    private bool _finished;
    private LibLzma.LzmaStream* _strm;

    public LzmaDecoderStream(Stream input, bool alone)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _formatName = alone ? "lzma" : "xz";
        _strm = (LibLzma.LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibLzma.LzmaStream));
        int ret = alone
            ? LibLzma.AloneDecoder(_strm, MemoryLimit)
            : LibLzma.StreamDecoder(_strm, MemoryLimit, LibLzma.Concatenated);
        if (ret != LibLzma.Ok)
        {
            FreeNative();
            throw new CodecException($"{_formatName}: cannot start the decoder: {LibLzma.Describe(ret)}");
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_strm == null, this);
        if (buffer.IsEmpty || _finished)
        {
            return 0;
        }

        while (true)
        {
            if (_inStart == _inEnd && !_inputEnded)
            {
                _inStart = 0;
                _inEnd = _input.Read(_inBuffer, 0, InBufferSize);
                _inputEnded = _inEnd == 0;
            }

            int ret;
            int consumed;
            int produced;
            fixed (byte* inPtr = _inBuffer)
            fixed (byte* outPtr = buffer)
            {
                _strm->NextIn = inPtr + _inStart;
                _strm->AvailIn = (nuint)(_inEnd - _inStart);
                _strm->NextOut = outPtr;
                _strm->AvailOut = (nuint)buffer.Length;
                ret = LibLzma.Code(_strm, _inputEnded ? LibLzma.Finish : LibLzma.Run);
                consumed = _inEnd - _inStart - (int)_strm->AvailIn;
                produced = buffer.Length - (int)_strm->AvailOut;
                _strm->NextIn = null;
                _strm->NextOut = null;
            }

            _inStart += consumed;
            if (ret == LibLzma.StreamEnd)
            {
                _finished = true;
                return produced;
            }

            if (ret != LibLzma.Ok)
            {
                // With LZMA_FINISH and no progress possible, liblzma answers BUF_ERROR: the
                // input ended inside the stream.
                throw new InvalidDataException(ret == LibLzma.MemlimitError
                    ? $"{_formatName}: decoding would need more than {MemoryLimit >> 20} MiB of memory (corrupt header or an oversized dictionary)"
                    : $"{_formatName}: {LibLzma.Describe(ret)}");
            }

            if (produced > 0)
            {
                return produced;
            }

            // No output yet: liblzma needs more input. Each pass either reads input, consumes
            // it, or (once the input ended) gets BUF_ERROR on the second empty call, so this
            // loop always terminates.
        }
    }

    protected override void Dispose(bool disposing)
    {
        FreeNative();
        base.Dispose(disposing);
    }

    private void FreeNative()
    {
        if (_strm != null)
        {
            LibLzma.End(_strm);
            NativeMemory.Free(_strm);
            _strm = null;
        }
    }

    ~LzmaDecoderStream() => Dispose(false);
}
