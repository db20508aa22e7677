namespace ConsulPkg.Debian;

/// <summary>
/// A compression library failed for a reason that is not the data: it could not allocate its
/// state, refused a parameter we set, or reported an internal error. Not a
/// <see cref="PackageException"/>: nothing the user gave is wrong, so the CLI does not say so.
/// Corrupt input is an <see cref="InvalidPackageException"/> instead.
/// </summary>
public class CodecException : Exception
{
    public CodecException() { }

    public CodecException(string message) : base(message) { }

    public CodecException(string message, Exception innerException) : base(message, innerException) { }
}
