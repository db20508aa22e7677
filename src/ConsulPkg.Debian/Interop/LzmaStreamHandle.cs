namespace ConsulPkg.Debian.Interop;

/// <summary>An <c>lzma_stream</c> and the coder liblzma attaches to it (<c>lzma_end</c> ignores a stream no coder was started on).</summary>
internal sealed unsafe class LzmaStreamHandle : NativeStreamHandle<LibLzma.LzmaStream>
{
    protected override void End(LibLzma.LzmaStream* stream) => LibLzma.End(stream);
}
