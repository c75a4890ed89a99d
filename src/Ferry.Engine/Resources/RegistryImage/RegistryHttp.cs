using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// The HTTP clients registry calls share: one for ordinary TLS, one per set of <c>source.ca_certs</c>. Pooled, as a
/// client per call would exhaust sockets; no overall timeout, as a layer may take long to download (the check's or the
/// step's timeout bounds it), but connecting is bounded.
/// </summary>
internal static class RegistryHttp
{
    private static readonly HttpClient Default = Create(null);
    private static readonly ConcurrentDictionary<string, HttpClient> WithCaCerts = new(StringComparer.Ordinal);

    public static HttpClient For(RegistryImageSource source)
    {
        if (source.CaCerts.Count == 0)
            return Default;
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", source.CaCerts))));
        return WithCaCerts.GetOrAdd(key, _ => Create(Roots(source.CaCerts)));
    }

    private static HttpClient Create(X509Certificate2Collection? roots)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = true,
        };
        if (roots is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None || Trusted(certificate, errors, roots),
            };
        }
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    // The system's roots failed: the registry's chain may end in one of the source's ca_certs instead.
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2Collection Roots(IReadOnlyList<string> pems)
    {
        var roots = new X509Certificate2Collection();
        for (var i = 0; i < pems.Count; i++)
        {
            try
            {
                roots.ImportFromPem(pems[i]);
            }
            catch (CryptographicException e)
            {
                throw new ResourceConfigException($"source.ca_certs[{i}]: not a PEM certificate: {e.Message}");
            }
        }
        return roots;
    }
}
