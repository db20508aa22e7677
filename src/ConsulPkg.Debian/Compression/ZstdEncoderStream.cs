using ConsulPkg.Debian.Compression.Native;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Writes one zstd frame through libzstd with a content checksum, as the zstd tool writes.
/// libzstd's multi-threaded mode cuts the input into jobs of a size derived from the level
/// alone, and its output is the same for every worker count >= 1 (single-threaded mode, 0
/// workers, writes different bytes). So the worker count is always at least 1, whatever the
/// machine: the cores change the speed, never the bytes. Disposing ends the frame and leaves
/// the output open.
/// </summary>
internal sealed unsafe class ZstdEncoderStream : Stream
{
    private const int OutBufferSize = 128 * 1024;

    private readonly Stream _output;
    private readonly byte[] _outBuffer = new byte[OutBufferSize];
    private nint _cctx;
    private bool _failed;

    public ZstdEncoderStream(Stream output, int level, int workers)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        int max = LibZstd.MaxCLevel();
        if (level < 1 || level > max)
        {
            throw new PackageException($"zstd level {level} is out of range; use 1 to {max}");
        }

        _output = output;
        _cctx = LibZstd.CreateCCtx();
        if (_cctx == 0)
        {
            throw new InvalidOperationException("zstd: cannot create a compression context");
        }

        try
        {
            Set(LibZstd.CompressionLevel, level);
            Set(LibZstd.ChecksumFlag, 1);
            Set(LibZstd.NbWorkers, workers);
        }
        catch
        {
            LibZstd.FreeCCtx(_cctx);
            _cctx = 0;
            throw;
        }
    }

    private void Set(int parameter, int value)
    {
        nuint ret = LibZstd.CCtxSetParameter(_cctx, parameter, value);
        if (LibZstd.Failed(ret))
        {
            throw new PackageException($"zstd: cannot set parameter {parameter} to {value}: {LibZstd.ErrorName(ret)}");
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_cctx == 0, this);
        if (buffer.IsEmpty)
        {
            return;
        }

        fixed (byte* src = buffer)
        {
            var input = new LibZstd.InBuffer { Src = src, Size = (nuint)buffer.Length };
            while (input.Pos < input.Size)
            {
                Compress(&input, LibZstd.Continue);
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Flushes only the output: a zstd flush would end a block early and change the bytes.</summary>
    public override void Flush() => _output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>One ZSTD_compressStream2 call; returns its hint (0 once a frame end is fully flushed).</summary>
    private nuint Compress(LibZstd.InBuffer* input, int endOp)
    {
        nuint ret;
        int produced;
        fixed (byte* dst = _outBuffer)
        {
            var output = new LibZstd.OutBuffer { Dst = dst, Size = OutBufferSize };
            ret = LibZstd.CompressStream2(_cctx, &output, input, endOp);
            produced = (int)output.Pos;
        }

        if (LibZstd.Failed(ret))
        {
            _failed = true;
            throw new PackageException($"zstd: compression failed: {LibZstd.ErrorName(ret)}");
        }

        if (produced > 0)
        {
            try
            {
                _output.Write(_outBuffer, 0, produced);
            }
            catch
            {
                _failed = true;
                throw;
            }
        }

        return ret;
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && _cctx != 0 && !_failed)
            {
                var input = default(LibZstd.InBuffer);
                while (Compress(&input, LibZstd.End) != 0)
                {
                }
            }
        }
        finally
        {
            if (_cctx != 0)
            {
                LibZstd.FreeCCtx(_cctx);
                _cctx = 0;
            }

            base.Dispose(disposing);
        }
    }

    ~ZstdEncoderStream() => Dispose(false);
}
