using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// A registry's answer turned into a <see cref="ResourceException"/> that quotes the registry (its error code and
/// message, <c>NAME_UNKNOWN: repository name not known to registry</c>). Terminal when only a config change can help
/// (no such repository, denied, bad request); retryable when the registry or the network may recover (5xx, 429).
/// </summary>
internal static class RegistryErrors
{
    public static ResourceException From(string what, HttpStatusCode status, string body)
    {
        var (code, detail) = Parse(body);
        var text = code is null
            ? $"{what}: the registry answered {(int)status} {status}{(detail is null ? "" : ": " + detail)}"
            : $"{what}: {code}: {detail}";
        return status switch
        {
            HttpStatusCode.Unauthorized => ResourceException.Terminal(text + " (check source.username and source.password)"),
            HttpStatusCode.Forbidden => ResourceException.Terminal(text + " (the credentials may not do this)"),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => ResourceException.Retryable(text),
            >= HttpStatusCode.InternalServerError => ResourceException.Retryable(text),
            _ => ResourceException.Terminal(text),
        };
    }

    /// <summary>The first error's code and message of the registry's <c>{"errors": [{code, message, detail}]}</c>.</summary>
    public static (string? Code, string? Message) Parse(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject answer && answer["errors"] is JsonArray { Count: > 0 } errors && errors[0] is JsonObject first)
                return (first["code"]?.GetValue<string>(), first["message"]?.GetValue<string>() ?? "");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Not the registry's error shape: quote the body as it is.
        }
        var trimmed = body.Trim();
        return (null, trimmed.Length == 0 ? null : trimmed.Length > 300 ? trimmed[..300] + "…" : trimmed);
    }
}
