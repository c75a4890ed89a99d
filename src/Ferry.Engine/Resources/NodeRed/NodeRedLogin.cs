using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Logs in to an instance's <c>adminAuth</c> with <c>source.username</c> and <c>source.password</c>
/// (<c>POST /auth/token</c>, the editor's own grant) and keeps the token per (admin root, username) for this
/// process until shortly before it expires: one login per instance, not one per call.
/// </summary>
internal sealed class NodeRedLogin(TimeProvider clock)
{
    public static readonly NodeRedLogin Shared = new(TimeProvider.System);

    private readonly ConcurrentDictionary<(string Root, string Username), Session> _sessions = new();

    /// <param name="Password">A hash of the password the token was got with: a changed password logs in again.</param>
    private sealed record Session(string Token, DateTimeOffset RenewAt, string Password);

    /// <summary>The bearer token for <paramref name="source"/>; <paramref name="renew"/>: the instance refused the kept one.</summary>
    public async Task<string> TokenAsync(NodeRedSource source, HttpClient http, bool renew, CancellationToken cancellation)
    {
        var username = source.Username ?? throw new InvalidOperationException("a login needs source.username");
        var key = (source.Root, username);
        var password = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Password ?? "")));
        if (!renew && _sessions.TryGetValue(key, out var kept) && kept.Password == password && clock.GetUtcNow() < kept.RenewAt)
            return kept.Token;
        var session = await LogInAsync(source, http, password, cancellation);
        _sessions[key] = session;
        return session.Token;
    }

    private async Task<Session> LogInAsync(NodeRedSource source, HttpClient http, string password, CancellationToken cancellation)
    {
        var url = source.Endpoint("/auth/token");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = "node-red-admin",
                ["grant_type"] = "password",
                ["scope"] = "*",
                ["username"] = source.Username!,
                ["password"] = source.Password!,
            }),
        };
        var (status, body) = await NodeRedAdmin.SendAsync(http, request, $"POST {url}", cancellation);
        var who = $"source.username '{source.Username}'";
        if (status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
            throw ResourceException.Terminal($"node-red: {url} refused to log in {who} with source.password ({(int)status}: {Describe(body)}); " +
                                             "check source.username and source.password against the instance's adminAuth");
        if (status == HttpStatusCode.NotFound)
            throw ResourceException.Terminal($"node-red: {url} answered 404: the instance has no adminAuth to log in to with {who} and source.password, " +
                                             "or source.url is not its admin root (httpAdminRoot)");
        if (status != HttpStatusCode.OK)
            throw status >= HttpStatusCode.InternalServerError
                ? ResourceException.Retryable($"node-red: logging in {who} at {url} answered {(int)status}: {Describe(body)}")
                : ResourceException.Terminal($"node-red: logging in {who} at {url} answered {(int)status}: {Describe(body)}");
        JsonObject? answer;
        try
        {
            answer = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            answer = null;
        }
        if (answer?["access_token"] is not JsonValue t || !t.TryGetValue<string>(out var token) || token.Length == 0)
            throw ResourceException.Terminal($"node-red: {url} answered without an access_token; is source.url a Node-RED admin root?");
        var expiresIn = answer["expires_in"] is JsonValue e && e.TryGetValue<double>(out var seconds) && seconds > 0 ? seconds : 3600;
        // Renew a little before Node-RED expires it: a tenth of its life, at most a minute.
        var renewAt = clock.GetUtcNow() + TimeSpan.FromSeconds(expiresIn - Math.Min(60, expiresIn / 10));
        return new Session(token, renewAt, password);
    }

    private static string Describe(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } error && error["error"] is JsonValue code)
                return error["error_description"] is JsonValue description ? $"{code}: {description}" : code.ToString();
        }
        catch (JsonException)
        {
            // Not JSON: shown as it came.
        }
        var text = body.Trim();
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
