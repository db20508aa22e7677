using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>A release file that could not be fetched: the server refused it, the network failed, retries ran out. The message names the URL.</summary>
internal sealed class DownloadException : PackageException
{
    public DownloadException(string message) : base(message) { }

    public DownloadException(string message, Exception innerException) : base(message, innerException) { }
}
