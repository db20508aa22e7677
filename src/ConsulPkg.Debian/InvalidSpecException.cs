namespace ConsulPkg.Debian;

/// <summary>
/// A package description that cannot be built: an invalid control field, data path, conffile,
/// maintainer script or build setting. <see cref="Field"/> names what to change, in the library's
/// terms (a control field such as <c>Version</c>, or <c>compression level</c>); a front end maps it
/// to its own option.
/// </summary>
public class InvalidSpecException : PackageException
{
    public InvalidSpecException() { }

    public InvalidSpecException(string message) : base(message) { }

    public InvalidSpecException(string message, Exception innerException) : base(message, innerException) { }

    public InvalidSpecException(string field, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Field = field;
    }

    public string? Field { get; }
}
