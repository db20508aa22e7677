using System.Net.Http.Headers;

namespace ConsulPkg.Consul;

/// <summary>How consul-pkg names itself to HTTP servers (release mirrors, Consul agents): its own version.</summary>
internal static class HttpUserAgent
{
    public static ProductInfoHeaderValue Product { get; } =
        new("consul-pkg", typeof(HttpUserAgent).Assembly.GetName().Version?.ToString(3) ?? "0");
}
