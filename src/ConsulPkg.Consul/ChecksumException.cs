using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>A release file whose SHA-256 is not the one it must have. The message names the file and both hashes.</summary>
internal sealed class ChecksumException : PackageException
{
    public ChecksumException(string fileName, string expected, string actual, string expectedFrom)
        : base($"SHA-256 mismatch for {fileName}: expected {expected} ({expectedFrom}), got {actual}; the file is not used: check where it came from")
    {
    }
}
