using System.Runtime.InteropServices;
using ConsulPkg.Debian.Interop;

namespace ConsulPkg.Debian.IO;

/// <summary>
/// Bytes written straight to an inherited file descriptor (standard output or error) with
/// write(2), which the descriptor keeps open after the stream is disposed. Not System.Console's
/// streams: their first write sets the terminal up for Console's key reading (on a terminal, it
/// writes terminfo's keypad_xmit, never undone). Not a FileStream either: on a regular file it
/// writes at offsets of its own, so standard output and error sharing one file (<c>&gt;log 2&gt;&amp;1</c>)
/// would overwrite each other; write(2) moves the file's one shared offset. As Console's streams
/// do, it waits on a non-blocking descriptor, and drops what a closed pipe (EPIPE) can no longer take.
/// </summary>
internal sealed unsafe class DescriptorWriteStream(int descriptor) : WriteOnlyForwardStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            byte* next = start;
            nint left = buffer.Length;
            while (left > 0)
            {
                nint written = LibC.WriteFile(descriptor, next, left);
                if (written >= 0)
                {
                    next += written;
                    left -= written;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case LibC.EIntr:
                        break;
                    case LibC.EAgain:
                        var wanted = new LibC.PollFd { Fd = descriptor, Events = LibC.PollOut };
                        _ = LibC.Poll(&wanted, 1, -1);
                        break;
                    case LibC.EPipe:
                        return;
                    default:
                        throw new IOException(Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant());
                }
            }
        }
    }

    /// <summary>Nothing is buffered: every write has reached the descriptor.</summary>
    public override void Flush() { }
}
