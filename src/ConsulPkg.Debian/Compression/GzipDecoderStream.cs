using System.Runtime.InteropServices;
using ConsulPkg.Debian.Compression.Native;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Reads gzip through zlib's inflate: one or more members in a row, each verified against its
/// CRC32 and length trailer. Like gzip and zlib's gzread, bytes after a complete member that
/// do not start another member are ignored; a member cut short raises
/// <see cref="InvalidDataException"/>, as does input that holds no member at all. Memory is
/// zlib's fixed 32 KiB window plus the buffers here. Disposing leaves the input open.
/// </summary>
internal sealed unsafe class GzipDecoderStream : ReadOnlyForwardStream
{
    private const int InBufferSize = 64 * 1024;

    private readonly Stream _input;
    private readonly byte[] _inBuffer = new byte[InBufferSize];
    private int _inStart;
    private int _inEnd;
    private bool _inputEnded;

    /// <summary>True between members: after a member's trailer, before deciding whether another follows.</summary>
    private bool _betweenMembers;
    private bool _finished;
    private LibZ.ZStream* _strm;

    public GzipDecoderStream(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _strm = (LibZ.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibZ.ZStream));
        int ret = LibZ.InflateInit2(_strm, LibZ.GzipWindowBits, LibZ.ZlibVersion(), sizeof(LibZ.ZStream));
        if (ret != LibZ.Ok)
        {
            FreeNative();
            throw new CodecException($"gzip: cannot start zlib's inflate (error {ret})");
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
            if (_betweenMembers && !StartNextMember())
            {
                _finished = true;
                return 0;
            }

            if (_inStart == _inEnd && !_inputEnded)
            {
                Refill();
            }

            int ret;
            int consumed;
            int produced;
            int available = _inEnd - _inStart;
            fixed (byte* inPtr = _inBuffer)
            fixed (byte* outPtr = buffer)
            {
                _strm->NextIn = inPtr + _inStart;
                _strm->AvailIn = (uint)available;
                _strm->NextOut = outPtr;
                _strm->AvailOut = (uint)Math.Min(buffer.Length, int.MaxValue);
                ret = LibZ.Inflate(_strm, LibZ.NoFlush);
                consumed = available - (int)_strm->AvailIn;
                produced = (int)Math.Min(buffer.Length, int.MaxValue) - (int)_strm->AvailOut;
                _strm->NextIn = null;
                _strm->NextOut = null;
            }

            _inStart += consumed;
            if (ret == LibZ.StreamEnd)
            {
                _betweenMembers = true;
            }
            else if (ret == LibZ.BufError && _inputEnded)
            {
                throw new InvalidDataException("gzip: compressed data is truncated");
            }
            else if (ret != LibZ.Ok && ret != LibZ.BufError)
            {
                throw new InvalidDataException($"gzip: {LibZ.Describe(_strm, ret)}");
            }

            if (produced > 0)
            {
                return produced;
            }

            // No output: zlib needs more input (read above on the next pass), or a member just
            // ended. Once the input has ended, inflate answers BUF_ERROR, so this terminates.
        }
    }

    /// <summary>
    /// After a member: true (and zlib reset) when the next bytes are a gzip magic, false at the
    /// end of the input or before trailing bytes that are not a member.
    /// </summary>
    private bool StartNextMember()
    {
        if (_inEnd - _inStart < 2 && !_inputEnded)
        {
            // Keep the byte we may have and read more after it.
            Buffer.BlockCopy(_inBuffer, _inStart, _inBuffer, 0, _inEnd - _inStart);
            _inEnd -= _inStart;
            _inStart = 0;
            while (_inEnd < 2 && !_inputEnded)
            {
                int n = _input.Read(_inBuffer, _inEnd, InBufferSize - _inEnd);
                _inEnd += n;
                _inputEnded = n == 0;
            }
        }

        if (_inEnd - _inStart < 2 || _inBuffer[_inStart] != 0x1F || _inBuffer[_inStart + 1] != 0x8B)
        {
            return false;
        }

        if (LibZ.InflateReset(_strm) != LibZ.Ok)
        {
            throw new CodecException("gzip: zlib refused to start the next member");
        }

        _betweenMembers = false;
        return true;
    }

    private void Refill()
    {
        _inStart = 0;
        _inEnd = _input.Read(_inBuffer, 0, InBufferSize);
        _inputEnded = _inEnd == 0;
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
            // inflateEnd fails only on a stream it never initialised; nothing to report then.
            _ = LibZ.InflateEnd(_strm);
            NativeMemory.Free(_strm);
            _strm = null;
        }
    }

    ~GzipDecoderStream() => Dispose(false);
}
