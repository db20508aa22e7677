using System.Runtime.InteropServices;

namespace ConsulPkg.Debian.Interop;

/// <summary>
/// Owns one C library stream struct (<typeparamref name="T"/>: <c>z_stream</c>,
/// <c>lzma_stream</c>) in zeroed native memory, which is how both libraries want a fresh one, at
/// a fixed address the library may keep pointers to. Releasing lets the library free what it
/// attached (<see cref="End"/>) and then frees the struct, also when a stream is never disposed.
/// </summary>
internal abstract unsafe class NativeStreamHandle<T> : SafeHandle
    where T : unmanaged
{
    protected NativeStreamHandle()
        : base(0, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(T)));
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The struct, for setting buffers around a call; valid while this handle is not disposed.</summary>
    public T* Stream => (T*)handle;

    /// <summary>The library's own end call; it must accept a struct no coder was ever started on.</summary>
    protected abstract void End(T* stream);

    protected sealed override bool ReleaseHandle()
    {
        End((T*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
