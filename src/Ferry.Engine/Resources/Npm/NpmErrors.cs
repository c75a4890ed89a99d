using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// A registry's refusal as a <see cref="ResourceException"/> quoting it (npm's <c>{"error": …}</c> or
/// <c>{"message": …}</c>). Terminal when only a config change helps (401, 403, 404, 409: the version exists);
/// retryable when the registry may recover (5xx, 429).
/// </summary>
internal static class NpmErrors
{
    public static ResourceException From(string what, HttpStatusCode status, string body)
    {
        var text = $"{what}: the registry answered {(int)status} {status}{(Detail(body) is { } detail ? ": " + detail : "")}";
        return status switch
        {
            HttpStatusCode.Unauthorized => ResourceException.Terminal(text + " (check source.token)"),
            HttpStatusCode.Forbidden => ResourceException.Terminal(text + " (source.token may not do this)"),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => ResourceException.Retryable(text),
            >= HttpStatusCode.InternalServerError => ResourceException.Retryable(text),
            _ => ResourceException.Terminal(text),
        };
    }

    private static string? Detail(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject answer)
            {
                var parts = new[] { "error", "reason", "message" }
                    .Select(k => answer[k] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
                    .Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().ToList();
                if (parts.Count > 0)
                    return string.Join(": ", parts);
            }
        }
        catch (JsonException)
        {
            // Not JSON: quote the body as it is.
        }
        var trimmed = body.Trim();
        return trimmed.Length == 0 ? null : trimmed.Length > 300 ? trimmed[..300] + "…" : trimmed;
    }
}
