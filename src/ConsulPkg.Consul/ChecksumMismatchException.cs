using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>A file whose SHA-256 is not the one it must have. The message names all three.</summary>
public sealed class ChecksumMismatchException : PackageException
{
    public string FileName { get; } = "";

    public string Expected { get; } = "";

    public string Actual { get; } = "";

    public ChecksumMismatchException() { }

    public ChecksumMismatchException(string message) : base(message) { }

    public ChecksumMismatchException(string message, Exception innerException) : base(message, innerException) { }

    public ChecksumMismatchException(string fileName, string expected, string actual, string expectedFrom)
        : base($"SHA-256 mismatch for {fileName}: expected {expected} ({expectedFrom}), got {actual}; the file was discarded, check the mirror or the local file")
    {
        FileName = fileName;
        Expected = expected;
        Actual = actual;
    }
}
