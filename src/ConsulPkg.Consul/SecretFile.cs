using System.Security.Cryptography;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;
using Microsoft.Win32.SafeHandles;

namespace ConsulPkg.Consul;

/// <summary>
/// Reads a small file holding a secret (a gossip key, an ACL token) given by path. Only a regular
/// file is read, and at most a given size of it: a device such as /dev/zero would never end and a
/// FIFO would block until someone writes to it. The open never blocks and the type is judged on
/// the handle, so a path that is (or has just become) a FIFO can neither make the open wait nor be read.
/// </summary>
internal static class SecretFile
{
    /// <param name="what">What the file is, for messages: "gossip key file".</param>
    /// <param name="fix">How to make a good one, for messages: "create it with 'consul-pkg keygen > FILE'".</param>
    /// <param name="parse">Turns the content into the value; the buffer is zeroed afterwards, whatever happens.</param>
    public static T Read<T>(string path, int maxBytes, string what, string fix, Func<ReadOnlySpan<byte>, T> parse)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parse);
        byte[] buffer = new byte[maxBytes + 1];
        int length = 0;
        try
        {
            try
            {
                using SafeFileHandle handle = HostFiles.OpenForReading(path, out FileStatus status);
                if (status.Type != UnixFileType.Regular)
                {
                    throw new PackageException($"{what} '{path}' is a {FileStatus.Describe(status.Type)}, not a regular file: {fix}");
                }

                using var file = new FileStream(handle, FileAccess.Read, 1);
                int n;
                while (length < buffer.Length && (n = file.Read(buffer, length, buffer.Length - length)) > 0)
                {
                    length += n;
                }
            }
            catch (FileNotFoundException)
            {
                throw new PackageException($"{what} '{path}' does not exist: {fix}");
            }
            catch (IOException e)
            {
                throw new PackageException($"{what} '{path}' cannot be read: {e.Message}");
            }

            if (length > maxBytes)
            {
                throw new PackageException($"{what} '{path}' is larger than {maxBytes} bytes; it holds one line: {fix}");
            }

            return parse(buffer.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
