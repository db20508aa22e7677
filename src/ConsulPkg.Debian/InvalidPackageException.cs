namespace ConsulPkg.Debian;

/// <summary>
/// A .deb that is not well-formed: a bad ar or tar header, corrupt compressed data, a control
/// file dpkg would refuse. <see cref="Member"/> names the ar member at fault (null for the
/// container itself) and <see cref="Offset"/> where in it the problem was found, when known.
/// </summary>
public class InvalidPackageException : PackageException
{
    public InvalidPackageException() { }

    public InvalidPackageException(string message) : base(message) { }

    public InvalidPackageException(string message, Exception innerException) : base(message, innerException) { }

    public InvalidPackageException(string message, string? member, long? offset, Exception? innerException = null)
        : base(message, innerException!)
    {
        Member = member;
        Offset = offset;
    }

    /// <summary>The ar member, e.g. <c>data.tar.xz</c>; null when the container is at fault.</summary>
    public string? Member { get; }

    /// <summary>The byte offset of the problem: in the file for the container, else in the member's uncompressed stream.</summary>
    public long? Offset { get; }
}
