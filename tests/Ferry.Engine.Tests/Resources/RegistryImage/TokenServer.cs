using Ferry.Tests.LocalServers;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

/// <summary>
/// A token realm for a <see cref="LocalRegistry"/> with <c>auth: token</c>, as Docker Hub's auth service is for
/// Docker Hub: it checks Basic credentials and answers <c>{"token": JWT}</c> granting the scope asked for, signed with a
/// key whose self-signed certificate is the registry's <c>rootcertbundle</c>. It counts the tokens it issued.
/// </summary>
internal sealed class TokenServer : IDisposable
{
    public const string Service = "ferry-test-registry";
    public const string Issuer = "ferry-test-issuer";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _username;
    private readonly string _password;
    private int _issued;

    public TokenServer(string directory, string username, string password)
    {
        _username = username;
        _password = password;
        var request = new CertificateRequest("CN=ferry-test-token", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificateBundle = Path.Combine(directory, "token-root.pem");
        File.WriteAllText(CertificateBundle, _certificate.ExportCertificatePem());
        Port = LocalServerProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string CertificateBundle { get; }

    public int Issued => Volatile.Read(ref _issued);

    /// <summary>The registry config's auth section (indented for <see cref="LocalRegistry.StartAsync"/>).</summary>
    public string AuthConfig => $"""
          token:
            realm: http://127.0.0.1:{Port}/token
            service: {Service}
            issuer: {Issuer}
            rootcertbundle: {CertificateBundle}
        """;

    private Task ServeAsync() => ListenerLoop.ServeAsync(_listener, AnswerAsync);

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_username}:{_password}"));
        if (context.Request.Headers["Authorization"] != expected)
        {
            response.StatusCode = 401;
            var denied = Encoding.UTF8.GetBytes("""{"errors":[{"code":"UNAUTHORIZED","message":"wrong username or password"}]}""");
            await response.OutputStream.WriteAsync(denied);
            return;
        }
        var scope = context.Request.QueryString["scope"] ?? "";
        var token = Token(scope);
        Interlocked.Increment(ref _issued);
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = token }.ToJsonString());
        response.ContentType = "application/json";
        await response.OutputStream.WriteAsync(body);
    }

    // The JWT docker/distribution verifies: RS256, the certificate in x5c, access as the scope asked.
    private string Token(string scope)
    {
        var parts = scope.Split(':');
        var access = new JsonArray();
        if (parts.Length == 3)
        {
            access.Add(new JsonObject
            {
                ["type"] = parts[0],
                ["name"] = parts[1],
                ["actions"] = new JsonArray([.. parts[2].Split(',').Select(a => (JsonNode)a)]),
            });
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = _username,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signed = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _listener.Close();
        _certificate.Dispose();
        _key.Dispose();
    }
}
