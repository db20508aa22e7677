using ConsulPkg.Debian;

namespace ConsulPkg.Consul;

/// <summary>A file that could not be fetched: the server refused it, the network failed, retries ran out.</summary>
public class DownloadException : PackageException
{
    public DownloadException() { }

    public DownloadException(string message) : base(message) { }

    public DownloadException(string message, Exception innerException) : base(message, innerException) { }

    public DownloadException(Uri url, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Url = url;
    }

    public Uri? Url { get; }
}
