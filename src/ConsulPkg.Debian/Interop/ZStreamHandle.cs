namespace ConsulPkg.Debian.Interop;

/// <summary>A <c>z_stream</c> and zlib's inflate state (<c>inflateEnd</c> refuses, harmlessly, a stream never initialised).</summary>
internal sealed unsafe class ZStreamHandle : NativeStreamHandle<LibZ.ZStream>
{
    protected override void End(LibZ.ZStream* stream) => _ = LibZ.InflateEnd(stream);
}
