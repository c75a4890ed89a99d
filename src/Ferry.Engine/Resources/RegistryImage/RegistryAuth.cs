using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// Answers a registry's <c>401</c> challenge: <c>Basic</c> sends the credentials; <c>Bearer realm=…,service=…</c>
/// fetches a token for the repository scope from the realm (with the credentials, or anonymously as Docker Hub allows
/// for public images) and sends that.
/// </summary>
internal static class RegistryAuth
{
    public static async Task<AuthenticationHeaderValue> AnswerAsync(HttpClient http, AuthenticationHeaderValue? challenge, RegistryImageSource source,
        string scope, CancellationToken cancellation)
    {
        var repository = source.Repository.Display;
        if (challenge is null)
            throw ResourceException.Terminal($"registry-image: {repository}: the registry answered 401 without saying how to authenticate (no WWW-Authenticate)");
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return source.Credentials is { } basic
                ? Basic(basic)
                : throw ResourceException.Terminal($"registry-image: {repository}: the registry asks for a username and password (set source.username and source.password)");
        }
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            throw ResourceException.Terminal($"registry-image: {repository}: the registry asks for '{challenge.Scheme}' authentication, which Ferry does not speak (Basic and Bearer tokens only)");

        var parameters = Parameters(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
            throw ResourceException.Terminal($"registry-image: {repository}: the registry's Bearer challenge names no token realm");
        var query = new StringBuilder();
        if (parameters.TryGetValue("service", out var service))
            query.Append("service=").Append(Uri.EscapeDataString(service));
        query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        var url = new UriBuilder(realmUri) { Query = string.IsNullOrEmpty(realmUri.Query) ? query.ToString() : realmUri.Query.TrimStart('?') + "&" + query };
        using var request = new HttpRequestMessage(HttpMethod.Get, url.Uri);
        if (source.Credentials is { } credentials)
            request.Headers.Authorization = Basic(credentials);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw ResourceException.Retryable($"registry-image: {repository}: the token realm {realmUri.GetLeftPart(UriPartial.Path)} could not be reached: {e.Message}", e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (!response.IsSuccessStatusCode)
                throw RegistryErrors.From($"registry-image: {repository}: token from {realmUri.GetLeftPart(UriPartial.Path)} for {scope}", response.StatusCode, body);
            return new AuthenticationHeaderValue("Bearer", Token(body) ?? throw ResourceException.Terminal(
                $"registry-image: {repository}: the token realm {realmUri.GetLeftPart(UriPartial.Path)} answered without a token"));
        }
    }

    private static AuthenticationHeaderValue Basic(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    private static string? Token(string body)
    {
        try
        {
            var answer = JsonNode.Parse(body) as JsonObject;
            return (answer?["token"] ?? answer?["access_token"]) is JsonValue v && v.TryGetValue<string>(out var token) && token.Length > 0 ? token : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>realm="https://auth",service="registry",scope="repository:a:pull,push"</c>: commas inside quotes belong to the value.</summary>
    internal static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
                i++;
            var equals = text.IndexOf('=', i);
            if (equals < 0)
                break;
            var key = text[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                    value.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                    value.Append(text[i]);
            }
            result[key] = value.ToString().Trim();
        }
        return result;
    }
}
