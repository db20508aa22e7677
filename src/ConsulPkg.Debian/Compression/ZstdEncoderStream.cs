using ConsulPkg.Debian.Interop;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Debian.Compression;

/// <summary>
/// Writes one zstd frame through libzstd with a content checksum, as the zstd tool writes.
/// libzstd's multi-threaded mode cuts the input into jobs of a fixed size
/// (<see cref="DefaultJobSize"/>), and its output is the same for every worker count >= 1
/// (single-threaded mode, 0 workers, writes different bytes). So the worker count is always at least 1, whatever the
/// machine: the cores change the speed, never the bytes. Disposing ends the frame and leaves
/// the output open.
/// </summary>
internal sealed unsafe class ZstdEncoderStream : NativeEncoderStream
{
    /// <summary>
    /// Input bytes per multi-threaded job, fixed so it cannot vary with anything but this
    /// constant. Measured at level 3 on the 42 MB docker binary (zstd -3: 19,692,778 bytes):
    /// libzstd's default job size gives 19,692,774 with ~40 MiB of buffers; 2 MiB jobs give
    /// 19,706,850 (+0.07%) with ~13 MiB, 4 MiB jobs 19,696,591 (+0.02%) with ~26 MiB. The
    /// package build's peak-RSS budget makes the smaller jobs worth the 0.07%.
    /// </summary>
    internal const int DefaultJobSize = 2 << 20;

    private const int OutBufferSize = 128 * 1024;

    private readonly ZstdCompressionContext _cctx;

    public ZstdEncoderStream(Stream output, int level, int workers)
        : this(output, level, workers, DefaultJobSize)
    {
    }

    internal ZstdEncoderStream(Stream output, int level, int workers, int jobSize)
        : base(output, OutBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        // CompressionSettings decides the levels; this only guards the invariant.
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, LibZstd.MaxCLevel());

        _cctx = LibZstd.CreateCCtx();
        if (_cctx.IsInvalid)
        {
            throw new CodecException("zstd: cannot create a compression context");
        }

        try
        {
            Set(LibZstd.CompressionLevel, level);
            Set(LibZstd.ChecksumFlag, 1);
            Set(LibZstd.NbWorkers, workers);
            if (jobSize != 0)
            {
                Set(LibZstd.JobSize, jobSize);
            }
        }
        catch
        {
            _cctx.Dispose();
            throw;
        }
    }

    private void Set(int parameter, int value)
    {
        nuint ret = LibZstd.CCtxSetParameter(_cctx, parameter, value);
        if (LibZstd.Failed(ret))
        {
            throw new CodecException($"zstd: cannot set parameter {parameter} to {value}: {LibZstd.ErrorName(ret)}");
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_cctx.IsClosed, this);
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

    /// <summary>One ZSTD_compressStream2 call; returns its hint (0 once a frame end is fully flushed).</summary>
    private nuint Compress(LibZstd.InBuffer* input, int endOp)
    {
        nuint ret;
        int produced;
        fixed (byte* dst = OutBuffer)
        {
            var output = new LibZstd.OutBuffer { Dst = dst, Size = OutBufferSize };
            ret = LibZstd.CompressStream2(_cctx, &output, input, endOp);
            produced = (int)output.Pos;
        }

        if (LibZstd.Failed(ret))
        {
            throw Failure($"zstd: compression failed: {LibZstd.ErrorName(ret)}");
        }

        Drain(produced);

        return ret;
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_cctx.IsClosed && !Failed)
            {
                var input = default(LibZstd.InBuffer);
                while (Compress(&input, LibZstd.End) != 0)
                {
                }
            }
        }
        finally
        {
            if (disposing)
            {
                _cctx.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
