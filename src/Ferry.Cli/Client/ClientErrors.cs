using System.Text.Json.Nodes;

namespace Ferry.Cli.Client;

/// <summary>The server did not answer at all (refused, no route, timed out).</summary>
internal sealed class ServerUnreachableException(Uri url, string reason, Exception? inner = null)
    : Exception($"cannot reach the Ferry server at {url.GetLeftPart(UriPartial.Authority)} ({reason})", inner);

/// <summary>The server answered with an RFC 9457 problem (or another error status).</summary>
internal sealed class ApiProblemException(int status, string message, IReadOnlyList<string> details) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>One line per wrong field or config path, when the problem lists them.</summary>
    public IReadOnlyList<string> Details { get; } = details;

    public static ApiProblemException From(int status, string? reason, string body)
    {
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: a proxy's page or an empty body; the status says enough.
        }
        var detail = problem?["detail"]?.GetValue<string>() ?? problem?["title"]?.GetValue<string>();
        var message = detail ?? $"the server answered {status} {reason}".TrimEnd();
        var lines = new List<string>();
        if (problem?["errors"] is JsonArray errors)
        {
            foreach (var error in errors.OfType<JsonObject>())
            {
                var at = error["location"]?.GetValue<string>();
                var path = error["path"]?.GetValue<string>();
                var text = error["message"]?.GetValue<string>() ?? "";
                lines.Add(string.Join(' ', new[] { at, string.IsNullOrEmpty(path) ? null : path + ":", text }.Where(s => !string.IsNullOrEmpty(s))));
            }
        }
        else if (problem?["field"]?.GetValue<string>() is { } field && !message.Contains(field, StringComparison.Ordinal))
        {
            message = $"{field}: {message}";
        }
        return new ApiProblemException(status, message, lines);
    }
}

/// <summary>The command line itself is wrong (a bad -j P/J, a bad --url).</summary>
internal sealed class UsageException(string message) : Exception(message);
