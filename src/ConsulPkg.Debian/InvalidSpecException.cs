namespace ConsulPkg.Debian;

/// <summary>
/// A package description that cannot be built: an invalid control field, data path, conffile,
/// maintainer script or build setting. The message names the value and what to change; where a
/// front end has an option for it, <see cref="PackageException.Setting"/> says which setting.
/// </summary>
public class InvalidSpecException : PackageException
{
    public InvalidSpecException() { }

    public InvalidSpecException(string message) : base(message) { }

    public InvalidSpecException(string message, Exception innerException) : base(message, innerException) { }
}
