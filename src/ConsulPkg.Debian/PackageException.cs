namespace ConsulPkg.Debian;

/// <summary>
/// An input the user can fix. The message is one line naming the offending value and, where
/// there is one, the fix. The subtypes say what kind of input: <see cref="InvalidPackageException"/>
/// (a malformed .deb), <see cref="InvalidSpecException"/> (a package description that cannot be
/// built); the libraries that use this one add their own (the Consul recipe's checksum and
/// download failures). A failure that is not the input's is a <see cref="CodecException"/> or a bug.
/// </summary>
public class PackageException : Exception
{
    public PackageException() { }

    public PackageException(string message) : base(message) { }

    public PackageException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// The setting that would fix this, in the library's words (<see cref="PackageSettings"/> and
    /// each library's own list), or null. Libraries never name a command-line option: a front
    /// end names its own option for this setting.
    /// </summary>
    public string? Setting { get; init; }
}
