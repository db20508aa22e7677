using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConsulPkg.Consul.Tests.Support;

/// <summary>
/// An HTTPS endpoint on 127.0.0.1 whose certificate is self-signed, so no client trusts it: it
/// accepts connections, offers the certificate and counts the handshakes tried.
/// </summary>
internal sealed class SelfSignedTlsServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;
    private int _handshakes;

    public SelfSignedTlsServer()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _listener.Start();
        BaseUrl = new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUrl { get; }

    public int Handshakes => Volatile.Read(ref _handshakes);

    private async Task AcceptLoop()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _handshakes);
            using (client)
            using (var tls = new SslStream(client.GetStream()))
            {
                try
                {
                    await tls.AuthenticateAsServerAsync(_certificate).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                {
                    // the client refused the certificate, as it should
                }
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
            // the accept loop ends with the listener
        }

        _listener.Dispose();
        _certificate.Dispose();
    }
}
