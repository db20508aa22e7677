namespace ConsulPkg.Debian;

/// <summary>
/// An input the user can fix: an invalid field, a missing file, a malformed package. The message
/// is one line naming the offending value and, where there is one, the fix. Commands print it
/// as-is; anything else that escapes is a bug.
/// </summary>
public class PackageException : Exception
{
    public PackageException() { }

    public PackageException(string message) : base(message) { }

    public PackageException(string message, Exception innerException) : base(message, innerException) { }
}
