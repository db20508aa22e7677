using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Interop;

/// <summary>
/// A libzstd context as the create call returns it (the marshaller sets the handle, hence the
/// public parameterless constructors), freed once, also when its stream is never disposed. One
/// type per kind, so a decompression context cannot be passed where a compression one belongs.
/// </summary>
internal abstract class ZstdContext : SafeHandle
{
    protected ZstdContext()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected sealed override bool ReleaseHandle()
    {
        _ = Free(handle);
        return true;
    }

    protected abstract nuint Free(nint context);
}

/// <summary>A <c>ZSTD_CCtx*</c> from <see cref="LibZstd.CreateCCtx"/>.</summary>
internal sealed class ZstdCompressionContext : ZstdContext
{
    protected override nuint Free(nint context) => LibZstd.FreeCCtx(context);
}

/// <summary>A <c>ZSTD_DCtx*</c> from <see cref="LibZstd.CreateDCtx"/>.</summary>
internal sealed class ZstdDecompressionContext : ZstdContext
{
    protected override nuint Free(nint context) => LibZstd.FreeDCtx(context);
}
